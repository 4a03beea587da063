"""The second-opinion classifier: its scoring, its freshness, and where the engine uses it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.classifier import MODEL_FILE, NULL, char_wb_ngrams, fingerprint, load, shipped
from bot.engine import Engine, ask_snapshot
from bot.knowledge import KnowledgeBase
from bot.training import examples, training_files


def test_ngrams_are_cut_as_scikit_learns_char_wb_analyzer_cuts_them() -> None:
    # each word padded with spaces; a word no longer than n counts once, then no longer n-grams
    assert char_wb_ngrams("ab  c", 1, 3) == [
        *[" ", "a", "b", " "],
        *[" a", "ab", "b "],
        *[" ab", "ab "],
        *[" ", "c", " "],
        *[" c", "c "],
        " c ",
    ]


def test_numpy_scoring_reproduces_the_scores_scikit_learn_gave_at_training() -> None:
    model = shipped()
    assert model is not None
    with np.load(MODEL_FILE, allow_pickle=False) as data:
        probes, expected = list(data["probes"]), data["probe_scores"]
    assert len(probes) >= 100
    got = np.array([model.scores(str(text)) for text in probes])
    assert np.abs(got - expected).max() < 0.005  # the weights are stored as float16


def test_the_shipped_model_was_trained_on_the_current_tuning_sets() -> None:
    model = shipped()
    assert model is not None
    texts, labels = examples(training_files())
    assert len(texts) > 15_000
    assert model.fingerprint == fingerprint(texts, labels), (
        "the tuning sets changed since bot/classifier.npz was trained: run `make train`"
    )


def test_every_label_is_an_answer_id_or_null(kb: KnowledgeBase) -> None:
    model = shipped()
    assert model is not None
    known = {*kb.topics, *kb.entries, *kb.carriers, NULL}
    assert set(model.labels) <= known
    assert NULL in model.labels


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "\x00", "a" * 5000, "？？？"])
def test_any_text_gets_a_guess(text: str) -> None:
    model = shipped()
    assert model is not None
    guess = model.guess(text, against=NULL)
    assert guess.label in model.labels
    assert guess.lead >= 0 and guess.margin >= 0
    if guess.label != NULL:  # (another label leads it at least as far as its runner-up)
        assert guess.lead >= guess.margin
    assert model.guess(text, against=guess.label).lead == 0


def test_no_model_file_means_the_engine_alone(tmp_path) -> None:
    assert load(tmp_path / "missing.npz") is None


def test_it_answers_a_question_the_engine_alone_misreads(engine: Engine) -> None:
    """A mother's own spare data for her daughter, all on Y!mobile: giving (Y!mobile's gifting
    answer), which the engine alone read as topping up."""
    text = (
        "埼玉で主婦してます。家族4人ワイモバイルで、子ども達のギガが足りなくなるたびに"
        "追加料金払ってて…。私の余ったギガを娘に回せないんでしょうか？"
    )
    alone = ask_snapshot(dataclasses.replace(engine.snapshot, classifier=None), text, "ja")
    assert (alone.id, alone.carrier) == ("top-up-for-friend", "ymobile")
    reply = engine.ask(text)
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "ymobile", "ymobile")


def test_a_follow_up_is_the_engines_alone(engine: Engine) -> None:
    """What a follow-up means depends on the conversation, which the classifier does not see:
    "那au呢" after a tethering answer is au's tethering, whatever the words alone suggest."""
    first = engine.ask("ahamo开热点要钱吗")
    reply = engine.ask("那au呢", context=first.context)
    assert (reply.id, reply.carrier) == ("tethering", "au")


def test_a_sample_asked_as_written_is_never_overruled(engine: Engine) -> None:
    snapshot = engine.snapshot
    kb = snapshot.kb
    for target in (*kb.topics, *kb.entries):
        for lang, questions in kb.questions(target).items():
            for q in questions[:3]:
                reply = ask_snapshot(snapshot, q, lang)
                assert reply.target is not None and reply.target.topic == target, q
