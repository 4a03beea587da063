"""The command line as an operator and a terminal user meet it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import TerminalChat, main
from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


def test_ask_prints_the_answer_a_user_sees() -> None:
    code, text = run_cli("ask", "mineo能把流量送给朋友吗")
    assert code == 0
    assert "パケットギフト" in text
    assert "2026-11-25" in text  # the date the facts were checked


def test_ask_json_has_the_documented_shape() -> None:
    code, text = run_cli("ask", "Can I gift data on au?", "--json")
    assert code == 0
    data = json.loads(text)
    assert set(data) == {"decision", "id", "score", "candidates", "lang", "answer"}
    assert data["decision"] == "answer" and data["lang"] == "en"
    assert data["id"] in ("au", "au-data-present")
    assert all(set(c) == {"id", "score"} for c in data["candidates"])
    assert 0 <= data["score"] <= 100


def test_ask_respects_an_explicit_language() -> None:
    _, text = run_cli("ask", "mineo能把流量送给朋友吗", "--lang", "zh-Hant", "--json")
    data = json.loads(text)
    assert data["lang"] == "zh-Hant"
    assert "贈" in data["answer"] or "給" in data["answer"]  # Traditional characters


def test_check_is_clean_on_the_shipped_knowledge_base() -> None:
    code, text = run_cli("check")
    assert code == 0, text
    assert "0 self-test failure(s)" in text


def test_check_names_file_and_line_of_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "kb"
    bad.mkdir()
    (bad / "broken.yaml").write_text("entries:\n  - id: x\n    kind: [unclosed\n", encoding="utf-8")
    code, text = run_cli("check", str(bad))
    assert code == 1
    assert "broken.yaml:" in text and "YAML syntax" in text


def test_eval_reports_per_language_and_latency(tmp_path: Path) -> None:
    cases = [
        {"q": "mineo能送流量吗", "expect": "mineo", "lang": "zh-Hans"},
        {"q": "楽天でギガをあげられる？", "expect": ["rakuten"], "lang": "ja"},
        {"q": "明天天气怎么样", "expect": None, "lang": "zh-Hans"},
    ]
    path = tmp_path / "eval.yaml"
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    code, text = run_cli("eval", str(path), "--json")
    assert code == 0
    data = json.loads(text)
    assert data["overall"]["in_scope"] == 2 and data["overall"]["out_of_scope"] == 1
    assert data["overall"]["answered_correct"] == 100.0
    assert data["overall"]["false_answer"] == 0.0
    assert set(data["by_lang"]) == {"zh-Hans", "ja"}
    assert data["latency"]["p99_us"] > 0
    assert [c["q"] for c in data["cases"]] == [c["q"] for c in cases]
    code, table = run_cli("eval", str(path))
    assert "overall" in table and "p99" in table


def test_eval_rejects_a_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text("- {q: 1}\n", encoding="utf-8")
    assert run_cli("eval", str(path))[0] == 2


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(KNOWLEDGE)


def chat(engine: Engine, *lines: str) -> str:
    out = io.StringIO()
    TerminalChat(engine, out).run(io.StringIO("".join(line + "\n" for line in lines)))
    return out.getvalue()


def test_chat_answers_and_numbered_clarify_choices_work(engine: Engine) -> None:
    reply = engine.ask("套餐")
    assert reply.decision == "clarify"
    first = engine.snapshot.entry(reply.candidates[0].id)
    text = chat(engine, "套餐", "1")
    assert "1. " in text
    assert first.answer["zh-Hans"].splitlines()[0] in text


def test_chat_policy_lang_and_quit(engine: Engine) -> None:
    text = chat(engine, "/lang en", "/policy 乐天", "/quit", "never read")
    assert "English" in text
    assert engine.snapshot.entry("rakuten").title["en"] in text
    assert "never read" not in text


def test_chat_policy_without_argument_lists_carriers(engine: Engine) -> None:
    text = chat(engine, "/policy")
    assert "mineo" in text and "rakuten" in text


def test_make_run_without_token_starts_the_terminal_chat(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="mineo能送流量吗\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env here
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "terminal chat" in proc.stderr
    assert "パケットギフト" in proc.stdout


def test_a_malformed_token_stops_start_up_with_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "not-a-token"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN is malformed" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "not-a-token" not in proc.stderr
