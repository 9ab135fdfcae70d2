"""`rasa data validate` must be clean: no errors, no warnings."""
import subprocess

from bot.runtime.model import RASA, rasa_env
from bot.settings import ROOT


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [str(RASA), "data", "validate", "--domain", "domain", "--data", "nlu_data", "--config", "config.yml",
         "--fail-on-warnings"],
        cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "UserWarning" not in result.stderr


def test_entity_annotations_span_whole_jieba_tokens():
    result = subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "tests.tools.entity_alignment"],
                            cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
