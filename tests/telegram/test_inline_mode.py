"""Inline mode: `@bot query` lists answers in the asker's language; an empty query suggests,
a hopeless one offers a private chat."""

from __future__ import annotations

import pytest

from bot.compose import compose, summary_line, target_title
from bot.engine import Engine
from bot.messages import t
from bot.render import answer_text
from bot.telegram.inline import START_PAYLOAD, SUGGESTIONS
from tests.telegram.expected import target, ui
from tests.telegram.fakes import Harness


def _article(engine: Engine, key: str, lang: str) -> dict:
    """What one result should carry."""
    snapshot = engine.snapshot
    found = target(engine, key)
    return {
        "id": key,
        "title": target_title(snapshot, found, lang),
        "description": summary_line(snapshot, found, lang),
        "message_text": answer_text(compose(snapshot, found, lang), lang).text,
    }


def _seen(result: dict) -> dict:
    return {
        "id": result["id"],
        "title": result["title"],
        "description": result["description"],
        "message_text": result["input_message_content"]["message_text"],
    }


@pytest.mark.parametrize(("code", "lang"), [("en", "en"), ("ja", "ja"), ("zh-hans", "zh-Hans")])
async def test_results_are_in_the_askers_language(
    tg: Harness, engine: Engine, code: str, lang: str
) -> None:
    answer = await tg.inline("mineo", language_code=code)
    first = answer["results"][0]
    assert _seen(first) == _article(engine, "@mineo", lang)
    assert first["type"] == "article"
    assert first["input_message_content"]["parse_mode"] == "HTML"
    assert answer["is_personal"] is True
    assert answer["button"] == {"text": t(lang, "inline_more"), "start_parameter": START_PAYLOAD}


async def test_a_chinese_query_is_answered_in_chinese(tg: Harness, engine: Engine) -> None:
    answer = await tg.inline("ahamo开热点要钱吗", language_code="en")
    assert _seen(answer["results"][0]) == _article(engine, "tethering~ahamo", "zh-Hans")


async def test_a_chosen_language_wins_in_inline_mode_too(tg: Harness, engine: Engine) -> None:
    await tg.send("/lang ja")
    answer = await tg.inline("mineo", language_code="en")
    assert _seen(answer["results"][0]) == _article(engine, "@mineo", "ja")


async def test_hotspot_lists_the_tethering_overview_first_and_not_cash_for_data_second(
    tg: Harness, engine: Engine
) -> None:
    answer = await tg.inline("热点", language_code="en")
    ids = [r["id"] for r in answer["results"]]
    assert ids[0] == "tethering"
    assert "cash-for-data" not in ids[1:2]
    assert _seen(answer["results"][0]) == _article(engine, "tethering", "zh-Hans")


async def test_results_follow_the_search_with_unique_short_ids(tg: Harness, engine: Engine) -> None:
    answer = await tg.inline("mineo 能送流量吗", language_code="zh-hans")
    ids = [r["id"] for r in answer["results"]]
    assert ids == [found.key() for found in engine.search("mineo 能送流量吗", limit=10)]
    assert 1 <= len(ids) <= 10
    assert len(set(ids)) == len(ids)
    assert all(len(i.encode()) <= 64 for i in ids)


async def test_an_empty_query_suggests_answers(tg: Harness, engine: Engine) -> None:
    answer = await tg.inline("", language_code="en")
    ids = [r["id"] for r in answer["results"]]
    assert ids == list(SUGGESTIONS)
    assert _seen(answer["results"][0]) == _article(engine, SUGGESTIONS[0], "en")
    assert answer["button"]["text"] == t("en", "inline_more")


async def test_an_empty_query_puts_the_most_asked_first(tg: Harness) -> None:
    for _ in range(2):
        await tg.send("povo开热点要钱吗")
    answer = await tg.inline("", language_code="en")
    ids = [r["id"] for r in answer["results"]]
    assert ids[0] == "tethering~povo"
    assert set(SUGGESTIONS) <= set(ids)


async def test_a_hopeless_query_offers_a_private_chat(tg: Harness) -> None:
    answer = await tg.inline("pizza recipe", language_code="en")
    assert answer["results"] == []
    assert answer["button"] == {"text": t("en", "inline_none"), "start_parameter": START_PAYLOAD}


async def test_the_inline_start_payload_greets(tg: Harness) -> None:
    await tg.send(f"/start {START_PAYLOAD}", language_code="en")
    assert tg.api.texts() == [ui("en", "start") + "\n" + ui("en", "help")]
