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
from knowledge_factory import entry_yaml, kb_file, line_of, q, write_kb

from bot import cli
from bot.engine import Engine
from bot.knowledge import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MIN_QUESTIONS,
    KnowledgeError,
    Problem,
    load_knowledge,
)

REPO = Path(__file__).resolve().parent.parent
GOOD = kb_file(entry_yaml("alpha"))

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


def replace_key(text: str, key: str, block: str) -> str:
    """Replace an entry key's whole block (its line and the deeper-indented lines after it)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"    {key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("     "):
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


def test_minimal_entries_load_with_generated_traditional_chinese(tmp_path: Path) -> None:
    text = kb_file(entry_yaml("alpha", see_also=["mvno"]), entry_yaml("mvno", kind="carrier"))
    kb = load_knowledge(write_kb(tmp_path, {"a.yaml": text}))
    assert list(kb.entries) == ["alpha", "mvno"]
    alpha = kb.entries["alpha"]
    assert (alpha.file, alpha.line) == ("a.yaml", 2)
    assert set(alpha.title) == {"zh-Hans", "zh-Hant", "ja", "en"}
    assert {lang: len(qs) for lang, qs in alpha.questions.items()} == MIN_QUESTIONS
    assert kb.entries["mvno"].carrier == "mvno"
    assert kb.warnings == ()


def test_version_follows_content(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.yaml": GOOD})
    first = load_knowledge(root).version
    assert load_knowledge(root).version == first
    write_kb(root, {"a.yaml": kb_file(entry_yaml("alpha", answer="Changed."))})
    assert load_knowledge(root).version != first


def test_byte_order_mark_loads(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.yaml": b"\xef\xbb\xbf" + GOOD.encode()})
    assert list(load_knowledge(root).entries) == ["alpha"]


def test_real_knowledge_base_loads() -> None:
    kb = load_knowledge(REPO / "knowledge")
    assert kb.entries and all(e.sources for e in kb.entries.values())


def test_stale_verified_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = kb_file(entry_yaml("alpha"), entry_yaml("old", verified="2020-01-01"))
    kb = load_knowledge(write_kb(tmp_path, {"a.yaml": text}), today=dt.date(2026, 11, 25))
    assert "old" in kb.entries
    (warning,) = kb.warnings
    assert (warning.file, warning.line, warning.severity) == (
        "a.yaml",
        line_of(text, "id: old"),
        "warning",
    )
    assert "over a year old" in warning.message
    assert str(warning).startswith(f"a.yaml:{warning.line}: warning:")


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {"sub/a.yaml": GOOD})
    (root / "sub" / "loop").symlink_to("..", target_is_directory=True)
    (root / "self").symlink_to("self", target_is_directory=True)
    kb = load_knowledge(root)
    assert list(kb.entries) == ["alpha"]  # not a duplicate id from sub/loop/sub/a.yaml


def test_self_referencing_file_symlink_is_reported(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.yaml": GOOD})
    (root / "b.yaml").symlink_to("b.yaml")
    assert_problem(problems_for(root), "b.yaml", 1, "cannot read file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_and_device_do_not_block(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.yaml": GOOD})
    os.mkfifo(root / "pipe.yaml")
    (root / "zero.yaml").symlink_to("/dev/zero")
    problems = problems_for(root)
    assert_problem(problems, "pipe.yaml", 1, "not a regular file")
    assert_problem(problems, "zero.yaml", 1, "not a regular file")


def test_fifty_megabyte_file_is_refused_by_size(tmp_path: Path) -> None:
    root = write_kb(tmp_path, {"a.yaml": GOOD})
    with open(root / "big.yaml", "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, and no disk used
    assert_problem(problems_for(root), "big.yaml", 1, f"larger than {MAX_FILE_BYTES} bytes")


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = kb_file(
        entry_yaml(
            "alpha",
            extra=f"    names: !!python/object/apply:os.system [{q('touch ' + str(marker))}]",
        )
    )
    root = write_kb(tmp_path / "kb", {"a.yaml": text})
    assert_problem(problems_for(root), "a.yaml", line_of(text, "!!python"), "is not allowed")
    assert not marker.exists()


# --------------------------------------------------------------------------------------------
# Bad files: (files, file, line or the text that marks the line, message fragment)

DUP = kb_file(entry_yaml("alpha", extra="    title: {en: Again}"))
TWO = kb_file(entry_yaml("alpha"), entry_yaml("beta", kind="topic", extra="    carrier: alpha"))
LONG_TITLE = "T" * (MAX_CHARS["title"] + 1)
LONG_ANSWER = "<&>" * (MAX_CHARS["answer"] // 3 + 1)
LONG_QUESTION = "q" * (MAX_CHARS["question"] + 1)
LONG_URL = "https://example.com/" + "x" * MAX_CHARS["url"]

BAD_CASES = [
    pytest.param(
        {"a.yaml": GOOD.replace("    kind: topic", "    kind: topic: oops")},
        "a.yaml",
        "kind: topic: oops",
        "YAML syntax: mapping values are not allowed",
        id="yaml-syntax",
    ),
    pytest.param(
        {"a.yaml": GOOD.replace('      ja: "About', '  \tja: "About')},
        "a.yaml",
        "\tja",
        "tab character",
        id="tab",
    ),
    pytest.param(
        {"a.yaml": "entries:\n  id: alpha\n"},
        "a.yaml",
        2,
        "entries: expected a list",
        id="entries-not-list",
    ),
    pytest.param(
        {"a.yaml": "- alpha\n- beta\n"}, "a.yaml", 1, "file: expected a mapping", id="top-list"
    ),
    pytest.param(
        {"a.yaml": replace_key(GOOD, "title", "    title: [About, alpha]\n")},
        "a.yaml",
        "title: [",
        "alpha: title: expected a mapping",
        id="title-is-list",
    ),
    pytest.param(
        {
            "a.yaml": replace_key(
                GOOD,
                "questions",
                "    questions:\n      zh-Hans: [a b c, d e f, g h i]\n      ja: [a b, c d]\n"
                "      en: just one string\n",
            )
        },
        "a.yaml",
        "en: just one string",
        "alpha: questions.en: expected a list",
        id="questions-not-list",
    ),
    pytest.param(
        {"a.yaml": replace_key(GOOD, "verified", "    verified: soon\n")},
        "a.yaml",
        "verified: soon",
        "expected a date YYYY-MM-DD",
        id="verified-not-date",
    ),
    pytest.param(
        {"a.yaml": replace_key(GOOD, "sources", "    sources: https://example.com\n")},
        "a.yaml",
        "sources: https",
        "sources: expected a non-empty list",
        id="sources-scalar",
    ),
    pytest.param(
        {"a.yaml": replace_key(GOOD, "sources", "")},
        "a.yaml",
        "id: alpha",
        "alpha: missing key 'sources'",
        id="sources-missing",
    ),
    pytest.param(
        {"a.yaml": replace_key(GOOD, "sources", "    sources: []\n")},
        "a.yaml",
        "sources: []",
        "sources: expected a non-empty list",
        id="sources-empty",
    ),
    pytest.param(
        {
            "a.yaml": replace_key(
                GOOD, "sources", "    sources:\n      - url: ftp://x\n        as_of: undated\n"
            )
        },
        "a.yaml",
        "ftp://",
        "source url must be http(s)://host/",
        id="source-not-http",
    ),
    *(
        pytest.param(
            {"a.yaml": kb_file(entry_yaml("alpha", url=url))},
            "a.yaml",
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
        {"a.yaml": kb_file(entry_yaml("alpha", extra="    colour: red"))},
        "a.yaml",
        "colour: red",
        "alpha: unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        {"a.yaml": DUP},
        "a.yaml",
        "title: {en: Again}",
        f"duplicate key 'title' (first at line {line_of(DUP, '    title:')})",
        id="duplicate-key",
    ),
    pytest.param(
        {"a.yaml": GOOD, "b/b.yaml": GOOD},
        "b/b.yaml",
        2,
        "duplicate id 'alpha' (first in a.yaml:2)",
        id="duplicate-id-across-files",
    ),
    pytest.param(
        {"a.yaml": BILLION_LAUGHS},
        "a.yaml",
        1,
        "anchors and aliases (&name, *name) are not allowed",
        id="billion-laughs",
    ),
    pytest.param(
        {"a.yaml": GOOD + "other: *x\n"}, "a.yaml", GOOD.count("\n") + 1, "alias", id="alias"
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("alpha", extra="    names: !!set {a, b}"))},
        "a.yaml",
        "!!set",
        "tag tag:yaml.org,2002:set is not allowed",
        id="set-tag",
    ),
    pytest.param(
        {"a.yaml": GOOD.encode().replace(b"kind: topic", b"kind: to\xffpic")},
        "a.yaml",
        3,
        "not valid UTF-8",
        id="not-utf8",
    ),
    pytest.param({"a.yaml": GOOD.encode("utf-16")}, "a.yaml", 1, "not valid UTF-8", id="utf16"),
    pytest.param(
        {"a.yaml": GOOD.replace("    kind: topic", "    kind: to\x07pic")},
        "a.yaml",
        "kind: to",
        "character U+0007 is not allowed",
        id="control-character",
    ),
    pytest.param({"a.yaml": GOOD, "empty.yaml": ""}, "empty.yaml", 1, "file is empty", id="empty"),
    pytest.param(
        {"a.yaml": GOOD, "c.yaml": "# only a comment\n"},
        "c.yaml",
        1,
        "file is empty",
        id="comments-only",
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("alpha", extra="    names: " + "[" * 100 + "]" * 100))},
        "a.yaml",
        "names: [[",
        f"nested more than {MAX_DEPTH} levels deep",
        id="deep-nesting",
    ),
    pytest.param(
        {"a.yaml": GOOD.replace('      ja: "About alpha"\n', "")},
        "a.yaml",
        "    title:",
        "alpha: title: missing language 'ja'",
        id="missing-language",
    ),
    pytest.param(
        {"a.yaml": GOOD.replace('      ja: "About alpha"\n', '      zh-Hant: "About alpha"\n')},
        "a.yaml",
        "zh-Hant",
        "unknown language 'zh-Hant' (zh-Hant is generated from zh-Hans)",
        id="authored-zh-hant",
    ),
    pytest.param(
        {"a.yaml": GOOD.replace("        - alpha alphaja2 alphaplan alphadata\n", "")},
        "a.yaml",
        "      ja:\n        - alpha alphaja1",
        f"alpha: questions.ja: at least {MIN_QUESTIONS['ja']} needed",
        id="too-few-questions",
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("alpha", see_also=["nowhere"]))},
        "a.yaml",
        "see_also:",
        "alpha: see_also 'nowhere' does not exist",
        id="dead-see-also",
    ),
    pytest.param(
        {"a.yaml": TWO},
        "a.yaml",
        "carrier: alpha",
        "beta: carrier 'alpha' is not a carrier card",
        id="carrier-is-a-topic",
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("Alpha"))}, "a.yaml", 2, "use lower-case letters", id="bad-id"
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("alpha", title=LONG_TITLE))},
        "a.yaml",
        LONG_TITLE,
        f"alpha: title.zh-Hans: {len(LONG_TITLE)} characters, at most {MAX_CHARS['title']} allowed",
        id="title-too-long",
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("alpha", answer=LONG_ANSWER))},
        "a.yaml",
        LONG_ANSWER[:20],
        f"at most {MAX_CHARS['answer']} allowed",
        id="answer-too-long",
    ),
    pytest.param(
        {"a.yaml": GOOD.replace("alpha alphaen2 alphaplan alphadata", LONG_QUESTION)},
        "a.yaml",
        LONG_QUESTION,
        f"alpha: questions.en: {len(LONG_QUESTION)} characters",
        id="question-too-long",
    ),
    pytest.param(
        {"a.yaml": kb_file(entry_yaml("alpha", url=LONG_URL))},
        "a.yaml",
        LONG_URL,
        f"at most {MAX_CHARS['url']} allowed",
        id="url-too-long",
    ),
    pytest.param(
        {"a.yaml": GOOD, "synonyms.yaml": "synonyms:\n  data: [ギガ]\n  Data: [流量]\n"},
        "synonyms.yaml",
        3,
        "synonyms: 'Data': use a lower-case ascii name",
        id="bad-synonym-name",
    ),
    pytest.param(
        {"a.yaml": GOOD, "synonyms.yaml": "synonym:\n  data: [ギガ]\n"},
        "synonyms.yaml",
        1,
        "unknown top-level key 'synonym'",
        id="unknown-top-level-key",
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
    text = kb_file(
        entry_yaml("alpha", extra="    colour: red"), entry_yaml("beta", see_also=["nowhere"])
    )
    root = write_kb(tmp_path, {"a.yaml": text, "b.yaml": "entries: [\n"})
    problems = problems_for(root)
    assert {p.file for p in problems} == {"a.yaml", "b.yaml"}
    assert_problem(problems, "a.yaml", line_of(text, "colour"), "unknown key")
    assert_problem(problems, "a.yaml", line_of(text, "see_also"), "does not exist")


# A valid file with a few characters deleted, inserted or replaced anywhere: the loader either
# accepts it or reports problems inside that file, and never raises anything else.
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
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(GOOD)), st.integers(0, 3), _PIECES | st.text(max_size=3)),
        min_size=1,
        max_size=4,
    )
)
def test_mangled_file_never_crashes_the_loader(tmp_path: Path, edits: list) -> None:
    text = GOOD
    for pos, drop, insert in edits:
        text = text[:pos] + insert + text[pos + drop :]
    root = write_kb(tmp_path / "kb", {"a.yaml": text.encode("utf-8", "surrogatepass")})
    try:
        load_knowledge(root)
    except KnowledgeError as exc:
        n_lines = text.count("\n") + 1
        for p in exc.problems:
            assert p.file == "a.yaml" and 1 <= p.line <= n_lines, str(p)
            assert p.message


# --------------------------------------------------------------------------------------------
# A bad knowledge base stops the engine and the command line cleanly


def bad_root(tmp_path: Path) -> tuple[Path, str]:
    text = kb_file(entry_yaml("alpha", extra="    colour: red"))
    return write_kb(tmp_path / "bad", {"a.yaml": text}), f"a.yaml:{line_of(text, 'colour')}:"


def test_engine_refuses_to_start_on_a_bad_folder(tmp_path: Path) -> None:
    root, where = bad_root(tmp_path)
    with pytest.raises(KnowledgeError) as info:
        Engine(root)
    assert where in str(info.value)


def test_engine_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="knowledge folder not found"):
        Engine(tmp_path / "nowhere")


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
    assert re.search(rf"^{re.escape(where)} error: alpha: unknown key 'colour'$", done.stdout, re.M)
    assert "Traceback" not in done.stdout + done.stderr


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
