"""Interface wording in every reply language. zh-Hant is generated from zh-Hans with OpenCC."""

from __future__ import annotations

from bot.chinese import to_traditional

_BASE: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "clarify": "你想问的是哪一个？",
        "clarify_pick": "请回复编号，或点按钮：",
        "fallback": (
            "抱歉，这个问题我还答不上来。我能回答的是日本手机套餐的流量问题：\n"
            "• 能不能把流量送给朋友（各运营商）\n"
            "• 热点共享、家庭/多回线共享、流量结转\n"
            "• 卖流量、转让 SIM 卡的法律风险\n"
            "试试：「mineo 能送流量吗」，或用 /policy 查看各运营商。"
        ),
        "source": "来源",
        "checked": "核对日期",
        "undated": "未注明日期",
        "related": "相关",
        "more_in_private": "详情请私聊查看",
        "details_button": "📖 查看详情",
        "thanks_feedback": "谢谢反馈！",
        "help": (
            "我回答关于日本手机流量的问题，尤其是「能不能把流量送给朋友」。\n"
            "直接发问题即可，例如：「乐天能送流量吗」「ahamo 开热点要钱吗」。\n\n"
            "/policy 运营商 — 查看某家运营商的政策（例：/policy mineo）\n"
            "/lang — 选择回复语言\n"
            "/about — 知识库版本\n"
            "在群里：用 /policy，或回复我的消息、@我。"
        ),
        "policy_pick": "选择运营商：",
        "policy_unknown": "没找到这个运营商。请从下面选择：",
        "lang_pick": "选择回复语言：",
        "lang_set": "好的，以后用简体中文回复。",
        "about": "知识库版本 {version}，共 {count} 条，最后加载于 {loaded}。",
        "not_operator": "抱歉，这个命令只有管理员可以使用。",
        "stale_button": "这个按钮已经过期了，请重新提问。",
        "start": "你好！我是 simbot，回答日本手机流量的问题。",
        "inline_none": "没有找到结果 — 点这里私聊提问",
        "cmd_start": "开始",
        "cmd_help": "能问什么、怎么问",
        "cmd_policy": "查看运营商的流量政策（例：/policy mineo）",
        "cmd_lang": "选择回复语言",
        "cmd_about": "知识库版本",
    },
    "ja": {
        "clarify": "どれについての質問ですか？",
        "clarify_pick": "番号で返信するか、ボタンを押してください：",
        "fallback": (
            "すみません、その質問にはまだ答えられません。答えられるのは日本の携帯プランのデータ容量についてです：\n"
            "• ギガを友達にあげられるか（各キャリア）\n"
            "• テザリング、家族・複数回線でのシェア、繰り越し\n"
            "• データの売買や SIM 譲渡の法的リスク\n"
            "例：「mineo でギガをプレゼントできる？」、または /policy でキャリア一覧。"
        ),
        "source": "出典",
        "checked": "確認日",
        "undated": "日付なし",
        "related": "関連",
        "more_in_private": "詳しくは個別チャットで",
        "details_button": "📖 詳しく見る",
        "thanks_feedback": "フィードバックありがとうございます！",
        "help": (
            "日本の携帯のデータ容量、特に「ギガを友達にあげられるか」についてお答えします。\n"
            "質問をそのまま送ってください。例：「楽天でギガをあげられる？」「ahamo のテザリングは有料？」\n\n"
            "/policy キャリア名 — キャリアごとの方針（例：/policy mineo）\n"
            "/lang — 返信の言語\n"
            "/about — ナレッジベースの版\n"
            "グループでは /policy、私への返信、またはメンションで呼んでください。"
        ),
        "policy_pick": "キャリアを選んでください：",
        "policy_unknown": "そのキャリアは見つかりませんでした。下から選んでください：",
        "lang_pick": "返信の言語を選んでください：",
        "lang_set": "これから日本語で返信します。",
        "about": "ナレッジベース版 {version}、{count} 件、最終読み込み {loaded}。",
        "not_operator": "すみません、このコマンドは管理者専用です。",
        "stale_button": "このボタンは期限切れです。もう一度質問してください。",
        "start": "こんにちは！simbot です。日本の携帯のデータ容量についてお答えします。",
        "inline_none": "見つかりませんでした — ここをタップして個別に質問",
        "cmd_start": "はじめる",
        "cmd_help": "質問できることと聞き方",
        "cmd_policy": "キャリアごとのデータ容量の方針（例：/policy mineo）",
        "cmd_lang": "返信の言語を選ぶ",
        "cmd_about": "ナレッジベースの版",
    },
    "en": {
        "clarify": "Which of these did you mean?",
        "clarify_pick": "Reply with a number or tap a button:",
        "fallback": (
            "Sorry, I can't answer that one yet. I answer questions about data on Japanese mobile plans:\n"
            "• whether you can give data to a friend (per carrier)\n"
            "• tethering, family / multi-line sharing, carry-over\n"
            "• the legal risks of selling data or handing over a SIM\n"
            'Try: "Can I gift data on mineo?", or /policy for the carriers.'
        ),
        "source": "Source",
        "checked": "checked",
        "undated": "undated",
        "related": "Related",
        "more_in_private": "Full answer in private chat",
        "details_button": "📖 Details",
        "thanks_feedback": "Thanks for the feedback!",
        "help": (
            'I answer questions about mobile data in Japan, above all "can I give my data to a friend?".\n'
            'Just send your question, e.g. "Can I gift data on Rakuten?" or "Is tethering free on ahamo?"\n\n'
            "/policy carrier — one carrier's rules (e.g. /policy mineo)\n"
            "/lang — reply language\n"
            "/about — knowledge base version\n"
            "In groups: use /policy, reply to me, or mention me."
        ),
        "policy_pick": "Pick a carrier:",
        "policy_unknown": "I don't know that carrier. Pick one below:",
        "lang_pick": "Choose the reply language:",
        "lang_set": "OK, I'll reply in English from now on.",
        "about": "Knowledge base {version}, {count} entries, last loaded {loaded}.",
        "not_operator": "Sorry, only the bot's operators can use this command.",
        "stale_button": "This button has expired; please ask again.",
        "start": "Hi! I'm simbot. I answer questions about mobile data in Japan.",
        "inline_none": "No results — tap here to ask me in private",
        "cmd_start": "Start",
        "cmd_help": "What I answer and how to ask",
        "cmd_policy": "One carrier's data rules (e.g. /policy mineo)",
        "cmd_lang": "Choose the reply language",
        "cmd_about": "Knowledge base version",
    },
}

MESSAGES: dict[str, dict[str, str]] = {
    **_BASE,
    "zh-Hant": dict(
        zip(_BASE["zh-Hans"], to_traditional(list(_BASE["zh-Hans"].values())), strict=True)
    ),
}
MESSAGES["zh-Hant"]["lang_set"] = "好的，以後用繁體中文回覆。"

LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "ja": "日本語", "en": "English"}


def t(lang: str, key: str, **values: object) -> str:
    text = MESSAGES.get(lang, MESSAGES["en"])[key]
    return text.format(**values) if values else text
