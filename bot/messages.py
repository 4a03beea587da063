"""Interface wording in every reply language. zh-Hant is generated from zh-Hans with OpenCC."""

from __future__ import annotations

from bot.chinese import to_traditional

_BASE: dict[str, dict[str, str]] = {
    "zh-Hans": {
        "clarify": "你想问的是哪一个？",
        "clarify_pick": "回复编号即可。",
        "none_of_these": "都不是",
        "none": "这个我答不了：我只回答日本手机流量的问题（送流量、开热点、结转、共享、帮别人充值）。",
        "none_carrier": "关于 {carrier}，我能回答：",
        "dismissed": "好的，已记下这个问题，我们会补上。也可以换个说法再问一次。",
        "hedge": "🤔 {title}（如果我理解错了，请换个说法）",
        "smalltalk_greeting": "你好！我回答日本手机流量的问题，比如「mineo 能把流量送给朋友吗？」",
        "smalltalk_thanks": "不客气！还可以问我，比如「ahamo 开热点要钱吗？」",
        "smalltalk_ack": "👌 有问题随时问，比如「乐天的流量能结转吗？」",
        "smalltalk_bye": "再见！流量的问题随时再来问 👋",
        "aspect_unknown": "{what}：我们的资料里没有，请以{carrier}官网为准。",
        "aspect_price": "价格",
        "aspect_apply": "要不要申请",
        "aspect_validity": "有效期",
        "aspect_limit": "上限",
        "aspect_number": "能不能打电话、有没有号码",
        "aspect_receiver": "对方的条件",
        "colon": "：",
        "list_sep": "、",
        "with_note": "{name}（{note}）",
        "excluding": "（不含 {names}）",
        "cross_carrier": "不同运营商之间送不了流量：{a} 和 {b} 之间不行，见面开热点分享最简单。",
        "cross_carrier_other": "不同运营商之间送不了流量：{a} 的流量送不到别家的线路上，见面开热点分享最简单。",
        "sources": "来源：{sources}",
        "sources_checked": "来源：{sources}（内容于 {date} 按来源核对）",
        "related": "相关",
        "answered_above": "↑ 上面刚回答过。",
        "more_button": "➕ 更多",
        "more_hint": "（还有更多：输入 more）",
        "no_more": "这就是全部了。",
        "details_button": "📖 查看详情",
        "thanks_feedback": "谢谢反馈！",
        "failed": "抱歉，这条消息我这边出错了（已记录）。请再问一次，或换个说法。",
        "feedback_which": "抱歉没答好。哪一个才是你想问的？",
        "feedback_noted": "谢谢，已记下，管理员会看到。",
        "help": (
            "我回答日本手机流量的问题，尤其是「能不能把流量送给朋友」。\n"
            "直接发问题即可，例如：「乐天能送流量吗」「ahamo 开热点要钱吗」，也可以接着问「那au呢？」。\n\n"
            "/policy 运营商 — 某家运营商的一览（例：/policy mineo）\n"
            "/lang — 选择回复语言\n"
            "/about — 知识库版本\n"
            "在群里：用 /policy，或回复我的消息、@我。"
        ),
        "policy_pick": "选择运营商：",
        "policy_unknown": "没找到这个运营商。请从下面选择：",
        "lang_pick": "选择回复语言：",
        "lang_set": "好的，以后用简体中文回复。",
        "lang_current": "现在用简体中文回复。可改为：{choices}",
        "lang_unknown": "不认识这个语言。可选：{choices}",
        "about": "知识库版本 {version}，{carriers} 家运营商、{topics} 个话题、{entries} 条说明，最后加载于 {loaded}。",
        "not_operator": "抱歉，这个命令只有管理员可以使用。",
        "stale_button": "这个按钮已经过期了，请重新提问。",
        "start": "你好！我是 simbot。",
        "chat_hint": "直接输入问题；/lang 换语言（English, 日本語, 繁體中文），/help 帮助，/quit 退出。",
        "unknown_command": "没有这个命令。",
        "inline_none": "没有找到结果 — 点这里私聊提问",
        "inline_more": "点开问我更多",
        "cmd_start": "开始",
        "cmd_help": "能问什么、怎么问",
        "cmd_policy": "查看运营商的一览（例：/policy mineo）",
        "cmd_lang": "选择回复语言",
        "cmd_about": "知识库版本",
        "description": (
            "回答日本手机流量的问题：哪家能把流量送给朋友、开热点要不要钱、流量能不能结转、"
            "家人共享和帮别人充值。每个回答都附来源和核对日期。直接发问题即可。"
        ),
        "short_description": "日本手机流量问答：送流量、热点、结转、共享，附来源。",
    },
    "ja": {
        "clarify": "どれについての質問ですか？",
        "clarify_pick": "番号で返信してください。",
        "none_of_these": "どれでもない",
        "none": "その質問には答えられません。答えられるのは日本の携帯のデータ容量（プレゼント・テザリング・繰り越し・シェア・他人へのチャージ）についてです。",
        "none_carrier": "{carrier}について答えられること：",
        "dismissed": "わかりました。この質問は記録しておきます。別の言い方でもう一度どうぞ。",
        "hedge": "🤔 {title}（違っていたら言い換えてください）",
        "smalltalk_greeting": "こんにちは！日本の携帯のデータ容量についてお答えします。例：「mineoでギガを友達にあげられる？」",
        "smalltalk_thanks": "どういたしまして！ほかにもどうぞ。例：「ahamoのテザリングは有料？」",
        "smalltalk_ack": "👌 いつでも聞いてください。例：「楽天モバイルのギガは繰り越せる？」",
        "smalltalk_bye": "またどうぞ！データ容量のことならいつでも聞いてください 👋",
        "aspect_unknown": "{what}は手元の資料にありません。{carrier}の公式サイトで確認してください。",
        "aspect_price": "料金",
        "aspect_apply": "申込の要否",
        "aspect_validity": "有効期限",
        "aspect_limit": "上限",
        "aspect_number": "通話・電話番号",
        "aspect_receiver": "相手側の条件",
        "colon": "：",
        "list_sep": "、",
        "with_note": "{name}（{note}）",
        "excluding": "（{names}を除く）",
        "cross_carrier": "別のキャリア同士ではギガを贈れません（{a}と{b}の間は不可）。会ってテザリングするのが一番簡単です。",
        "cross_carrier_other": "別のキャリア同士ではギガを贈れません（{a}から他社の回線へは不可）。会ってテザリングするのが一番簡単です。",
        "sources": "出典：{sources}",
        "sources_checked": "出典：{sources}（{date}に出典と照合）",
        "related": "関連",
        "answered_above": "↑ すぐ上で答えました。",
        "more_button": "➕ 続き",
        "more_hint": "（続きは more と入力）",
        "no_more": "これで全部です。",
        "details_button": "📖 詳しく見る",
        "thanks_feedback": "フィードバックありがとうございます！",
        "failed": "すみません、こちら側でエラーが起きました（記録済み）。もう一度、または言い方を変えて聞いてください。",
        "feedback_which": "すみません。本当はどれが知りたかったですか？",
        "feedback_noted": "ありがとうございます。管理者に伝わります。",
        "help": (
            "日本の携帯のデータ容量、特に「ギガを友達にあげられるか」についてお答えします。\n"
            "質問をそのまま送ってください。例：「楽天でギガをあげられる？」「ahamoのテザリングは有料？」。続けて「じゃあauは？」とも聞けます。\n\n"
            "/policy キャリア名 — キャリアごとの一覧（例：/policy mineo）\n"
            "/lang — 返信の言語\n"
            "/about — ナレッジベースの版\n"
            "グループでは /policy、私への返信、またはメンションで呼んでください。"
        ),
        "policy_pick": "キャリアを選んでください：",
        "policy_unknown": "そのキャリアは見つかりませんでした。下から選んでください：",
        "lang_pick": "返信の言語を選んでください：",
        "lang_set": "これから日本語で返信します。",
        "lang_current": "いまは日本語で返信しています。変更：{choices}",
        "lang_unknown": "その言語はわかりません。選べるのは：{choices}",
        "about": "ナレッジベース版 {version}：キャリア {carriers}社、トピック {topics}件、説明 {entries}件。最終読み込み {loaded}。",
        "not_operator": "すみません、このコマンドは管理者専用です。",
        "stale_button": "このボタンは期限切れです。もう一度質問してください。",
        "start": "こんにちは！simbot です。",
        "chat_hint": "質問をそのまま入力してください。/lang で言語を変更（English, 中文, 繁體中文）、/help、/quit で終了。",
        "unknown_command": "そのコマンドはありません。",
        "inline_none": "見つかりませんでした — ここをタップして個別に質問",
        "inline_more": "タップして個別に質問",
        "cmd_start": "はじめる",
        "cmd_help": "質問できることと聞き方",
        "cmd_policy": "キャリアごとの一覧（例：/policy mineo）",
        "cmd_lang": "返信の言語を選ぶ",
        "cmd_about": "ナレッジベースの版",
        "description": (
            "日本の携帯のデータ容量についてお答えします：ギガを友達にあげられるキャリア、テザリングの料金、"
            "繰り越し、家族とのシェア、他人へのチャージ。答えには出典と確認日付き。質問をそのまま送ってください。"
        ),
        "short_description": "日本の携帯のギガQ&A：プレゼント・テザリング・繰り越し・シェア。出典付き。",
    },
    "en": {
        "clarify": "Which of these did you mean?",
        "clarify_pick": "Reply with a number.",
        "none_of_these": "None of these",
        "none": "I can't answer that one: I only cover data on Japanese mobile plans (gifting, tethering, carry-over, sharing, topping up for others).",
        "none_carrier": "About {carrier} I can tell you:",
        "dismissed": "OK, I've noted the question so it can be added. You can also try asking it another way.",
        "hedge": "🤔 {title} (if I got you wrong, please rephrase)",
        "smalltalk_greeting": 'Hi! I answer questions about mobile data in Japan, e.g. "Can I gift data to a friend on mineo?"',
        "smalltalk_thanks": 'You\'re welcome! Ask me anything else, e.g. "Is tethering free on ahamo?"',
        "smalltalk_ack": '👌 Ask me any time, e.g. "Does Rakuten carry over data?"',
        "smalltalk_bye": "Bye! Ask me about mobile data in Japan any time 👋",
        "aspect_unknown": "{what}: not in our sources; check {carrier}'s official site.",
        "aspect_price": "The price",
        "aspect_apply": "Whether you must apply",
        "aspect_validity": "How long it lasts",
        "aspect_limit": "The limit",
        "aspect_number": "Calls and a phone number",
        "aspect_receiver": "What the other person needs",
        "colon": ": ",
        "list_sep": ", ",
        "with_note": "{name} ({note})",
        "excluding": "(not counting {names})",
        "cross_carrier": "Data can't be gifted between different carriers ({a} and {b}); tethering in person is the easy way.",
        "cross_carrier_other": "Data can't be gifted between different carriers (not from {a} to a line on another carrier); tethering in person is the easy way.",
        "sources": "Sources: {sources}",
        "sources_checked": "Sources: {sources} (facts checked against them on {date})",
        "related": "Related",
        "answered_above": "↑ Answered just above.",
        "more_button": "➕ More",
        "more_hint": "(type more for the rest)",
        "no_more": "That was all of it.",
        "details_button": "📖 Details",
        "thanks_feedback": "Thanks for the feedback!",
        "failed": "Sorry, something went wrong on my side with that message (it was logged). Please ask again, perhaps in other words.",
        "feedback_which": "Sorry about that. Which of these did you want?",
        "feedback_noted": "Thanks — noted for the operators.",
        "help": (
            'I answer questions about mobile data in Japan, above all "can I give my data to a friend?".\n'
            'Just send your question, e.g. "Can I gift data on Rakuten?" or "Is tethering free on ahamo?", '
            'and follow up with "what about au?".\n\n'
            "/policy carrier — one carrier at a glance (e.g. /policy mineo)\n"
            "/lang — reply language\n"
            "/about — knowledge base version\n"
            "In groups: use /policy, reply to me, or mention me."
        ),
        "policy_pick": "Pick a carrier:",
        "policy_unknown": "I don't know that carrier. Pick one below:",
        "lang_pick": "Choose the reply language:",
        "lang_set": "OK, I'll reply in English from now on.",
        "lang_current": "I'm replying in English. Switch with: {choices}",
        "lang_unknown": "I don't know that language. Choose one of: {choices}",
        "about": "Knowledge base {version}: {carriers} carriers, {topics} topics, {entries} guides; last loaded {loaded}.",
        "not_operator": "Sorry, only the bot's operators can use this command.",
        "stale_button": "This button has expired; please ask again.",
        "start": "Hi! I'm simbot.",
        "chat_hint": "Type a question; /lang to switch language (中文, 日本語, 繁體中文), /help, /quit to leave.",
        "unknown_command": "There is no such command.",
        "inline_none": "No results — tap here to ask me in private",
        "inline_more": "Tap to ask me in private",
        "cmd_start": "Start",
        "cmd_help": "What I answer and how to ask",
        "cmd_policy": "One carrier at a glance (e.g. /policy mineo)",
        "cmd_lang": "Choose the reply language",
        "cmd_about": "Knowledge base version",
        "description": (
            "Answers questions about mobile data in Japan: which carriers let you gift data to a friend, "
            "whether tethering costs extra, carry-over, family sharing and topping up for others. "
            "Every answer shows its sources and when they were checked. Just send your question."
        ),
        "short_description": "Mobile data in Japan: gifting, tethering, carry-over, sharing. With sources.",
    },
}

_HANT_OVERRIDES = {
    "lang_set": "好的，以後用繁體中文回覆。",
    "lang_current": "現在用繁體中文回覆。可改為：{choices}",
}

MESSAGES: dict[str, dict[str, str]] = {
    **_BASE,
    "zh-Hant": {
        **dict(zip(_BASE["zh-Hans"], to_traditional(list(_BASE["zh-Hans"].values())), strict=True)),
        **_HANT_OVERRIDES,
    },
}

LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "ja": "日本語", "en": "English"}


def t(lang: str, key: str, **values: object) -> str:
    text = MESSAGES.get(lang, MESSAGES["en"])[key]
    return text.format(**values) if values else text
