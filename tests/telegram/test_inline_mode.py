"""Inline mode: `@bot query` lists entries in the user's language; nothing found → a button."""

from __future__ import annotations

from bot.engine import Engine
from bot.messages import t
from bot.render import answer_text
from bot.telegram.inline import START_PAYLOAD
from tests.telegram.fakes import Harness


async def test_matching_entries_become_articles_in_the_users_language(
    tg: Harness, engine: Engine
) -> None:
    answer = await tg.inline("mineo", language_code="en")
    results = answer["results"]
    expected = [hit.id for hit in engine.search("mineo", limit=10)]
    assert [r["id"] for r in results] == expected
    assert 1 <= len(results) <= 10
    first = results[0]
    entry = engine.snapshot.entry(first["id"])
    assert first["type"] == "article"
    assert first["title"] == entry.title["en"]
    assert first["description"] == entry.summary["en"]
    content = first["input_message_content"]
    assert content["message_text"] == answer_text(entry, "en")
    assert content["parse_mode"] == "HTML"
    assert answer["is_personal"] is True
    assert "button" not in answer


async def test_without_a_client_language_the_query_script_decides(
    tg: Harness, engine: Engine
) -> None:
    answer = await tg.inline("mineo 能送流量吗", language_code=None)
    first = answer["results"][0]
    assert first["title"] == engine.snapshot.entry(first["id"]).title["zh-Hans"]


async def test_a_chosen_language_wins_in_inline_mode_too(tg: Harness, engine: Engine) -> None:
    await tg.send("/lang ja")
    answer = await tg.inline("mineo", language_code="en")
    first = answer["results"][0]
    assert first["title"] == engine.snapshot.entry(first["id"]).title["ja"]


async def test_an_empty_or_hopeless_query_offers_a_private_chat(tg: Harness) -> None:
    for query in ("", "pizza recipe"):
        answer = await tg.inline(query, language_code="en")
        assert answer["results"] == []
        assert answer["button"] == {
            "text": t("en", "inline_none"),
            "start_parameter": START_PAYLOAD,
        }


async def test_the_inline_start_payload_greets(tg: Harness) -> None:
    await tg.send(f"/start {START_PAYLOAD}", language_code="en")
    assert tg.api.texts()[0].startswith(t("en", "start"))
