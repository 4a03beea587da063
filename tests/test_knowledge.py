"""The loader on good and bad knowledge files: every problem names its file and line, and
nothing an operator (or an attacker with write access to one file) puts there crashes, hangs or
executes anything."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knowledge_factory import (
    URL,
    carrier_yaml,
    cell_yaml,
    entry_yaml,
    kb_files,
    learned_yaml,
    line_of,
    minimal_kb,
    outside_yaml,
    q,
    sample,
    samples,
    synonyms_yaml,
    topic_yaml,
    vocabulary,
    write_kb,
)

import bot.knowledge
from bot import cli
from bot.engine import Engine, matrix_test, self_test
from bot.knowledge import (
    ASPECTS,
    LANGS,
    MAX_CHARS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MIN_QUESTIONS,
    KnowledgeError,
    Problem,
    load_knowledge,
)

REPO = Path(__file__).resolve().parent.parent
T, K, S, E = "topics/alpha.yaml", "carriers/kappa.yaml", "carriers/sigma.yaml", "entries/omega.yaml"
KB = minimal_kb()
TOPIC, CARRIER, ENTRY = KB[T], KB[K], KB[E]

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def kb(**changes: str | bytes) -> dict[str, str | bytes]:
    """The minimal knowledge base with some files replaced or added (T=, K=, ... or a name)."""
    short = {"T": T, "K": K, "S": S, "E": E}
    return {**KB, **{short.get(name, name): text for name, text in changes.items()}}


def two_topics(kappa: str | None = None, **topic_options: object) -> dict[str, str | bytes]:
    """Topics alpha and beta; sigma has both cells, kappa too unless given."""
    both = ("alpha", "beta")
    files = kb_files(topics=both)
    files["topics/beta.yaml"] = topic_yaml("beta", **topic_options)  # type: ignore[arg-type]
    if kappa is not None:
        files[K] = kappa
    return files


def replace_key(text: str, key: str, block: str, indent: int = 2) -> str:
    """Replace a key's whole block (its line and the deeper-indented lines after it)."""
    pad = " " * indent
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{pad}{key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(pad + " "):
        end += 1
    return "".join(lines[:start]) + block + "".join(lines[end:])


def problems_for(root: Path) -> list[Problem]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    assert info.value.problems, "a KnowledgeError must list its problems"
    assert all(isinstance(p.line, int) and p.line >= 1 for p in info.value.problems)
    return info.value.problems


def assert_problem(problems: list[Problem], file: str, line: int, fragment: str) -> None:
    found = [p for p in problems if p.file == file and p.line == line and fragment in p.message]
    listing = "\n".join(str(p) for p in problems)
    assert found, f"expected {file}:{line}: ...{fragment}... among:\n{listing}"
    assert f"{file}:{line}:" in str(found[0])


# --------------------------------------------------------------------------------------------
# Good files


def test_minimal_knowledge_base_loads_with_generated_traditional_chinese(tmp_path: Path) -> None:
    kb_ = load_knowledge(write_kb(tmp_path, KB))
    assert (list(kb_.topics), list(kb_.carriers), list(kb_.entries)) == (
        ["alpha"],
        ["kappa", "sigma"],
        ["omega"],
    )
    assert list(kb_.cells) == [("alpha", "kappa"), ("alpha", "sigma")]
    assert kb_.ids() == {"alpha", "kappa", "sigma", "omega"}
    topic, carrier, entry = kb_.topics["alpha"], kb_.carriers["kappa"], kb_.entries["omega"]
    assert (topic.file, topic.line, topic.cell_key, topic.headline) == (T, 2, "alpha", False)
    assert list(topic.verdicts) == ["yes", "no", "unknown"]
    assert (carrier.file, carrier.line, carrier.names) == (K, 2, ("kappa",))
    assert (entry.file, entry.line, entry.carrier) == (E, 2, None)
    cell = kb_.cell("alpha", "kappa")
    assert cell is not None
    assert (cell.file, cell.line, cell.verdict) == (K, line_of(CARRIER, "  alpha:"), "yes")
    assert cell.sources[0].official and cell.verified == dt.date(2026, 10, 1)
    for texts in (topic.title, topic.label, topic.overview, carrier.label, entry.answer):
        assert set(texts) == set(LANGS)
    assert set(cell.answer) == set(LANGS)
    assert cell.answer["zh-Hant"] == cell.answer["zh-Hans"]  # nothing Chinese to convert
    for item in (topic, entry):
        assert {lang: len(qs) for lang, qs in item.questions.items()} == MIN_QUESTIONS
        assert kb_.questions(item.id) == dict(item.questions)
    assert kb_.headline is None
    assert kb_.warnings == ()


def test_out_of_scope_samples_are_not_answered_and_do_not_take_a_topics_questions(
    tmp_path: Path,
) -> None:
    # zeta's samples share the domain concept of alpha's ("alphadata"), so without outside.yaml
    # they would reach alpha.
    zeta = {
        lang: [f"{text} alphadata" for text in texts] for lang, texts in samples("zeta").items()
    }
    engine = Engine(write_kb(tmp_path, kb(**{"outside.yaml": outside_yaml(questions=zeta)})))
    assert engine.snapshot.kb.outside == {lang: tuple(texts) for lang, texts in zeta.items()}
    assert engine.ask(zeta["en"][0]).decision == "none"
    alpha = engine.ask(sample("alpha"))
    assert (alpha.decision, alpha.target.topic) == ("answer", "alpha")
    assert engine.search(zeta["en"][0]) == []
    assert self_test(engine.snapshot) == []
    assert "outside" not in engine.snapshot.kb.ids()


def test_an_out_of_scope_sample_that_is_a_topics_question_fails_the_self_test(
    tmp_path: Path,
) -> None:
    stolen = {lang: [sample("alpha", lang), *texts[1:]] for lang, texts in samples("zeta").items()}
    text = outside_yaml(questions=stolen)
    engine = Engine(write_kb(tmp_path, kb(**{"outside.yaml": text})))
    # alpha's other samples side with it, so the out-of-scope copy is answered: reported where
    # it is written.
    failures = {(f.target, f.question, f.got, f.file, f.line) for f in self_test(engine.snapshot)}
    assert ("outside", sample("alpha", "en"), "alpha", "outside.yaml", 1) in failures


def test_outside_is_reserved_and_defined_once(tmp_path: Path) -> None:
    files = kb(**{"outside.yaml": outside_yaml(), "more.yaml": outside_yaml("eta")})
    files["entries/outside.yaml"] = entry_yaml("outside")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(write_kb(tmp_path, files))
    messages = [p.message for p in raised.value.problems]
    assert any("'outside' is reserved" in m for m in messages)
    assert any("'outside' is defined twice" in m for m in messages)


def test_minimal_knowledge_base_self_tests_clean(tmp_path: Path) -> None:
    engine = Engine(write_kb(tmp_path, KB))
    assert self_test(engine.snapshot) == []
    assert matrix_test(engine.snapshot) == []
    reply = engine.ask(f"sigma {sample('alpha', 'ja', 2)}", lang="ja")
    assert (reply.decision, reply.id, reply.carrier) == ("answer", "alpha", "sigma")
    assert engine.ask(sample("omega"), lang="en").id == "omega"


def test_every_optional_field_loads(tmp_path: Path) -> None:
    """A topic with its own cell key and the headline; cells with a short form, details with
    aspects and see_also; a carrier with features; an entry about one carrier; word lists."""
    topic = topic_yaml("beta-overview", cell="beta", headline=True, see_also=["omega"])
    details = [("price", "It is free."), (None, "Any plan works.")]
    kappa = carrier_yaml(
        "kappa",
        names=["kappa", "kapa mobile", "カッパ"],
        features=["kappagift"],
        cells=[
            cell_yaml(
                "kappa",
                "beta",
                verdict="no",
                short="free",
                details=details,
                see_also=["alpha", "sigma"],
            )
        ],
    )
    sigma = carrier_yaml("sigma", topics=["alpha", "beta"], verdict={"alpha": "no", "beta": "yes"})
    concepts = {**vocabulary(["beta-overview", "omega"]), "kappagift": ["kappagifting"]}
    words = synonyms_yaml(concepts) + "stopwords: [um]\n"
    words += "offtopic: [weather]\nnondata: [paypay]\n"
    files = kb(
        K=kappa,
        S=sigma,
        E=entry_yaml("omega", carrier="kappa", see_also=["beta-overview"]),
        **{"topics/beta-overview.yaml": topic, "synonyms.yaml": words},
    )
    loaded = load_knowledge(write_kb(tmp_path, files))
    assert loaded.headline is not None and loaded.headline.id == "beta-overview"
    cell = loaded.cell("beta-overview", "kappa")
    assert cell is not None and cell.topic == "beta-overview" and cell.verdict == "no"
    assert cell.short is not None and cell.short["en"] == "free"
    assert [(d.aspect, d.text["en"]) for d in cell.details] == details
    assert set(cell.details[0].text) == set(LANGS)
    assert cell.see_also == ("alpha", "sigma")
    assert loaded.cell("beta-overview", "sigma").verdict == "yes"  # type: ignore[union-attr]
    carrier = loaded.carriers["kappa"]
    assert carrier.names == ("kappa", "kapa mobile", "カッパ")
    assert (carrier.features, carrier.site) == (("kappagift",), "https://kappa.example/")
    assert loaded.entries["omega"].carrier == "kappa"
    assert loaded.synonyms == {name: tuple(variants) for name, variants in concepts.items()}
    assert (loaded.stopwords, loaded.offtopic, loaded.nondata) == (
        ("um",),
        ("weather",),
        ("paypay",),
    )


def test_version_follows_content(tmp_path: Path) -> None:
    root = write_kb(tmp_path, KB)
    first = load_knowledge(root).version
    assert load_knowledge(root).version == first
    write_kb(root, {E: entry_yaml("omega", answer="Changed.")})
    second = load_knowledge(root).version
    assert second != first
    (root / "carriers" / "kappa.yaml").rename(root / "carriers" / "kappa2.yaml")
    assert load_knowledge(root).version != second  # a file's name is part of it too


def test_byte_order_mark_loads(tmp_path: Path) -> None:
    root = write_kb(tmp_path, kb(T=b"\xef\xbb\xbf" + TOPIC.encode()))
    assert list(load_knowledge(root).topics) == ["alpha"]


def test_hidden_and_non_yaml_files_are_ignored(tmp_path: Path) -> None:
    """Editors' swap files, `.git` and notes next to the knowledge are not knowledge."""
    junk = "not: [valid\n"
    files = kb(**{".alpha.yaml.tmp": junk, ".git/x.yaml": junk, "README.md": junk, "a.txt": junk})
    assert list(load_knowledge(write_kb(tmp_path, files)).topics) == ["alpha"]


def test_real_knowledge_base_loads() -> None:
    real = load_knowledge(REPO / "knowledge")
    assert real.carriers and real.topics and real.entries
    assert len(real.cells) == len(real.carriers) * len(real.topics)
    assert real.headline is not None
    assert all(e.sources for e in real.entries.values())
    for cell in real.cells.values():  # official sources first
        flags = [s.official for s in cell.sources]
        assert flags and flags == sorted(flags, reverse=True), (cell.file, cell.line)


def test_stale_verified_is_a_warning_not_an_error(tmp_path: Path) -> None:
    old_entry = entry_yaml("omega", verified="2020-01-01")
    old_cell = carrier_yaml("kappa", verified="2020-01-01")
    root = write_kb(tmp_path, kb(E=old_entry, K=old_cell))
    loaded = load_knowledge(root, today=dt.date(2026, 11, 25))
    assert "omega" in loaded.entries and ("alpha", "kappa") in loaded.cells
    assert [(w.file, w.line, w.severity) for w in loaded.warnings] == [
        (E, line_of(old_entry, "id: omega"), "warning"),
        (K, line_of(old_cell, "  alpha:"), "warning"),
    ]
    assert "omega: verified 2020-01-01 is over a year old" in loaded.warnings[0].message
    assert "kappa/alpha: verified 2020-01-01 is over a year old" in loaded.warnings[1].message
    assert str(loaded.warnings[0]).startswith(f"{E}:2: warning:")
    assert load_knowledge(root, today=dt.date(2020, 6, 1)).warnings == ()


def test_zh_hant_override_is_kept_instead_of_the_generated_text(tmp_path: Path) -> None:
    title = {"zh-Hans": "流量", "zh-Hant": "網路流量（自訂）", "ja": "ギガ", "en": "Data"}
    answer = {"zh-Hans": "可以送流量", "zh-Hant": "可以送（自訂）", "ja": "できます", "en": "Yes"}
    detail = {"zh-Hans": "免费", "zh-Hant": "免費（自訂）", "ja": "無料", "en": "Free"}
    kappa = carrier_yaml(
        "kappa",
        topics=(),
        cells=[cell_yaml("kappa", "alpha", answer=answer, details=[("price", detail)])],
    )
    loaded = load_knowledge(write_kb(tmp_path, kb(T=topic_yaml("alpha", title=title), K=kappa)))
    assert loaded.topics["alpha"].title["zh-Hant"] == "網路流量（自訂）"
    cell = loaded.cell("alpha", "kappa")
    assert cell is not None
    assert cell.answer["zh-Hant"] == "可以送（自訂）"
    assert cell.details[0].text["zh-Hant"] == "免費（自訂）"
    # Without an override the text is generated from zh-Hans.
    generated = loaded.cell("alpha", "sigma")
    assert generated is not None and generated.answer["zh-Hant"] == generated.answer["zh-Hans"]
    assert loaded.entries["omega"].title["zh-Hant"] == "About omega"
    plain = load_knowledge(
        write_kb(
            tmp_path / "plain",
            kb(
                K=carrier_yaml(
                    "kappa",
                    topics=(),
                    cells=[
                        cell_yaml(
                            "kappa",
                            "alpha",
                            answer={k: v for k, v in answer.items() if k != "zh-Hant"},
                        )
                    ],
                )
            ),
        )
    )
    assert plain.cell("alpha", "kappa").answer["zh-Hant"] == "可以送流量"  # type: ignore[union-attr]


def test_learned_samples_join_their_targets_questions(tmp_path: Path) -> None:
    learned = learned_yaml(
        ("alpha alphalearned1 alphaplan alphadata", "alpha", "en"),
        ("omega omegalearned1 omegaplan omegadata", "omega", "zh-Hant"),
        ("alpha alphalearned2 alphaplan alphadata", "alpha", "ja"),
    )
    root = write_kb(tmp_path, kb(**{"learned.yaml": learned}))
    loaded = load_knowledge(root)
    assert [(s.target, s.lang, s.line, s.by) for s in loaded.learned] == [
        ("alpha", "en", 2, "1"),
        ("omega", "zh-Hans", 3, "1"),  # zh-Hant samples are matched as zh-Hans
        ("alpha", "ja", 4, "1"),
    ]
    alpha = loaded.questions("alpha")
    assert alpha["en"][-1] == "alpha alphalearned1 alphaplan alphadata"
    assert alpha["ja"][-1] == "alpha alphalearned2 alphaplan alphadata"
    assert len(alpha["zh-Hans"]) == MIN_QUESTIONS["zh-Hans"]
    assert loaded.questions("omega")["zh-Hans"][-1] == "omega omegalearned1 omegaplan omegadata"
    assert loaded.topics["alpha"].questions["en"] == (
        sample("alpha", "en", 1),
        sample("alpha", "en", 2),
    )
    assert loaded.questions("kappa") == {}  # a carrier has no samples of its own
    engine = Engine(root)
    assert self_test(engine.snapshot) == []
    assert engine.ask("alpha alphalearned1 alphaplan alphadata", lang="en").id == "alpha"


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", KB)
    (root / "topics" / "loop").symlink_to("..", target_is_directory=True)
    (root / "self").symlink_to("self", target_is_directory=True)
    loaded = load_knowledge(root)
    assert list(loaded.topics) == ["alpha"]  # not a duplicate id from topics/loop/topics/...


def test_self_referencing_file_symlink_is_reported(tmp_path: Path) -> None:
    root = write_kb(tmp_path, KB)
    (root / "b.yaml").symlink_to("b.yaml")
    assert_problem(problems_for(root), "b.yaml", 1, "cannot read file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_and_device_do_not_block(tmp_path: Path) -> None:
    root = write_kb(tmp_path, KB)
    os.mkfifo(root / "pipe.yaml")
    (root / "zero.yaml").symlink_to("/dev/zero")
    problems = problems_for(root)
    assert_problem(problems, "pipe.yaml", 1, "not a regular file")
    assert_problem(problems, "zero.yaml", 1, "not a regular file")


def test_fifty_megabyte_file_is_refused_by_size(tmp_path: Path) -> None:
    root = write_kb(tmp_path, KB)
    with open(root / "big.yaml", "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, and no disk used
    assert_problem(problems_for(root), "big.yaml", 1, f"larger than {MAX_FILE_BYTES} bytes")


@pytest.mark.parametrize("file", [T, K, E])
def test_python_tags_are_never_executed(tmp_path: Path, file: str) -> None:
    marker = tmp_path / "pwned"
    tag = f"  names: !!python/object/apply:os.system [{q('touch ' + str(marker))}]"
    text = KB[file].replace("\n", "\n" + tag + "\n", 1)
    root = write_kb(tmp_path / "kb", kb(**{file: text}))
    assert_problem(problems_for(root), file, line_of(text, "!!python"), "is not allowed")
    assert not marker.exists()


# --------------------------------------------------------------------------------------------
# Bad files: (files, file, line or the text that marks the line, message fragment)

DUP = entry_yaml("omega", extra="  title: {en: Again}")
LONG_TITLE = "T" * (MAX_CHARS["title"] + 1)
LONG_ANSWER = "<&>" * (MAX_CHARS["answer"] // 3 + 1)
LONG_QUESTION = "q" * (MAX_CHARS["question"] + 1)
LONG_URL = "https://example.com/" + "x" * MAX_CHARS["url"]
LONG_VERDICT = "v" * (MAX_CHARS["verdict"] + 1)
LONG_DETAIL = "d" * (MAX_CHARS["detail"] + 1)
THIRD_PARTY_FIRST = [("https://blog.example/post", False), ("https://kappa.example/", True)]
DUP_CELL = carrier_yaml("kappa", cells=[cell_yaml("kappa", "alpha", verdict="no")])
NO_CELLS = CARRIER[: CARRIER.index("cells:")]
TWO_HEADLINES = two_topics(headline=True)
TWO_HEADLINES[T] = topic_yaml("alpha", headline=True)
LEARNED = learned_yaml(
    (sample("alpha", "en", 9), "alpha", "en"),
    ("zeta zetaen1", "zeta", "en"),
    ("kappa kappaen1", "kappa", "en"),
    (sample("omega", "en", 9), "omega", "xx"),
)

BAD_CASES = [
    pytest.param(
        kb(T=TOPIC.replace("  id: alpha", "  id: alpha: oops")),
        T,
        "id: alpha: oops",
        "YAML syntax: mapping values are not allowed",
        id="yaml-syntax",
    ),
    pytest.param(
        kb(T=TOPIC.replace('    ja: "About alpha"', '  \tja: "About alpha"')),
        T,
        "\tja",
        "tab character",
        id="tab",
    ),
    pytest.param(kb(E="- alpha\n- beta\n"), E, 1, "file: expected a mapping", id="top-list"),
    pytest.param(kb(T="topic: [alpha]\n"), T, 1, "topic: expected a mapping", id="topic-is-list"),
    pytest.param(
        kb(E=replace_key(ENTRY, "title", "  title: [About, omega]\n")),
        E,
        "title: [",
        "omega: title: expected a mapping",
        id="title-is-list",
    ),
    pytest.param(
        kb(
            E=replace_key(
                ENTRY,
                "questions",
                "  questions:\n    zh-Hans: [a b c, d e f, g h i]\n    ja: [a b, c d]\n"
                "    en: just one string\n",
            )
        ),
        E,
        "en: just one string",
        "omega: questions.en: expected a list",
        id="questions-not-list",
    ),
    pytest.param(
        kb(E=replace_key(ENTRY, "verified", "  verified: soon\n")),
        E,
        "verified: soon",
        "omega: verified: expected a date YYYY-MM-DD",
        id="verified-not-date",
    ),
    pytest.param(
        kb(K=CARRIER.replace("verified: 2026-10-01", "verified: 2026-13-01")),
        K,
        "verified: 2026-13-01",
        "kappa: cells.alpha: verified: expected a date YYYY-MM-DD, got '2026-13-01'",
        id="cell-verified-not-date",
    ),
    pytest.param(
        kb(E=replace_key(ENTRY, "sources", "  sources: https://example.com\n")),
        E,
        "sources: https",
        "omega: sources: expected a non-empty list",
        id="sources-scalar",
    ),
    pytest.param(
        kb(E=replace_key(ENTRY, "sources", "")),
        E,
        "id: omega",
        "entry: missing key 'sources'",
        id="sources-missing",
    ),
    pytest.param(
        kb(K=replace_key(CARRIER, "sources", "", indent=4)),
        K,
        "verdict: yes",
        "kappa: cells.alpha: missing key 'sources'",
        id="cell-sources-missing",
    ),
    pytest.param(
        kb(E=replace_key(ENTRY, "sources", "  sources: []\n")),
        E,
        "sources: []",
        "omega: sources: expected a non-empty list",
        id="sources-empty",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", url="ftp://x")),
        E,
        "ftp://",
        "omega: source url must be http(s)://host/",
        id="source-not-http",
    ),
    *(
        pytest.param(
            kb(E=entry_yaml("omega", url=url)),
            E,
            "url:",
            "source url must be http(s)://host/",
            id=f"source-url-{name}",
        )
        for name, url in [
            ("no-host", "https://&&&/x"),
            ("space", "https://example.com/a b"),
            ("quote", 'https://example.com/"><b>'),
        ]
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa", topics=(), cells=[cell_yaml("kappa", "alpha", sources=THIRD_PARTY_FIRST)]
            )
        ),
        K,
        '- url: "https://kappa.example/"',
        "kappa: cells.alpha: official sources must come first",
        id="cell-official-after-third-party",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", sources=THIRD_PARTY_FIRST)),
        E,
        '- url: "https://kappa.example/"',
        "omega: official sources must come first",
        id="entry-official-after-third-party",
    ),
    pytest.param(
        kb(K=CARRIER.replace("official: true", "official: yes")),
        K,
        "official: yes",
        "kappa: cells.alpha: official must be true or false",
        id="official-not-a-flag",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", extra="  colour: red")),
        E,
        "colour: red",
        "entry: unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", extra="  colour: red")),
        K,
        "colour: red",
        "carrier: unknown key 'colour'",
        id="carrier-unknown-key",
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa", topics=(), cells=[cell_yaml("kappa", "alpha", extra="    colour: red")]
            )
        ),
        K,
        "colour: red",
        "kappa: cells.alpha: unknown key 'colour'",
        id="cell-unknown-key",
    ),
    pytest.param(
        kb(E=DUP),
        E,
        "title: {en: Again}",
        f"entry: duplicate key 'title' (first at line {line_of(DUP, '  title:')})",
        id="duplicate-key",
    ),
    pytest.param(
        kb(K=DUP_CELL),
        K,
        line_of(DUP_CELL, "  alpha:", DUP_CELL.rindex("  alpha:")),
        f"kappa: cells: duplicate key 'alpha' (first at line {line_of(DUP_CELL, '  alpha:')})",
        id="duplicate-cell",
    ),
    pytest.param(
        kb(**{"entries/zz.yaml": ENTRY}),
        "entries/zz.yaml",
        2,
        f"duplicate id 'omega' (first in {E}:2)",
        id="duplicate-id-across-files",
    ),
    pytest.param(
        kb(**{"topics/kappa.yaml": topic_yaml("kappa")}),
        "topics/kappa.yaml",
        2,
        f"duplicate id 'kappa' (first in {K}:2)",
        id="duplicate-id-carrier-and-topic",
    ),
    pytest.param(
        kb(**{"entries/sigma.yaml": entry_yaml("sigma")}),
        "entries/sigma.yaml",
        2,
        f"duplicate id 'sigma' (first in {S}:2)",
        id="duplicate-id-carrier-and-entry",
    ),
    pytest.param(
        kb(**{"entries/alpha.yaml": entry_yaml("alpha")}),
        T,  # entries/ is read before topics/: the topic is the second use
        2,
        "duplicate id 'alpha' (first in entries/alpha.yaml:2)",
        id="duplicate-id-entry-and-topic",
    ),
    pytest.param(
        kb(**{"bomb.yaml": BILLION_LAUGHS}),
        "bomb.yaml",
        1,
        "anchors and aliases (&name, *name) are not allowed",
        id="billion-laughs",
    ),
    pytest.param(kb(T=TOPIC + "other: *x\n"), T, TOPIC.count("\n") + 1, "alias", id="alias"),
    pytest.param(
        kb(E=entry_yaml("omega", extra="  names: !!set {a, b}")),
        E,
        "!!set",
        "tag tag:yaml.org,2002:set is not allowed",
        id="set-tag",
    ),
    pytest.param(
        kb(T=TOPIC.encode().replace(b"id: alpha", b"id: al\xffpha")),
        T,
        2,
        "not valid UTF-8",
        id="not-utf8",
    ),
    pytest.param(kb(T=TOPIC.encode("utf-16")), T, 1, "not valid UTF-8", id="utf16"),
    pytest.param(
        kb(T=TOPIC.replace("  id: alpha", "  id: al\x07pha")),
        T,
        "id: al",
        "character U+0007 is not allowed",
        id="control-character",
    ),
    pytest.param(kb(**{"empty.yaml": ""}), "empty.yaml", 1, "file is empty", id="empty"),
    pytest.param(
        kb(**{"c.yaml": "# only a comment\n"}), "c.yaml", 1, "file is empty", id="comments-only"
    ),
    pytest.param(
        kb(E=entry_yaml("omega", extra="  names: " + "[" * 100 + "]" * 100)),
        E,
        "names: [[",
        f"nested more than {MAX_DEPTH} levels deep",
        id="deep-nesting",
    ),
    pytest.param(
        kb(T=topic_yaml("alpha", title={"zh-Hans": "x", "en": "x"})),
        T,
        "  title:",
        "alpha: title: missing language 'ja'",
        id="missing-language",
    ),
    pytest.param(
        kb(T=topic_yaml("alpha", title={"zh-Hans": "x", "ja": "x", "en": "x", "fr": "x"})),
        T,
        "fr:",
        "alpha: title: unknown language 'fr'",
        id="unknown-language",
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa",
                topics=(),
                cells=[cell_yaml("kappa", "alpha", answer={"zh-Hans": "x", "ja": "x"})],
            )
        ),
        K,
        "    answer:",
        "kappa: cells.alpha: answer: missing language 'en'",
        id="cell-missing-language",
    ),
    pytest.param(
        kb(T=TOPIC.replace(f"      - {q(sample('alpha', 'ja', 2))}\n", "")),
        T,
        "    ja:\n      - ",
        f"alpha: questions.ja: at least {MIN_QUESTIONS['ja']} needed",
        id="too-few-questions",
    ),
    pytest.param(
        kb(T=topic_yaml("alpha", see_also=["nowhere"])),
        T,
        "see_also:",
        "alpha: see_also 'nowhere' does not exist",
        id="dead-see-also",
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa", topics=(), cells=[cell_yaml("kappa", "alpha", see_also=["nowhere"])]
            )
        ),
        K,
        "see_also:",
        "kappa: cells.alpha: see_also 'nowhere' does not exist",
        id="cell-dead-see-also",
    ),
    pytest.param(kb(E=entry_yaml("Omega")), E, 2, "entry id 'Omega': use lower-case", id="bad-id"),
    pytest.param(
        kb(T=topic_yaml("alpha", cell="Alpha")),
        T,
        "cell: Alpha",
        "alpha: cell 'Alpha': use lower-case",
        id="bad-cell-key",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", title=LONG_TITLE)),
        E,
        LONG_TITLE,
        f"omega: title.zh-Hans: {len(LONG_TITLE)} characters, at most {MAX_CHARS['title']} allowed",
        id="title-too-long",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", answer=LONG_ANSWER)),
        E,
        LONG_ANSWER[:20],
        f"at most {MAX_CHARS['answer']} allowed",
        id="answer-too-long",
    ),
    pytest.param(
        kb(E=ENTRY.replace(sample("omega", "en", 2), LONG_QUESTION)),
        E,
        LONG_QUESTION,
        f"omega: questions.en: {len(LONG_QUESTION)} characters",
        id="question-too-long",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", url=LONG_URL)),
        E,
        LONG_URL,
        f"at most {MAX_CHARS['url']} allowed",
        id="url-too-long",
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa", topics=(), cells=[cell_yaml("kappa", "alpha", answer=LONG_VERDICT)]
            )
        ),
        K,
        LONG_VERDICT,
        f"kappa: cells.alpha: answer.zh-Hans: {len(LONG_VERDICT)} characters, at most "
        f"{MAX_CHARS['verdict']} allowed",
        id="verdict-line-too-long",
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa",
                topics=(),
                cells=[cell_yaml("kappa", "alpha", details=[("limit", LONG_DETAIL)])],
            )
        ),
        K,
        LONG_DETAIL,
        f"kappa: cells.alpha: detail.zh-Hans: {len(LONG_DETAIL)} characters",
        id="detail-too-long",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", topics=(), cells=[cell_yaml("kappa", "alpha", short="s" * 61)])),
        K,
        "s" * 61,
        f"kappa: cells.alpha: short.zh-Hans: 61 characters, at most {MAX_CHARS['short']}",
        id="short-too-long",
    ),
    pytest.param(
        kb(**{"synonyms.yaml": "synonyms:\n  data: [ギガ]\n  Data: [流量]\n"}),
        "synonyms.yaml",
        3,
        "synonyms: 'Data': use a lower-case ascii name",
        id="bad-synonym-name",
    ),
    pytest.param(
        kb(**{"synonyms.yaml": "synonym:\n  data: [ギガ]\n"}),
        "synonyms.yaml",
        1,
        "unknown top-level key 'synonym'",
        id="unknown-top-level-key",
    ),
    # What the matrix adds.
    pytest.param(
        two_topics(kappa=carrier_yaml("kappa")),
        K,
        2,
        "kappa: missing cell 'beta' (every carrier needs one per topic",
        id="carrier-missing-a-cell",
    ),
    pytest.param(kb(K=NO_CELLS), K, 1, "kappa: missing 'cells'", id="carrier-without-cells"),
    pytest.param(
        kb(**{"carriers/zz.yaml": "cells:\n  alpha:\n    verdict: yes\n"}),
        "carriers/zz.yaml",
        1,
        "cells belong in a carrier file, next to 'carrier:'",
        id="cells-without-carrier",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", verdict="maybe")),
        K,
        "verdict: maybe",
        f"kappa: cells.alpha: verdict 'maybe' is not one of yes, no, unknown (from {T})",
        id="verdict-not-among-the-topics",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", cells=[cell_yaml("kappa", "zeta")])),
        K,
        "  zeta:",
        "kappa: no topic has cells 'zeta' (alpha)",
        id="cells-under-an-unknown-topic",
    ),
    pytest.param(
        kb(
            K=carrier_yaml(
                "kappa", topics=(), cells=[cell_yaml("kappa", "alpha", details=[("colour", "x")])]
            )
        ),
        K,
        "aspect: colour",
        f"kappa: cells.alpha: aspect must be one of {', '.join(ASPECTS)}",
        id="unknown-aspect",
    ),
    pytest.param(
        TWO_HEADLINES,
        "topics/beta.yaml",
        2,
        "beta: only one topic can be the headline",
        id="two-headlines",
    ),
    pytest.param(
        kb(T=topic_yaml("alpha", extra="  headline: yes")),
        T,
        "headline: yes",
        "alpha: headline must be true or false",
        id="headline-not-a-flag",
    ),
    pytest.param(
        kb(T=topic_yaml("alpha", verdicts=()).replace("  verdicts:\n", "  verdicts: {}\n")),
        T,
        "verdicts: {}",
        "alpha: verdicts: at least one needed",
        id="no-verdicts",
    ),
    *(
        pytest.param(
            kb(**{"learned.yaml": LEARNED}),
            "learned.yaml",
            line,
            fragment,
            id=f"learned-{name}",
        )
        for name, line, fragment in [
            ("unknown-target", 3, "learned: target 'zeta' is not a topic or entry"),
            ("carrier-target", 4, "learned: target 'kappa' is not a topic or entry"),
            ("bad-lang", 5, "learned: lang must be one of zh-Hans, zh-Hant, ja, en"),
        ]
    ),
    pytest.param(
        kb(**{"learned.yaml": "learned:\n  - {target: alpha, lang: en}\n"}),
        "learned.yaml",
        2,
        "learned: missing key 'q'",
        id="learned-without-q",
    ),
    pytest.param(
        kb(**{"learned.yaml": "learned: {q: x, target: alpha, lang: en}\n"}),
        "learned.yaml",
        1,
        "learned: expected a list",
        id="learned-not-a-list",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", features=["nosuch"])),
        K,
        "features:",
        "kappa: feature 'nosuch' is not a synonyms concept",
        id="feature-not-a-concept",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", extra="  brand_of: zeta")),
        K,
        "brand_of: zeta",
        "kappa: carrier 'zeta' is not a carrier",
        id="brand-of-unknown-carrier",
    ),
    pytest.param(
        kb(T=topic_yaml("alpha", extra="  cues: [nosuch]")),
        T,
        "cues:",
        "alpha: cue 'nosuch' is not a synonyms concept",
        id="cue-not-a-concept",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", carrier="alpha")),
        E,
        "carrier: alpha",
        "omega: carrier 'alpha' is not a carrier",
        id="entry-carrier-is-a-topic",
    ),
    pytest.param(
        kb(E=entry_yaml("omega", carrier="zeta")),
        E,
        "carrier: zeta",
        "omega: carrier 'zeta' is not a carrier",
        id="entry-carrier-unknown",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", names=[])),
        K,
        "names: []",
        "kappa: names: list every way people write the carrier",
        id="carrier-without-names",
    ),
    pytest.param(
        kb(K=carrier_yaml("kappa", site="kappa.example")),
        K,
        "site:",
        "kappa: site must be http(s)://host/",
        id="carrier-site-not-a-url",
    ),
]


@pytest.mark.parametrize(("files", "file", "where", "fragment"), BAD_CASES)
def test_bad_file_is_reported_with_file_and_line(
    tmp_path: Path, files: dict[str, str | bytes], file: str, where: int | str, fragment: str
) -> None:
    root = write_kb(tmp_path, files)
    if isinstance(where, str):
        content = files[file]
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        where = line_of(text, where)
    assert_problem(problems_for(root), file, where, fragment)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    gamma = topic_yaml("gamma", extra="  colour: red")
    beta = topic_yaml("beta", see_also=["nowhere"])
    kappa = carrier_yaml(
        "kappa",
        topics=("alpha", "beta"),
        verdict={"alpha": "maybe", "beta": "no"},
        features=["nosuch"],
    )
    entry = entry_yaml("omega", carrier="zeta")
    files = kb(
        K=kappa,
        E=entry,
        **{
            "topics/beta.yaml": beta,
            "topics/gamma.yaml": gamma,
            "learned.yaml": learned_yaml(("zeta zetaen1", "zeta", "en")),
            "broken.yaml": "entry: [\n",
        },
    )
    problems = problems_for(write_kb(tmp_path, files))
    assert {p.file for p in problems} == {
        K,
        S,
        E,
        "topics/beta.yaml",
        "topics/gamma.yaml",
        "learned.yaml",
        "broken.yaml",
    }
    assert_problem(problems, "topics/gamma.yaml", line_of(gamma, "colour"), "unknown key")
    assert_problem(problems, "topics/beta.yaml", line_of(beta, "see_also"), "does not exist")
    assert_problem(problems, K, line_of(kappa, "verdict: maybe"), "verdict 'maybe'")
    assert_problem(problems, K, line_of(kappa, "features:"), "not a synonyms concept")
    assert_problem(problems, S, 2, "sigma: missing cell 'beta'")
    assert_problem(problems, E, line_of(entry, "carrier: zeta"), "is not a carrier")
    assert_problem(problems, "learned.yaml", 2, "is not a topic or entry")
    assert_problem(problems, "broken.yaml", 2, "YAML syntax")


def test_a_bad_cell_is_not_also_reported_missing(tmp_path: Path) -> None:
    """One mistake, one problem: a cell with a bad verdict is not also a 'missing cell'."""
    kappa = carrier_yaml("kappa", verdict="maybe")
    problems = problems_for(write_kb(tmp_path, kb(K=kappa)))
    assert [(p.file, p.line) for p in problems] == [(K, line_of(kappa, "verdict: maybe"))]


def test_a_missing_cell_is_reported_next_to_a_bad_cell_with_a_longer_key(tmp_path: Path) -> None:
    files = kb_files(topics=("alpha", "alphabet"))
    kappa = carrier_yaml("kappa", topics=("alphabet",), verdict="maybe")  # and no cell 'alpha'
    problems = problems_for(write_kb(tmp_path, {**files, K: kappa}))
    assert_problem(problems, K, line_of(kappa, "verdict: maybe"), "verdict 'maybe'")
    assert_problem(problems, K, 2, "kappa: missing cell 'alpha'")


def test_two_topics_with_the_same_cell_key_are_reported_at_the_second(tmp_path: Path) -> None:
    beta = topic_yaml("beta", cell="alpha")
    problems = problems_for(write_kb(tmp_path, kb(**{"topics/beta.yaml": beta})))
    assert_problem(problems, "topics/beta.yaml", line_of(beta, "cell: alpha"), "alpha")
    assert not [p for p in problems if p.file in (K, S)], [str(p) for p in problems]


# A valid file with a few characters deleted, inserted or replaced anywhere: the loader either
# accepts it or reports problems inside the knowledge base (a broken topic makes the carriers'
# cells for it unknown, so a problem may name another file), and never raises anything else.
_PIECES = st.sampled_from(
    [
        "\t",
        "\n",
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a",
        "*a",
        "!!",
        "'",
        '"',
        "#",
        "\x00",
        "\ufeff",
        " ",
        "|",
        "official: true",
        "verdict: no",
        "zh-Hant",
    ]
)
_LONGEST = max(len(text) for text in KB.values())


def _no_conversion(texts: list[str]) -> list[str]:
    assert all(isinstance(text, str) and text.strip() for text in texts)
    return list(texts)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    file=st.sampled_from(sorted(KB)),
    edits=st.lists(
        st.tuples(st.integers(0, _LONGEST), st.integers(0, 3), _PIECES | st.text(max_size=3)),
        min_size=1,
        max_size=4,
    ),
)
def test_mangled_file_never_crashes_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: str, edits: list
) -> None:
    # zh-Hant generation loads OpenCC's dictionaries (0.3 s a load); any text converts cleanly
    # (tests/test_chinese.py), so here a stand-in only checks what it is given.
    monkeypatch.setattr(bot.knowledge, "to_traditional", _no_conversion)
    text = KB[file]
    for pos, drop, insert in edits:
        pos = pos % (len(text) + 1)
        text = text[:pos] + insert + text[pos + drop :]
    files = {**KB, file: text.encode("utf-8", "surrogatepass")}
    root = write_kb(tmp_path / "kb", files)
    try:
        load_knowledge(root)
    except KnowledgeError as exc:
        n_lines = {
            name: (c.decode("utf-8", "replace") if isinstance(c, bytes) else c).count("\n") + 1
            for name, c in files.items()
        }
        for p in exc.problems:
            assert p.file in files and 1 <= p.line <= n_lines[p.file], str(p)
            assert p.message
        assert str(exc)


@pytest.mark.parametrize("odd", ["\r", "\x85", "\u2028", "\u2029"])
def test_a_line_break_only_yaml_sees_is_reported_where_an_editor_shows_it(
    tmp_path: Path, odd: str
) -> None:
    """YAML breaks lines at a lone CR, NEL, LS and PS (pasted from web pages); most editors do
    not, so the file would mean something else than the operator sees and every line number
    would be off (found by the mangling test above). It is refused, on the line an editor shows."""
    text = KB["synonyms.yaml"]
    second = text.index("\n") + 1
    at = text.index(" ", second + 2)  # in the second line ("  buy: [alphadata]"), not its end:
    # (a CR before the LF ending a line is a Windows line end, which is fine)
    files = {**KB, "synonyms.yaml": text[:at] + odd + text[at:]}
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(write_kb(tmp_path / "kb", files))
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("synonyms.yaml", 2)
    assert f"U+{ord(odd):04X}" in problem.message


# --------------------------------------------------------------------------------------------
# A bad knowledge base stops the engine and the command line cleanly


def bad_root(tmp_path: Path) -> tuple[Path, str]:
    kappa = carrier_yaml("kappa", verdict="maybe")
    root = write_kb(tmp_path / "bad", kb(K=kappa))
    return root, f"{K}:{line_of(kappa, 'verdict: maybe')}:"


def test_engine_refuses_to_start_on_a_bad_folder(tmp_path: Path) -> None:
    root, where = bad_root(tmp_path)
    with pytest.raises(KnowledgeError) as info:
        Engine(root)
    assert where in str(info.value)


def test_engine_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="knowledge folder not found"):
        Engine(tmp_path / "nowhere")


def test_engine_refuses_a_folder_without_topics_or_entries(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"synonyms.yaml": synonyms_yaml({"data": ["gb"]})})
    with pytest.raises(KnowledgeError, match="no topics or entries found"):
        Engine(root)


def test_check_command_exits_1_naming_file_and_line(tmp_path: Path) -> None:
    root, where = bad_root(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(root)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    message = f"{where} error: kappa: cells.alpha: verdict 'maybe' is not one of yes, no, unknown"
    assert re.search(rf"^{re.escape(message)}", done.stdout, re.M), done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_check_command_passes_the_minimal_knowledge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_kb(tmp_path / "kb", KB)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert cli.main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert not re.search(r": (error|warning): ", out), out
    assert "2 cells" in out  # the summary counts the matrix


def test_ask_command_fails_cleanly_on_a_bad_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root, where = bad_root(tmp_path)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert cli.main(["ask", "x", "--knowledge", str(root)]) != 0
    captured = capsys.readouterr()
    assert where in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_url_constant_is_a_valid_source(tmp_path: Path) -> None:
    """The factory's default URL has a query string: '&' in a URL is not markup."""
    loaded = load_knowledge(write_kb(tmp_path, KB))
    assert loaded.entries["omega"].sources[0].url == URL
