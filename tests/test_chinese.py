"""zh-Hant generation: Japanese kept as written, Taiwan phrasing, and the `check` problems list."""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot import chinese
from bot.chinese import (
    DENY_LIST,
    JAPANESE_ONLY,
    PROTECTED_TERMS,
    SOURCE_FIXES,
    apply_phrase_fixes,
    hant_problems,
    to_traditional,
)


@pytest.fixture(scope="module")
def s2twp() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


def convert(text: str) -> str:
    """One text through `to_traditional`; the fixed examples below go through in one batch."""
    if (known := _converted_examples().get(text)) is not None:
        return known
    return to_traditional([text])[0]


@functools.cache
def _converted_examples() -> dict[str, str]:
    texts = [hans for hans, _ in CONVERSIONS]
    texts += [variant for j in JAPANESE for variant in (j, f"请看{j}的说明")]
    return dict(zip(texts, to_traditional(texts), strict=True))


# (authored zh-Hans, wanted zh-Hant): every damage seen with plain s2twp, in real sentences.
CONVERSIONS = [
    # Japanese inside Chinese sentences stays Japanese.
    ("违反携帯電話不正利用防止法（第20条）", "違反携帯電話不正利用防止法（第20條）"),
    ("涉及携帯電話不正利用防止法。", "涉及携帯電話不正利用防止法。"),
    ("可能违反電気通信事業法", "可能違反電気通信事業法"),
    ("日本通信SIM能送流量吗", "日本通信SIM能送流量嗎"),
    ("日本通信シンプル290加流量", "日本通信シンプル290加流量"),
    (
        "煤炉禁止出售「SIM等の通信サービス」和服务代码",
        "煤爐禁止出售「SIM等の通信サービス」和服務代碼",
    ),
    ("「パケットギフト」可送给", "「パケットギフト」可送給"),
    ("用「パケットギフト」送给朋友", "用「パケットギフト」送給朋友"),
    ("au 的「データプレゼント」只能给家人", "au 的「データプレゼント」只能給家人"),
    ("结转「データくりこし」只适用于旧套餐", "結轉「データくりこし」只適用於舊資費方案"),
    ("「最強家族プログラム」只是每月优惠", "「最強家族プログラム」只是每月優惠"),
    ("发送方在マイページ生成礼品码", "傳送方在マイページ生成禮品碼"),
    ("楽天モバイル的流量可以转给别人吗", "楽天モバイル的流量可以轉給別人嗎"),
    ("楽天和家族割引", "楽天和家族割引"),
    (
        "只适用于已停签的旧套餐和タブレットシェアプラン。",
        "只適用於已停簽的舊資費方案和タブレットシェアプラン。",
    ),
    ("用auかんたん決済付款", "用auかんたん決済付款"),
    ("软银家族データシェア还能办吗", "軟銀家族データシェア還能辦嗎"),
    ("メリハリ無制限下共享合计最多30GB", "メリハリ無制限下共享合計最多30GB"),
    ("限「生計を同じくしている者」", "限「生計を同じくしている者」"),
    ("「ドコモ流量转增给同学可以吗」", "「ドコモ流量轉增給同學可以嗎」"),  # quoted Chinese converts
    ("请提交届け出", "請提交届け出"),  # 届 is 屆 in Chinese
    # Taiwan phrasing.
    ("在マイページ输入代码，流量就到账", "在マイページ輸入代碼，流量就到帳"),
    ("促销代码禁止转让", "促銷代碼禁止轉讓"),
    ("礼品码和兑换码", "禮品碼和兌換碼"),
    ("家族データシェア已停签", "家族データシェア已停簽"),
    ("签合同前看清条款", "簽合約前看清條款"),
    (
        "最多3张数据子卡；纯数据卡；数据专用（带SMS）",
        "最多3張數據子卡；純數據卡；數據專用（帶SMS）",
    ),
    ("有二手资料说", "有二手資料說"),  # 资料 means sources: stays 資料
    ("移动数据和数据库", "行動數據和資料庫"),
    ("需マイネ王账号；我的账户", "需マイネ王帳號；我的帳戶"),
    ("请向运营商确认", "請向電信業者確認"),
    ("廉价运营商（MVNO）", "廉價電信業者（MVNO）"),
    ("同一合同人名下", "同一合約人名下"),
    ("最高300万日元罚金", "最高300萬日圓罰金"),
    ("充值后62天有效", "儲值後62天有效"),
    ("或电气通信事业法", "或電氣通信事業法"),
    # Plain Chinese: what s2twp already gets right.
    ("流量", "流量"),
    ("免费", "免費"),
    ("朋友", "朋友"),
    ("设置", "設定"),
    ("手机卡", "手機卡"),
    ("热点", "熱點"),
    # Keys that straddle two words are left alone.
    ("适合同一个人", "適合同一個人"),
    ("配套餐具", "配套餐具"),
    ("每日元气", "每日元氣"),
    ("补充值得一提", "補充值得一提"),
    ("标签和书签", "標籤和書籤"),
]


@pytest.mark.parametrize(("hans", "hant"), CONVERSIONS)
def test_conversion(hans: str, hant: str) -> None:
    assert convert(hans) == hant


def test_batch_keeps_order_and_length() -> None:
    hans = [h for h, _ in CONVERSIONS]
    assert to_traditional(hans) == [h for _, h in CONVERSIONS]
    assert to_traditional([]) == []


def test_the_converter_runs_in_a_child_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 40 MB converter never loads in the bot's own process (its peak memory)."""
    real = opencc.OpenCC

    def only_t2s(config: str) -> opencc.OpenCC:
        assert config != "s2twp", "s2twp was built in the bot's process"
        return real(config)

    monkeypatch.setattr(chinese.opencc, "OpenCC", only_t2s)
    assert to_traditional(["在子任务里转换的运营商数据"]) == ["在子任務裡轉換的電信業者數據"]


def test_without_a_child_process_it_converts_here(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(chinese.sys, "executable", "/nonexistent/python")
    assert to_traditional(["在这里转换的运营商数据"]) == ["在這裡轉換的電信業者數據"]
    assert "converting here" in caplog.text


JAPANESE = [
    "携帯電話不正利用防止法",
    "電気通信事業法",
    "日本通信",
    "「SIM等の通信サービス」",
    "「パケットギフト」",
    "「データプレゼント」",
    "「データくりこし」",
    "「最強家族プログラム」",
    "マイページ",
    "楽天モバイル",
    "「データ前借り」",
    "「データ容量シェア」",
    "「auかんたん決済」",
    "体験",  # 体 is shared with Chinese, tied to Japanese-only 験
    *PROTECTED_TERMS,
]


@pytest.mark.parametrize("japanese", JAPANESE)
def test_japanese_passes_unchanged(japanese: str) -> None:
    assert convert(japanese) == japanese
    assert convert(f"请看{japanese}的说明") == f"請看{japanese}的說明"


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("用「パケットギフト」送给", ["パケットギフト"]),
        ("已停签的旧套餐和タブレットシェアプラン", ["タブレットシェアプラン"]),
        ("违反携帯電話不正利用防止法", ["携帯電話不正利用防止法"]),
        ("违反携帯電話的规定", ["携帯電話"]),  # 携 joins 帯; 违反 and 的规定 stay Chinese
        ("「データ容量シェア」", ["データ容量シェア"]),
        ("データ容量シェア最多几张卡", ["データ容量シェア"]),
        ("软银家族データシェア还能办吗", ["データシェア"]),
        ("纯数据卡", ["數據"]),
        ("「ドコモ流量转增给同学」", ["ドコモ"]),
        ("请提交届け出", ["届け"]),  # 届 would become 屆; 交 and 出 stay alike either way
        ("用大盛り加流量", ["り"]),  # 大盛 stays alike either way: left to OpenCC
        ("运营商的套餐", []),
    ],
)
def test_protected_spans(s2twp: opencc.OpenCC, text: str, spans: list[str]) -> None:
    """Only the Japanese is protected, not the Chinese words around it."""
    masked, protected = chinese._protect(text, lambda c: s2twp.convert(c) != c)
    assert protected == spans
    assert masked.count(chinese._PLACEHOLDER) == len(spans)


def test_private_use_placeholder_survives_opencc(s2twp: opencc.OpenCC) -> None:
    assert all(s2twp.convert(chr(c)) == chr(c) for c in range(0xE000, 0xF900))
    assert s2twp.convert(f"违反{chinese._PLACEHOLDER}是什么") == f"違反{chinese._PLACEHOLDER}是什麼"


def test_private_use_in_the_input_is_kept() -> None:
    text = "流量\ue000和\ue001「パケットギフト」\U000f0000送给"
    assert convert(text) == "流量\ue000和\ue001「パケットギフト」\U000f0000送給"


# --- fuzzing ---------------------------------------------------------------------------------

_CHINESE = (
    "流量送给朋友免费设置运营商套餐合同日元充值热点数据卡专用账号户代码停签礼品兑换"
    "的了是在和用把旧新请确认违反电话号码适同一个人配具每气补得标书"
)
_JAPANESE = "パケットギフトデータくりこしマイページのをはりー携帯電話楽天気円込続読払実験駅"
_OTHER = "「」『』，。：；（）、 \nSIMauGB0123"

_mixed = st.text(alphabet=_CHINESE + _JAPANESE + _OTHER, max_size=30)
_pure_chinese = st.text(alphabet=_CHINESE + "，。：（）、 0123GB", max_size=30)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_mixed, min_size=1, max_size=6))
def test_placeholders_never_leak(texts: list[str]) -> None:
    out = to_traditional(texts)
    assert len(out) == len(texts)
    for text, hant in zip(texts, out, strict=True):
        assert not chinese._PRIVATE_USE.search(hant)
        for run in re.findall("[\u3041-\u309f\u30a0-\u30ff]+", text):
            assert run in hant  # kana is never touched


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pure_chinese, min_size=1, max_size=6))
def test_pure_chinese_is_s2twp_plus_phrase_fixes(s2twp: opencc.OpenCC, texts: list[str]) -> None:
    assume(not any(key in text for text in texts for key in (*SOURCE_FIXES, *PROTECTED_TERMS)))
    assert to_traditional(texts) == [apply_phrase_fixes(s2twp.convert(t)) for t in texts]


# --- hant_problems ---------------------------------------------------------------------------


@pytest.mark.parametrize("term", list(DENY_LIST))
def test_every_deny_list_term_is_flagged(term: str) -> None:
    problems = hant_problems(f"請看{term}的說明")
    assert problems
    assert any(term in p for p in problems)


@pytest.mark.parametrize(
    ("hans", "damaged"),
    [
        ("违反携帯電話不正利用防止法", "攜帯"),
        ("日本通信SIM", "日本通訊"),
        ("電気通信事業法", "電気通訊"),
        ("或电气通信事业法", "電氣通訊"),
        ("输入代码", "程式碼"),
        ("已停签", "停籤"),
        ("纯数据卡", "資料卡"),
        ("数据专用", "資料專用"),
        ("账号", "賬號"),
        ("账户", "賬戶"),
        ("运营商", "運營商"),
        ("套餐", "套餐"),
        ("300万日元", "日元"),
    ],
)
def test_plain_s2twp_damage_is_flagged_and_fixed(
    s2twp: opencc.OpenCC, hans: str, damaged: str
) -> None:
    plain = s2twp.convert(hans)
    assert damaged in plain
    assert hant_problems(plain)
    assert hant_problems(convert(hans)) == []


def test_half_converted_japanese_is_flagged() -> None:
    (problem,) = hant_problems("參加體験活動")  # 体験 with 体 converted, 験 left
    assert "體験" in problem and "体験" in problem
    assert hant_problems("在當駅下車")
    (problem,) = hant_problems("攜帯電話")  # on the deny list: reported once, not twice
    assert "攜帯" in problem


def test_no_problems_on_corrected_output() -> None:
    assert [p for _, hant in CONVERSIONS for p in hant_problems(hant)] == []
    assert hant_problems("") == []
    assert hant_problems("後払い、楽天會員、携帯電話會社、資料庫、每日元氣、配套餐具") == []


def test_leftover_placeholder_is_flagged() -> None:
    assert hant_problems(f"流量{chinese._PLACEHOLDER}") != []


def test_knowledge_base_converts_cleanly() -> None:
    """Every zh-Hans answer in the knowledge base converts without a problem."""
    yaml = pytest.importorskip("yaml")
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "zh-Hans" and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((Path(__file__).parent.parent / "knowledge").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert texts
    problems = {
        t: p for t, h in zip(texts, to_traditional(texts), strict=True) if (p := hant_problems(h))
    }
    assert problems == {}


# --- the Japanese-only set -------------------------------------------------------------------


def test_japanese_only_examples() -> None:
    japanese = (
        "帯楽譲繰円気変転売続読払込辺単発実験駅関覚黒歩検営拡択図広応沢浜県様総縁隣戦歳薬恵渉"
    )
    shared_or_chinese = "国会学号体台点条区旧与万礼携带乐气电话流量的是菓椀"
    assert [c for c in japanese if c not in JAPANESE_ONLY] == []
    assert [c for c in shared_or_chinese if c in JAPANESE_ONLY] == []


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _opencc_table(tmp: Path, name: str) -> dict[str, list[str]]:
    root = Path(opencc.__file__).parent / "clib"
    tool = root / "bin" / "opencc_dict"
    if not tool.exists():
        pytest.skip("opencc_dict is not shipped with this opencc build")
    out = tmp / f"{name}.txt"
    source = root / "share" / "opencc" / f"{name}.ocd2"
    subprocess.run([tool, "-i", source, "-o", out, "-f", "ocd2", "-t", "text"], check=True)
    table = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        key, values = line.split("\t")
        table[key] = values.split(" ")
    return table


def test_japanese_only_set_is_derived_from_opencc(tmp_path: Path) -> None:
    """Re-derive JAPANESE_ONLY exactly as documented in bot/chinese.py."""
    chinese_chars = set()
    for name in ("STCharacters", "TSCharacters"):
        for key, values in _opencc_table(tmp_path, name).items():
            chinese_chars |= {key, *values}
    shinjitai = set(_opencc_table(tmp_path, "JPShinjitaiCharacters"))
    jis = {c for c in map(chr, range(0x4E00, 0xA000)) if _encodes(c, "shift_jis")}
    derived = {
        c
        for c in jis | shinjitai
        if not _encodes(c, "gb2312") and not _encodes(c, "big5") and c not in chinese_chars
    }
    assert len(derived) == 759
    assert derived | set("繰浜") == JAPANESE_ONLY


def test_japanese_only_set_agrees_with_conversions() -> None:
    """Cross-check with the converters: OpenCC treats none of them as Chinese."""
    s2t, t2s, jp2t = (opencc.OpenCC(c) for c in ("s2t", "t2s", "jp2t"))
    for char in JAPANESE_ONLY - set("繰浜"):
        assert s2t.convert(char) == char and t2s.convert(char) == char, char
        assert not _encodes(char, "gb2312") and not _encodes(char, "big5"), char
    assert jp2t.convert("帯楽気円") == "帶樂氣圓"
