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
from bot.compose import compose, pick
from bot.engine import Engine
from bot.knowledge import LANGS, KnowledgeBase
from bot.messages import LANGUAGE_NAMES, t
from bot.render import answer_text, shown_lines

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
GIFTING = "gifting-overview"


def run_cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), out=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def shared_engine(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ask` and `eval` on the shipped knowledge base use one engine, not one per command (a
    build takes about a second); `check` always builds its own."""
    import bot.cli

    real = bot.cli._engine
    monkeypatch.setattr(
        bot.cli,
        "_engine",
        lambda settings, knowledge=None: (
            real(settings, knowledge)
            if knowledge is not None or settings.knowledge_dir.resolve() != KNOWLEDGE
            else engine
        ),
    )


# --------------------------------------------------------------------------------------------
# ask


def test_ask_prints_the_answer_a_user_sees(kb: KnowledgeBase) -> None:
    code, text = run_cli("ask", "mineo能把流量送给朋友吗")
    assert code == 0
    cell = kb.cells[(GIFTING, "mineo")]
    lines = text.split("\n")
    assert lines[0] == "mineo · " + pick(kb.topics[GIFTING].title, "zh-Hans")
    assert lines[1] == cell.answer["zh-Hans"]
    assert cell.sources[0].url in text  # the official source, in full (a terminal has no links)
    assert cell.verified.isoformat() in text  # the date the facts were checked


def test_ask_json_has_the_documented_shape() -> None:
    code, text = run_cli("ask", "Can I gift data on au?", "--json")
    assert code == 0
    data = json.loads(text)
    assert set(data) == {"decision", "id", "carrier", "score", "candidates", "lang", "answer"}
    assert (data["decision"], data["id"], data["carrier"], data["lang"]) == (
        "answer",
        "au",
        "au",
        "en",
    )
    assert data["candidates"] == []
    assert 0 < data["score"] <= 100
    assert data["answer"].startswith("au · ")

    code, text = run_cli("ask", "流量", "--json")
    data = json.loads(text)
    assert (data["decision"], data["id"], data["carrier"]) == ("clarify", None, None)
    assert len(data["candidates"]) >= 2
    assert all(set(c) == {"id", "carrier", "score"} for c in data["candidates"])
    assert f"{len(data['candidates']) + 1}. {t('zh-Hans', 'none_of_these')}" in data["answer"]


@pytest.mark.parametrize(
    ("arg", "lang"),
    [("zh-hant", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("中文", "zh-Hans"), ("日本語", "ja"),
     ("ENGLISH", "en")],
)  # fmt: skip
def test_ask_accepts_a_language_code_or_name(kb: KnowledgeBase, arg: str, lang: str) -> None:
    code, text = run_cli("ask", "Can I gift data to a friend on mineo?", "--lang", arg, "--json")
    assert code == 0
    data = json.loads(text)
    assert (data["lang"], data["id"]) == (lang, "mineo")
    assert data["answer"].split("\n")[1] == kb.cells[(GIFTING, "mineo")].answer[lang]


def test_ask_refuses_an_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run_cli("ask", "mineo", "--lang", "klingon")
    assert exc.value.code == 2
    assert "unknown language 'klingon'" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# check


def test_check_is_clean_on_the_shipped_knowledge_base(kb: KnowledgeBase) -> None:
    code, text = run_cli("check")
    assert code == 0, text
    summary = text.strip().split("\n")[-1]
    assert summary.startswith(
        f"{len(kb.carriers)} carriers × {len(kb.topics)} topics = {len(kb.cells)} cells, "
        f"{len(kb.entries)} entries"
    )
    assert "0 self-test failure(s)" in summary
    assert "0 zh-Hant problem(s)" in summary


def test_check_names_file_and_line_of_a_broken_file(knowledge_copy: Path) -> None:
    (knowledge_copy / "carriers" / "broken.yaml").write_text(
        "carrier:\n  id: broken\n  names: [unclosed\n", encoding="utf-8"
    )
    code, text = run_cli("check", str(knowledge_copy))
    assert code == 1
    assert "carriers/broken.yaml:" in text and "YAML syntax" in text
    assert "the knowledge base was not loaded" in text


def test_check_flags_damaged_traditional_chinese(knowledge_copy: Path) -> None:
    path = knowledge_copy / "carriers" / "linemo.yaml"
    text = path.read_text(encoding="utf-8")
    line = "      zh-Hans: 不能：LINEMO 没有把流量送给别人的功能。\n"
    assert line in text
    # An authored override that uses the mainland word for carrier (Taiwan says 電信業者).
    override = "      zh-Hant: 不能：LINEMO 這家運營商沒有把流量送給別人的功能。\n"
    path.write_text(text.replace(line, line + override, 1), encoding="utf-8")
    code, out = run_cli("check", str(knowledge_copy))
    assert code == 1
    assert "carriers/linemo.yaml: error: zh-Hant: '運營商'" in out
    assert " 1 zh-Hant problem(s)" in out.strip().split("\n")[-1]


# --------------------------------------------------------------------------------------------
# eval


def test_eval_reports_per_language_carrier_accuracy_and_conversations(tmp_path: Path) -> None:
    cases = [
        {"q": "mineo能把流量送给朋友吗", "expect": "mineo", "carrier": "mineo", "lang": "zh-Hans"},
        {"turns": ["ahamo开热点要钱吗", "那au呢"], "expect": "tethering", "carrier": "au",
         "lang": "zh-Hans"},
        {"q": "楽天でギガをあげられる？", "expect": ["rakuten"], "lang": "ja"},
        # Right topic, wrong carrier on purpose: the carrier column must notice.
        {"q": "does au carry over unused data", "expect": "carryover", "carrier": "docomo",
         "lang": "en"},
        {"q": "日本哪家运营商能送流量", "expect": GIFTING, "carrier": None, "lang": "zh-Hans"},
        {"q": "明天天气怎么样", "expect": None, "lang": "zh-Hans"},
        {"q": "谢谢", "expect": None, "decision": "smalltalk", "lang": "zh-Hans"},
    ]  # fmt: skip
    path = tmp_path / "eval.yaml"
    path.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    code, text = run_cli("eval", str(path), "--json")
    assert code == 0
    data = json.loads(text)
    overall = data["overall"]
    assert (overall["in_scope"], overall["out_of_scope"]) == (5, 2)
    assert (overall["answered_correct"], overall["wrong"], overall["false_answer"]) == (
        80.0,
        20.0,
        0.0,
    )
    assert (overall["carrier_cases"], overall["carrier_correct"]) == (4, 75.0)
    assert overall["single_option_clarify"] == 0
    assert list(data["by_lang"]) == ["zh-Hans", "ja", "en"]
    assert data["by_lang"]["en"]["carrier_correct"] == 0.0
    conversations = data["conversations"]
    assert (conversations["in_scope"], conversations["answered_correct"]) == (1, 100.0)
    assert data["latency"]["p99_us"] > 0
    listed = data["cases"]
    assert [c.get("q") or c["turns"] for c in listed] == [c.get("q") or c["turns"] for c in cases]
    assert "q" not in listed[1] and listed[1]["turns"] == ["ahamo开热点要钱吗", "那au呢"]
    assert [c["outcome"] for c in listed] == [
        "correct", "correct", "correct", "wrong-carrier", "correct", "ok", "ok",
    ]  # fmt: skip
    assert (listed[1]["id"], listed[1]["carrier"]) == ("tethering", "au")
    assert listed[3]["expect_carrier"] == "docomo" and listed[3]["carrier"] == "au"

    code, table = run_cli("eval", str(path), "-v")
    assert code == 0
    rows = table.split("\n")
    assert "carrier" in rows[0] and "overall" in table and "p99" in table
    overall_row = next(r for r in rows if r.startswith("overall"))
    assert "75.0%" in overall_row and "80.0%" in overall_row
    assert any(r.startswith("convers.") for r in rows)
    misses = [r for r in rows if r.startswith("wrong-carrier")]
    assert len(misses) == 1 and "@docomo" in misses[0] and "carryover@au" in misses[0]


@pytest.mark.parametrize(
    "content",
    ["- {q: 1}\n", "- {turns: []}\n", "- {q: x, carrier: [a]}\n", "- {q: x, decision: maybe}\n",
     "{q: x}\n"],
)  # fmt: skip
def test_eval_rejects_a_malformed_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text(content, encoding="utf-8")
    assert run_cli("eval", str(path))[0] == 2


# --------------------------------------------------------------------------------------------
# the terminal chat


class Session:
    """A terminal chat driven line by line; `send` returns what the bot printed for that line."""

    def __init__(self, engine: Engine, lang: str | None = None) -> None:
        self.out = io.StringIO()
        self.chat = TerminalChat(engine, self.out, lang)

    def send(self, line: str) -> str:
        self.out.seek(0)
        self.out.truncate()
        assert self.chat.handle(line) is True
        return self.out.getvalue().strip("\n")


def test_chat_follow_ups_continue_the_conversation(engine: Engine, kb: KnowledgeBase) -> None:
    session = Session(engine)
    first = session.send("ahamo能开热点吗").split("\n")
    assert first[1] == kb.cells[("tethering", "ahamo")].answer["zh-Hans"]
    follow = session.send("那au呢").split("\n")
    assert follow[0] == "au · " + pick(kb.topics["tethering"].title, "zh-Hans")
    assert follow[1] == kb.cells[("tethering", "au")].answer["zh-Hans"]
    thanks = session.send("谢谢")
    assert thanks == t("zh-Hans", "smalltalk_thanks")
    again = session.send("那开热点呢 softbank").split("\n")
    assert again[1] == kb.cells[("tethering", "softbank")].answer["zh-Hans"]


def test_chat_numbers_pick_from_the_options(engine: Engine, kb: KnowledgeBase) -> None:
    session = Session(engine)
    offer = session.send("流量").split("\n")
    options = engine.ask("流量").context.options
    assert offer[0] == "“流量”" and offer[1] == t("zh-Hans", "clarify")
    assert offer[-2] == f"{len(options) + 1}. {t('zh-Hans', 'none_of_these')}"
    assert offer[-1] == t("zh-Hans", "clarify_pick")
    picked = session.send("1").split("\n")
    assert picked[1] == pick(kb.topics[options[0].topic].overview, "zh-Hans")

    fresh = Session(engine)
    fresh.send("流量")
    assert fresh.send(str(len(options) + 1)) == t("zh-Hans", "dismissed")


def test_chat_more_shows_the_rest(engine: Engine) -> None:
    question = "why can't I gift data in japan"
    reply = engine.ask(question)
    assert reply.target is not None
    composed = compose(engine.snapshot, reply.target, "en")
    assert answer_text(composed, "en", as_html=False).more  # the case under test
    first_page = shown_lines(composed, "en")

    session = Session(engine)
    text = session.send(question)
    assert text.endswith(t("en", "more_hint"))
    assert composed.lines[first_page] not in text
    rest = session.send("more")
    body = rest.split("\n\n")[0].split("\n")
    assert body[0] == composed.title
    assert body[1:] == list(composed.lines[first_page:])  # the rest, nothing repeated
    assert not rest.endswith(t("en", "more_hint"))


def test_chat_lang_names_in_any_case_and_lang_alone_shows_the_current_one(
    engine: Engine, kb: KnowledgeBase
) -> None:
    session = Session(engine)
    choices = ", ".join(f"/lang {LANGUAGE_NAMES[k]}" for k in LANGS)
    current = session.send("/lang")
    assert current == t("zh-Hans", "lang_current", choices=choices) + "\n(简体中文)"

    assert session.send("/lang english") == t("en", "lang_set")
    assert session.chat.lang == "en"
    assert session.send("/lang") == t("en", "lang_current", choices=choices)
    answer = session.send("mineo能把流量送给朋友吗").split("\n")  # the choice wins
    assert answer[1] == kb.cells[(GIFTING, "mineo")].answer["en"]

    assert session.send("/LANG 日本語") == t("ja", "lang_set")
    assert session.chat.lang == "ja"
    assert session.send("/lang klingon") == t("ja", "lang_unknown", choices=choices)
    assert session.chat.lang == "ja"


def test_chat_about_names_the_knowledge_base(engine: Engine, kb: KnowledgeBase) -> None:
    session = Session(engine, lang="en")
    expected = t(
        "en",
        "about",
        version=kb.version,
        carriers=len(kb.carriers),
        topics=len(kb.topics),
        entries=len(kb.entries),
        loaded=engine.snapshot.loaded_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
    assert session.send("/about") == expected


def test_chat_unknown_command_is_answered_in_the_chosen_language(engine: Engine) -> None:
    session = Session(engine)
    assert session.send("/frobnicate") == t("zh-Hans", "unknown_command") + "\n\n" + t(
        "zh-Hans", "help"
    )
    session.send("/lang 日本語")
    assert session.send("/frobnicate") == t("ja", "unknown_command") + "\n\n" + t("ja", "help")


def test_chat_unknown_command_follows_the_language_the_user_writes_in(engine: Engine) -> None:
    session = Session(engine)
    session.send("Can I gift data to a friend on mineo?")
    assert session.send("/frobnicate") == t("en", "unknown_command") + "\n\n" + t("en", "help")


def test_chat_policy_shows_a_card_or_lists_carriers(engine: Engine, kb: KnowledgeBase) -> None:
    session = Session(engine, lang="en")
    card = session.send("/policy 乐天").split("\n")
    assert card[0] == pick(kb.carriers["rakuten"].label, "en")
    assert card[1].endswith(kb.cells[(GIFTING, "rakuten")].answer["en"])
    follow = session.send("what about tethering?").split("\n")  # the card is the subject now
    assert follow[1] == kb.cells[("tethering", "rakuten")].answer["en"]
    listed = session.send("/policy")
    assert listed.split("\n")[-1] == ", ".join(kb.carriers)


def test_chat_quit_stops_reading(engine: Engine) -> None:
    out = io.StringIO()
    chat = TerminalChat(engine, out)
    assert chat.handle("/quit") is False
    chat.run(io.StringIO("/lang en\n/quit\nmineo能把流量送给朋友吗\n"))
    text = out.getvalue()
    assert t("en", "lang_set") in text
    assert "パケットギフト" not in text  # the line after /quit was never read


class Interrupted(io.StringIO):
    def readline(self, *args: object) -> str:  # type: ignore[override]
        raise KeyboardInterrupt


def test_chat_ctrl_c_and_ctrl_d_leave_quietly(engine: Engine) -> None:
    for stdin in (Interrupted(), io.StringIO("")):  # Ctrl-C, Ctrl-D (end of input)
        out = io.StringIO()
        TerminalChat(engine, out).run(stdin)
        text = out.getvalue()
        assert text.startswith(
            t("zh-Hans", "smalltalk_greeting") + "\n" + t("zh-Hans", "chat_hint")
        )
        assert "Traceback" not in text and "KeyboardInterrupt" not in text


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "KNOWLEDGE_DIR")}
    return {**env, "PYTHONPATH": str(ROOT)}


def _close_stdin() -> None:
    os.close(0)


@pytest.mark.parametrize(
    "closed",
    [
        pytest.param(False, id="stdin-at-eof"),
        pytest.param(True, id="stdin-closed"),
    ],
)
def test_chat_without_input_exits_cleanly(tmp_path: Path, closed: bool) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        stdin=None if closed else subprocess.DEVNULL,
        preexec_fn=_close_stdin if closed else None,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env here
        env=_env(),
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(t("zh-Hans", "smalltalk_greeting"))


def test_make_run_without_token_starts_the_terminal_chat(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="mineo能把流量送给朋友吗\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env here
        env=_env(),
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
        env={**_env(), "TELEGRAM_BOT_TOKEN": "not-a-token"},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN is malformed" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "not-a-token" not in proc.stderr


# ------------------------------------------------------------------------------ operators' CLI


def _store_with_questions(data_dir: Path) -> None:
    """A database as the running bot leaves it: answered, unanswered, unclear and 👎 questions."""
    from bot.store import Store

    store = Store(data_dir / "simbot.sqlite3")
    for decision, text in [
        ("none", "我的流量能换成乐天积分吗 电话 080-1234-5678"),
        ("clarify", "流量"),
        ("answer", "mineo能送流量吗"),  # answered: its text is not even stored
        ("none", "我的流量能换成乐天积分吗 电话 080-1234-5678"),  # a repeat: exported once
    ]:
        store.record_question(
            decision=decision,
            entry_id=None,
            score=0.0,
            lang="zh-Hans",
            chat_type="private",
            via="text",
            text=text,
        )
    store.record_feedback(
        "tethering", -1, "v1", target="tethering~ahamo", text="ahamo热点能给室友用吗"
    )
    store.close()


def test_harvest_exports_unanswered_questions_as_eval_cases_to_fill_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    _store_with_questions(tmp_path)
    out = tmp_path / "harvest.yaml"

    code, text = run_cli("harvest", "--out", str(out))

    assert code == 0 and "wrote 3 question(s)" in text
    exported = out.read_text(encoding="utf-8")
    cases = yaml.safe_load(exported)
    assert sorted((c["q"], c["expect"], c["lang"]) for c in cases) == [
        ("ahamo热点能给室友用吗", None, "zh-Hans"),
        ("我的流量能换成乐天积分吗 电话 [number]", None, "zh-Hans"),
        ("流量", None, "zh-Hans"),
    ]
    assert "080-1234-5678" not in exported  # digit runs masked
    assert "TODO expect" in exported and "thumbs-down" in exported
    # It is an eval file: `eval` reads it as it is.
    assert run_cli("eval", str(out))[0] == 0


def test_harvest_without_a_database_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "nowhere"))
    assert run_cli("harvest")[0] == 2
    assert "no database" in capsys.readouterr().err


def test_learn_teaches_a_wording_and_refuses_a_steal(
    knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_copy))
    monkeypatch.setenv("QUALITY_SETS", "")  # the gate has its own tests; keep this one fast
    question = "ahamo share?"

    code, text = run_cli("learn", question, "ahamo")  # a carrier id means its gifting

    assert code == 0, text
    assert 'learned: + - {q: "ahamo share?", target: "gifting-overview"' in text
    reply = Engine(knowledge_copy).ask(question)
    assert (reply.id, reply.carrier) == ("ahamo", "ahamo")

    code, text = run_cli("learn", "开热点要钱吗", "sim-transfer-law")

    assert code == 1
    assert "learned.yaml is unchanged." in text
    assert "开热点要钱吗" not in (knowledge_copy / "learned.yaml").read_text(encoding="utf-8")


def test_stats_writes_the_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    _store_with_questions(tmp_path)
    png = tmp_path / "stats.png"

    code, text = run_cli("stats", "--png", str(png))

    assert code == 0
    assert "4 questions in the last 30 days, 25% answered" in text
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
