"""What Telegram accepts as an HTML message, checked strictly enough to catch any escaping slip.

Our replies use `<b>` and `<a href="http(s)://…">` only, and the entities html.escape produces.
A user's `<b>` or `&amp;` surviving unescaped, or a cut inside a tag or entity, fails here.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r'<b>|</b>|<a href="[^"<>]*">|</a>')
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#x27|#\d+|#x[0-9a-fA-F]+);")


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            if len(attrs) != 1 or attrs[0][0] != "href":
                self.errors.append(f"<a> with attributes {attrs}")
            elif not (attrs[0][1] or "").startswith(("http://", "https://")):
                self.errors.append(f"link to {attrs[0][1]!r}")
        elif tag != "b":
            self.errors.append(f"tag <{tag}>")
        if self.stack:
            self.errors.append(f"<{tag}> inside <{self.stack[-1]}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_comment(self, data: str) -> None:
        self.errors.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.errors.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.errors.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.errors.append(f"unknown declaration {data!r}")


def visible_text(message: str) -> str:
    """Check `message` as Telegram HTML and return the text a user would see."""
    assert len(message) <= TELEGRAM_LIMIT, f"{len(message)} characters"
    outside_tags = _TAG.sub("", message)
    assert "<" not in outside_tags and ">" not in outside_tags, "unescaped < or > (or a cut tag)"
    for match in re.finditer("&", message):
        assert _ENTITY.match(message, match.start()), (
            f"bare or cut entity: {message[match.start() : match.start() + 10]!r}"
        )
    checker = _TagChecker()
    checker.feed(message)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, f"unclosed {checker.stack}"
    text = "".join(checker.data)
    assert text == html.unescape(_TAG.sub("", message))
    return text
