"""Operators teach the bot: learned samples, undo, the quality gate, and changes at the same time.

Built on the factory's tiny knowledge bases (two topics, two carriers, one entry), so a learned
sample's effect is exact and the tests are fast; the real knowledge base's gate timing is a
benchmark (benchmarks/reload.py), not a test.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml
from knowledge_factory import kb_files, sample, write_kb

from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.learning import LEARNED_FILE, Quality, QualityGate, change_text, without_last

TAUGHT = "wxyz quux frobnicate"  # words no sample uses: today out of scope


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", kb_files(topics=("alpha", "beta")))


def one_case_gate(folder: Path, question: str, expect: str) -> QualityGate:
    """A gate over one evaluation file with one case (the gate reads its files when it measures)."""
    path = folder / "gate.yaml"
    path.write_text(f'- {{q: "{question}", expect: {expect}, lang: en}}\n', encoding="utf-8")
    gate = QualityGate.from_files([path, folder / "missing.yaml"], margin=1.0)
    assert gate is not None and [(c.turns, c.expect) for c in gate.cases()] == [
        ((question,), (expect,))
    ]
    return gate


def learned_lines(root: Path) -> list[dict]:
    path = root / LEARNED_FILE
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8"))["learned"]


def test_a_learned_sample_is_answered_by_its_target_and_undo_takes_it_back(root: Path) -> None:
    engine = Engine(root)
    assert engine.ask(TAUGHT, lang="en").decision == "none"
    before = engine.snapshot.version

    result = engine.learn(TAUGHT, "beta", "en", "900001")

    assert result.ok, result.problems
    assert result.old_version == before != result.new_version == engine.snapshot.version
    assert result.sample.startswith('- {q: "wxyz quux frobnicate", target: "beta", lang: "en"')
    assert [(x["q"], x["target"], x["by"]) for x in learned_lines(root)] == [
        (TAUGHT, "beta", "900001")
    ]
    reply = engine.ask(TAUGHT, lang="en")
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "beta", None)
    # The hand-written files are untouched; the sample is part of the knowledge base now.
    assert TAUGHT in load_knowledge(root).questions("beta")["en"]

    undone = engine.undo()

    assert undone is not None and undone.ok
    assert undone.sample == result.sample
    assert not (root / LEARNED_FILE).exists()
    assert engine.ask(TAUGHT, lang="en").decision == "none"
    assert engine.undo() is None  # nothing left to undo


def test_a_wording_taught_as_outside_is_no_longer_answered(root: Path) -> None:
    engine = Engine(root)
    wrong = f"{sample('alpha')} plugh xyzzy"  # answered by alpha today, and should not be
    assert engine.ask(wrong, lang="en").id == "alpha"

    result = engine.learn(wrong, "outside", "en", "900001")

    assert result.ok, result.problems
    assert [(x["q"], x["target"]) for x in learned_lines(root)] == [(wrong, "outside")]
    assert engine.ask(wrong, lang="en").decision == "none"
    assert engine.ask(sample("alpha"), lang="en").id == "alpha"  # alpha's own wording still is
    assert engine.undo().ok
    assert engine.ask(wrong, lang="en").id == "alpha"


def test_a_sample_that_steals_another_targets_question_is_refused_naming_both(root: Path) -> None:
    engine = Engine(root)
    version = engine.snapshot.version
    stolen = sample("alpha", "en", 1)

    result = engine.learn(stolen, "beta", "en", "900001")

    assert not result.ok
    assert result.new_version == version == engine.snapshot.version
    text = "\n".join(str(p) for p in result.problems)
    assert "alpha" in text and "beta" in text and stolen in text
    assert not (root / LEARNED_FILE).exists()  # a refused change leaves the file as it was
    reply = engine.ask(stolen, lang="en")
    assert (reply.decision, reply.id) == ("answer", "alpha")


def test_the_quality_gate_refuses_a_change_that_makes_the_evaluation_worse(root: Path) -> None:
    # The evaluation set knows the right answer to a wording; teaching it elsewhere passes every
    # self-test (it is a new sample, no other sample moves) but answers that case wrongly.
    question = "alphadata quux"
    gate = one_case_gate(root.parent, question, "alpha")
    engine = Engine(root, gate=gate)
    assert engine.ask(question, lang="en").id == "alpha"

    result = engine.learn(question, "beta", "en", "900001")

    assert not result.ok and result.refused
    assert "answered-correct fell 100.0% → 0.0%" in result.refused
    assert result.quality_before == Quality(100.0, 0.0, 0.0, 1)
    assert result.quality_after == Quality(0.0, 100.0, 0.0, 1)
    assert "answered-correct 100.0% → 0.0%" in change_text(
        result.quality_before, result.quality_after
    )
    assert engine.ask(question, lang="en").id == "alpha"
    assert not (root / LEARNED_FILE).exists()


def test_a_forced_reload_swaps_in_what_the_gate_refuses_and_says_so(root: Path) -> None:
    question = "alphadata quux"
    gate = one_case_gate(root.parent, question, "alpha")
    engine = Engine(root, gate=gate)
    (root / LEARNED_FILE).write_text(
        f'learned:\n  - {{q: "{question}", target: "beta", lang: "en"}}\n', encoding="utf-8"
    )

    refused = engine.reload()
    forced = engine.reload(force=True)

    assert not refused.ok and refused.refused
    assert forced.ok and forced.forced and forced.refused == refused.refused
    assert engine.ask(question, lang="en").id == "beta"


def test_learned_file_keeps_its_other_lines_when_the_last_is_undone() -> None:
    text = (
        'learned:\n  - {q: "a", target: "t", lang: "en"}\n  - {q: "b", target: "t", lang: "en"}\n'
    )
    rest, line = without_last(text)
    assert line == '- {q: "b", target: "t", lang: "en"}'
    assert rest == 'learned:\n  - {q: "a", target: "t", lang: "en"}\n'
    assert without_last(rest) == ("", '- {q: "a", target: "t", lang: "en"}')
    assert without_last("") is None


def test_operators_changing_the_knowledge_at_once_lose_nothing_and_never_half_write(
    root: Path,
) -> None:
    """Four learns, two reloads and an undo from seven threads at once: every change is applied
    whole, one after the other, and the file always parses."""
    engine = Engine(root)
    words = [f"wxyz{n} quux{n}" for n in range(4)]
    results: dict[str, object] = {}
    start = threading.Barrier(7)
    seen_broken: list[str] = []

    def run(name: str, job) -> None:
        start.wait()
        results[name] = job()

    def watch() -> None:
        # Meanwhile, anyone reading the file sees a whole old or a whole new version.
        path = root / LEARNED_FILE
        for _ in range(200):
            if path.exists():
                try:
                    text = path.read_text(encoding="utf-8")
                except FileNotFoundError:
                    continue
                if text and not isinstance(yaml.safe_load(text), dict):
                    seen_broken.append(text)

    jobs = [
        *(
            (f"learn{n}", lambda n=n: engine.learn(words[n], ("alpha", "beta")[n % 2], "en", "9"))
            for n in range(4)
        ),
        ("reload0", engine.reload),
        ("reload1", engine.reload),
        ("undo", engine.undo),
    ]
    threads = [threading.Thread(target=run, args=job) for job in jobs]
    watcher = threading.Thread(target=watch)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in [*threads, watcher]:
        thread.join(timeout=120)

    assert not seen_broken
    learned = [r for name, r in results.items() if name.startswith("learn")]
    assert all(r.ok for r in learned), [r.problems for r in learned]  # type: ignore[attr-defined]
    undone = results["undo"]
    kept = {x["q"] for x in learned_lines(root)}
    removed = {words[n] for n in range(4)} - kept
    # The undo ran before any learn (nothing to undo) or removed exactly the latest one.
    assert len(removed) == (0 if undone is None else 1)
    if undone is not None:
        assert undone.ok and removed.pop() in undone.sample  # type: ignore[attr-defined]
    # What is in the file is what the engine serves.
    final = load_knowledge(root)
    assert final.version == engine.snapshot.version
    for text in kept:
        assert engine.ask(text, lang="en").decision == "answer"
