"""The trained model, cached by a hash of everything that shapes it; retrained only when that changes."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import ROOT, get_settings

# bot/text/normalize.py and its table shape the engine's features (fold, simplified) as the components do
MODEL_INPUTS = ["config.yml", "domain", "nlu_data", "nlu_components", "requirements/rasa.txt",
                "bot/text/normalize.py", "bot/text/traditional.tsv"]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0"})
    return env


def input_files() -> list[Path]:
    files: list[Path] = []
    for name in MODEL_INPUTS:
        path = ROOT / name
        if path.is_dir():
            files += [p for p in sorted(path.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
        elif path.is_file():
            files.append(path)
    return files


def _content(path: Path) -> bytes:
    """What of a file shapes the model. Of a lock, the pinned versions: its hashes and comments do not."""
    if path.suffix == ".txt" and path.parent.name == "requirements":
        pins = [line.split()[0].lower().replace("_", "-") for line in path.read_text().splitlines()
                if "==" in line.split("#")[0]]
        return "\n".join(sorted(pins)).encode()
    return path.read_bytes()


def model_hash() -> str:
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + _content(path) + b"\0")
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return get_settings().model_cache_dir / f"{model_hash()}.tar.gz"


def train(data_dir: Path, out: Path, log=sys.stderr) -> Path:
    """Train config.yml + domain/ on the training data in `data_dir` into the model file `out` (*.tar.gz).
    The cache uses it for nlu_data/; staff use it to try corrections from `bot review export --nlu-dir COPY`
    before they go into nlu_data/ (`bot model --data COPY --out FILE`)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    print(f"model: training {out.name} from {data_dir} …", file=log)
    started = time.monotonic()
    subprocess.run(
        [str(RASA), "train", "--config", "config.yml", "--domain", "domain", "--data", str(data_dir),
         "--out", str(out.parent), "--fixed-model-name", out.name.removesuffix(".tar.gz")],
        cwd=ROOT, env=rasa_env(), check=True, stdout=log, stderr=log,
    )
    print(f"model: trained in {time.monotonic() - started:.0f} s", file=log)
    return out


def ensure_model(log=sys.stderr) -> Path:
    """Return the cached model for the current inputs, training it first if it is missing."""
    path = model_path()
    if path.exists():
        print(f"model: cached {path}", file=log)
        return path
    print("model: config, domain or data changed", file=log)
    return train(ROOT / "nlu_data", path, log)
