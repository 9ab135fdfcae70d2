"""The character n-gram model (second opinion in the engine, baseline in make eval) and the blend."""
import pytest

from nlu_components.char_ngrams import CharNgramModel, blend

TEXTS = ["低保怎么申请", "低保去哪办", "低保咋申请啊", "今天天气咋样", "明天下雨不", "天气预报",
         "我不想活了", "活不下去了", "不想活了真的"]
LABELS = ["ask_process"] * 3 + ["out_of_scope"] * 3 + ["emergency"] * 3


@pytest.fixture(scope="module")
def model():
    return CharNgramModel.fit(TEXTS, LABELS, c=30, min_df=1)


def test_it_learns_and_gives_a_distribution(model):
    probs = model.probabilities("低保在哪申请")
    assert max(probs, key=probs.get) == "ask_process"
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(model.probabilities("后天下雨吗"), key=model.probabilities("后天下雨吗").get) == "out_of_scope"


def test_many_equals_one_by_one(model):
    texts = ["低保在哪申请", "不想活", "下雨"]
    assert model.probabilities_many(texts) == [model.probabilities(t) for t in texts]


def test_saved_arrays_read_back_identically(model, tmp_path):
    model.save(tmp_path)
    again = CharNgramModel.read(tmp_path)
    assert again.probabilities("低保在哪申请") == pytest.approx(model.probabilities("低保在哪申请"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arrays.npz", "meta.json"]  # nothing pickled


def test_blend_weights_both_opinions():
    diet = [{"name": "emergency", "confidence": 0.99}, {"name": "out_of_scope", "confidence": 0.01}]
    second = {"out_of_scope": 0.8, "emergency": 0.1, "greet": 0.1}
    mixed = blend(diet, second, 0.5)
    assert [r["name"] for r in mixed] == ["emergency", "out_of_scope", "greet"]
    assert mixed[0]["confidence"] == pytest.approx(0.545)
    assert mixed[1]["confidence"] == pytest.approx(0.405)
    assert blend(diet, second, 0.0)[0] == {"name": "emergency", "confidence": 0.99}
    assert blend(diet, second, 1.0)[0]["name"] == "out_of_scope"
