"""Reloading while people ask: a bad file never replaces a good snapshot, and every question is
answered from one whole knowledge base, old or new, never from a mix or a half-read folder."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from knowledge_factory import (
    carrier_yaml,
    cell_yaml,
    entry_yaml,
    learned_yaml,
    line_of,
    sample,
    synonyms_yaml,
    topic_yaml,
    vocabulary,
    write_kb,
)

import bot.engine
import bot.knowledge
from bot.engine import Context, Engine, Reply, Snapshot, Target
from bot.knowledge import load_knowledge
from bot.render import reply_text

T, K, S = "topics/alpha.yaml", "carriers/kappa.yaml", "carriers/sigma.yaml"
BETA = "entries/beta.yaml"
ONLY = {"A": "gamma", "B": "delta"}  # the entry only that variant has
CARRIERS = {"A": ("kappa", "sigma"), "B": ("kappa", "sigma", "tau")}
# The same vocabulary in every variant: a changed one would make a reload re-test everything.
VOCABULARY = vocabulary(["alpha", "beta", "gamma", "delta", "zeta"])


def good(tag: str) -> dict[str, str]:
    """A valid knowledge base; `tag` marks every cell and entry answer. Topic alpha links to
    entry beta and is the same in both variants; B has another entry and another carrier."""
    files = {T: topic_yaml("alpha", see_also=["beta"]), "synonyms.yaml": synonyms_yaml(VOCABULARY)}
    for carrier in CARRIERS[tag]:
        cell = cell_yaml(carrier, "alpha", answer=f"{carrier} alpha {tag}")
        files[f"carriers/{carrier}.yaml"] = carrier_yaml(carrier, topics=(), cells=[cell])
    for entry in ("beta", ONLY[tag]):
        files[f"entries/{entry}.yaml"] = entry_yaml(entry, answer=f"{entry} {tag}")
    return files


GOOD = {"A": good("A"), "B": good("B")}
_A = GOOD["A"]
_STOLEN = "".join(
    line.replace("beta", "alpha") if line.startswith('      - "beta') else line
    for line in _A[BETA].splitlines(keepends=True)
)
# name -> (the files, the file and the text on the line the problem must name, message fragment)
BAD: dict[str, tuple[dict[str, str | bytes], str, str, str]] = {
    "syntax": ({**_A, T: _A[T].replace("  id: alpha", "  id: alpha: x")}, T, "alpha: x", "YAML"),
    "tab": ({**_A, K: _A[K].replace("    verdict:", "\tverdict:")}, K, "\tverdict", "tab"),
    "duplicate-key": (
        {**_A, BETA: _A[BETA] + "  title: {en: again}\n"},
        BETA,
        "title: {en: again}",
        "duplicate key 'title'",
    ),
    "dead-see-also": (
        {**_A, T: _A[T].replace("see_also: [beta]", "see_also: [zeta]")},
        T,
        "see_also",
        "zeta",
    ),
    "not-utf8": (
        {**_A, S: _A[S].encode().replace(b"id: sigma", b"id: \xffsigma")},
        S,
        "id:",
        "UTF-8",
    ),
    "truncated": (
        {**_A, K: _A[K][: _A[K].index("    sources:")]},
        K,
        "verdict:",
        "missing key 'sources'",
    ),
    "verdict": (
        {**_A, K: _A[K].replace("verdict: yes", "verdict: maybe")},
        K,
        "verdict: maybe",
        "verdict 'maybe' is not one of",
    ),
    "learned": (
        {**_A, "learned.yaml": learned_yaml(("zeta zetaen1", "zeta", "en"))},
        "learned.yaml",
        "zeta",
        "target 'zeta'",
    ),
    # Loads, but beta's sample questions are alpha's: the self-test refuses it.
    "self-test": ({**_A, BETA: _STOLEN}, BETA, "id: beta", "sample"),
}


def write_atomically(path: Path, content: str | bytes) -> None:
    """How editors save: a reload sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content.encode() if isinstance(content, str) else content)
    os.replace(tmp, path)


def apply(root: Path, files: dict[str, str | bytes]) -> None:
    """Make the folder hold exactly `files` (one file at a time, as an operator would)."""
    for name, content in files.items():
        write_atomically(root / name, content)
    for path in root.rglob("*.yaml"):
        if str(path.relative_to(root)) not in files:
            path.unlink()


def version_of(files: dict[str, str], tmp_path: Path, name: str) -> str:
    return load_knowledge(write_kb(tmp_path / f"v-{name}", files)).version


def has(snapshot: Snapshot, target: Target) -> bool:
    """Whether `target` still names something in the snapshot (what a button key checks)."""
    return Target.from_key(target.key(), snapshot.kb) is not None


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", GOOD["A"])


@pytest.fixture
def fast_zh_hant(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generating zh-Hant loads OpenCC's dictionaries (0.3 s a load); it is tested elsewhere and
    would only make many reloads slow. Everything else is the real reload."""
    monkeypatch.setattr(bot.knowledge, "to_traditional", lambda texts: list(texts))


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_reload_keeps_the_old_snapshot(root: Path, bad: str) -> None:
    engine = Engine(root)
    snapshot = engine.snapshot
    question = f"kappa {sample('alpha')}"
    before = engine.ask(question)
    assert (before.decision, before.id, before.carrier) == ("answer", "alpha", "kappa")

    files, file, where, fragment = BAD[bad]
    apply(root, files)
    result = engine.reload()

    assert not result.ok
    assert result.old_version == result.new_version == snapshot.version
    assert engine.snapshot is snapshot
    assert engine.ask(question) == before
    content = files[file]
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    line = line_of(text, where)
    assert any(
        p.file == file and p.line == line and fragment in p.message for p in result.problems
    ), [str(p) for p in result.problems]


def test_a_good_reload_reports_what_changed(root: Path) -> None:
    engine = Engine(root)
    old = engine.snapshot.version
    apply(root, GOOD["B"])
    result = engine.reload()
    assert result.ok and result.old_version == old and result.new_version != old
    assert (result.added, result.removed) == (("delta", "tau"), ("gamma",))
    assert result.changed == ("beta", "kappa", "sigma")  # their answers say B now; alpha is as was
    assert engine.snapshot.version == result.new_version
    cell = engine.snapshot.kb.cell("alpha", "kappa")
    assert cell is not None and cell.answer["en"] == "kappa alpha B"
    assert engine.ask(f"tau {sample('alpha')}", lang="en").carrier == "tau"


def test_a_learned_sample_changes_its_target_only(root: Path) -> None:
    engine = Engine(root)
    learned = learned_yaml(("gamma gammalearned gammaplan gammadata", "gamma", "en"))
    write_atomically(root / "learned.yaml", learned)
    result = engine.reload()
    assert result.ok, [str(p) for p in result.problems]
    assert (result.added, result.removed, result.changed) == ((), (), ("gamma",))
    assert engine.ask("gamma gammalearned gammaplan gammadata", lang="en").id == "gamma"


@pytest.mark.usefixtures("fast_zh_hant")
async def test_simultaneous_reloads_are_serialized(root: Path) -> None:
    engine = Engine(root)
    apply(root, GOOD["B"])
    results = await asyncio.gather(*(engine.reload_async() for _ in range(5)))
    assert all(r.ok for r in results)
    assert sum(r.old_version != r.new_version for r in results) == 1
    assert engine.snapshot.version == results[0].new_version


# (question, the topic or entry that answers it, the carrier of the answer)
QUESTIONS = [
    (sample(item, lang, n), item, None)
    for item in ("alpha", "beta", "gamma", "delta")
    for lang, n in (("zh-Hans", 1), ("zh-Hans", 3), ("ja", 2), ("en", 1))
]
QUESTIONS += [(f"{c} {sample('alpha', 'en', 2)}", "alpha", c) for c in ("kappa", "sigma", "tau")]
QUESTIONS = (QUESTIONS * 6)[:100]


@pytest.mark.usefixtures("fast_zh_hant")
async def test_fifty_reloads_while_a_hundred_questions_are_answered(
    root: Path, tmp_path: Path
) -> None:
    versions = {name: version_of(files, tmp_path, name) for name, files in GOOD.items()}
    tag_of = {version: name for name, version in versions.items()}
    engine = Engine(root)
    assert engine.snapshot.version == versions["A"]

    # Reload i writes good A, bad, good B, bad, ...: every other reload must be refused.
    plan: list[tuple[str, dict[str, str | bytes]]] = []
    bad_names = list(BAD)
    for i in range(50):
        if i % 2 == 0:
            name = "A" if i % 4 == 0 else "B"
            plan.append((name, GOOD[name]))  # type: ignore[arg-type]
        else:
            name = bad_names[(i // 2) % len(bad_names)]
            plan.append((name, BAD[name][0]))

    reloads_done = False
    seen: set[int] = set()  # ids of the Snapshot objects questions ran against
    snapshots: dict[int, Snapshot] = {}

    def check_snapshot(snapshot: Snapshot) -> None:
        """A snapshot is whole: its items, index and answers all belong to one good version."""
        if id(snapshot) in seen:
            return
        seen.add(id(snapshot))
        snapshots[id(snapshot)] = snapshot  # keep it alive so its id is not reused
        tag = tag_of[snapshot.version]
        kb = snapshot.kb
        assert set(kb.entries) == {"beta", ONLY[tag]}
        assert tuple(kb.carriers) == CARRIERS[tag]
        assert set(kb.cells) == {("alpha", c) for c in CARRIERS[tag]}
        assert snapshot.matcher.kb is kb
        for entry in kb.entries.values():
            assert entry.answer["en"] == f"{entry.id} {tag}"
        for (topic, carrier), cell in kb.cells.items():
            assert cell.answer["en"] == f"{carrier} {topic} {tag}"

    def ask(question: str) -> tuple[Snapshot, Reply, Snapshot, str]:
        before = engine.snapshot
        reply = engine.ask(question, lang="en")
        after = engine.snapshot
        # Render from a snapshot that has the answer: the one it was made from may be gone.
        shown_from = after if reply.target is None or has(after, reply.target) else before
        return before, reply, after, reply_text(reply, shown_from).text

    async def ask_while_reloading(pool: ThreadPoolExecutor) -> int:
        loop = asyncio.get_running_loop()
        answered = 0
        while not reloads_done or answered == 0:
            batch = await asyncio.gather(
                *(loop.run_in_executor(pool, ask, q) for q, _, _ in QUESTIONS)
            )
            for (question, item, carrier), (before, reply, after, message) in zip(
                QUESTIONS, batch, strict=True
            ):
                check_snapshot(before)
                check_snapshot(after)
                assert reply.question == question and message
                if reply.decision == "answer":
                    # Answered from the snapshot current at the time: one that has this item.
                    assert reply.target is not None
                    assert has(before, reply.target) or has(after, reply.target)
                    # "tau …" before tau exists is the topic's overview.
                    both = (before, after)
                    assert reply.id == item
                    assert reply.carrier in {
                        c if c in s.kb.carriers else None for s in both for c in [carrier]
                    }
                    if reply.carrier is not None:
                        tags = {tag_of[before.version], tag_of[after.version]}
                        assert f"{carrier} alpha " in message
                        assert any(f"{carrier} alpha {tag}" in message for tag in tags)
                answered += 1
        return answered

    async def reload_all() -> list:
        nonlocal reloads_done
        results = []
        try:
            for name, files in plan:
                apply(root, files)
                results.append((name, await engine.reload_async()))
                check_snapshot(engine.snapshot)
        finally:
            reloads_done = True
        return results

    with ThreadPoolExecutor(max_workers=16) as pool:
        answered, results = await asyncio.gather(ask_while_reloading(pool), reload_all())

    assert answered >= 100
    last_good = None
    for name, result in results:
        if name in GOOD:
            assert result.ok, [str(p) for p in result.problems]
            assert result.new_version == versions[name]
            last_good = versions[name]
        else:
            assert not result.ok and result.problems
            assert result.new_version == result.old_version == last_good
            assert any(p.file == BAD[name][1] for p in result.problems)
    assert engine.snapshot.version == last_good == versions[plan[-2][0]]
    assert {tag_of[s.version] for s in snapshots.values()} == {"A", "B"}


@pytest.mark.usefixtures("fast_zh_hant")
def test_large_knowledge_bases_retest_only_what_a_reload_touched(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine(root)
    monkeypatch.setattr(bot.engine, "FULL_SELF_TEST_MAX_SAMPLES", 0)
    tested: list[set[str] | None] = []
    real_self_test = bot.engine.self_test

    def spy(snapshot: Snapshot, only: set[str] | None = None) -> list:
        tested.append(None if only is None else set(only))
        return real_self_test(snapshot, only)

    monkeypatch.setattr(bot.engine, "self_test", spy)

    def reload_with(name: str, content: str) -> set[str] | None:
        write_atomically(root / name, content)
        result = engine.reload()
        assert result.ok, [str(p) for p in result.problems]
        return tested[-1]

    assert engine.reload().ok
    assert tested[-1] == set()  # nothing changed, nothing to re-test
    assert reload_with("entries/gamma.yaml", entry_yaml("gamma", answer="new")) == {"gamma"}
    # beta changed, and alpha links to it: both are re-tested.
    assert reload_with(BETA, entry_yaml("beta", answer="new")) == {"alpha", "beta"}
    # A cell has no sample questions: changing one moves no answer.
    cell = cell_yaml("kappa", "alpha", answer="kappa alpha new")
    assert reload_with(K, carrier_yaml("kappa", topics=(), cells=[cell])) == set()
    learned = learned_yaml(("gamma gammalearned gammaplan gammadata", "gamma", "en"))
    assert reload_with("learned.yaml", learned) == {"gamma"}
    # The vocabulary can move any answer: everything is re-tested.
    more_words = synonyms_yaml({**VOCABULARY, "gift": ["give"]})
    assert reload_with("synonyms.yaml", more_words) is None
    renamed = carrier_yaml("kappa", names=["kappa", "kapa"], topics=(), cells=[cell])
    assert reload_with(K, renamed) is None

    # Re-testing only what changed still catches a change that breaks its own samples.
    count = len(tested)
    write_atomically(root / BETA, _STOLEN)
    result = engine.reload()
    assert not result.ok and any(p.file == BETA for p in result.problems)
    assert tested[count:] == [{"alpha", "beta"}]


def test_a_follow_up_after_a_reload_removed_its_topic(root: Path) -> None:
    with_zeta = {**_A, "topics/zeta.yaml": topic_yaml("zeta")}
    for carrier in CARRIERS["A"]:
        cells = [cell_yaml(carrier, t, answer=f"{carrier} {t} A") for t in ("alpha", "zeta")]
        with_zeta[f"carriers/{carrier}.yaml"] = carrier_yaml(carrier, topics=(), cells=cells)
    apply(root, with_zeta)
    engine = Engine(root)
    first = engine.ask(f"kappa {sample('zeta')}", lang="en")
    assert first.target == Target("cell", "zeta", ("kappa",))
    offered = Context(None, (Target("overview", "zeta"), Target("entry", "beta")), "x")

    apply(root, _A)  # zeta is gone
    assert engine.reload().removed == ("zeta",)
    for text, context in [
        ("sigma", first.context),  # "what about sigma?"
        ("kappa sigma", first.context),  # "and kappa and sigma?"
        ("1", offered),  # picks the first of the options offered before the reload
    ]:
        reply = engine.ask(text, lang="en", context=context)
        if reply.target is not None:
            assert has(engine.snapshot, reply.target), (text, reply.target)
        assert reply_text(reply, engine.snapshot).text
