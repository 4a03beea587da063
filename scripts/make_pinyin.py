"""Write bot/pinyin.txt: for each toneless pinyin syllable, the CJK characters read that way.

The table comes from pypinyin (MIT, https://github.com/mozillazg/python-pinyin), a development
tool only: the bot reads the generated file, never the library (pypinyin's own dictionary costs
~50 MB and a second at import). Run it again when pypinyin's data changes:

    python scripts/make_pinyin.py
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from pathlib import Path

from pypinyin import __version__
from pypinyin.pinyin_dict import pinyin_dict

OUT = Path(__file__).resolve().parent.parent / "bot" / "pinyin.txt"
FIRST, LAST = 0x4E00, 0x9FFF  # CJK Unified Ideographs: what Chinese voice input produces


def toneless(reading: str) -> str:
    """ "duō" → "duo", "lǜ" → "lv"."""
    plain = unicodedata.normalize("NFD", reading.replace("ü", "v"))
    return "".join(c for c in plain if not unicodedata.combining(c))


def main() -> None:
    chars: dict[str, list[str]] = defaultdict(list)
    for code, readings in sorted(pinyin_dict.items()):
        if FIRST <= code <= LAST:
            for syllable in dict.fromkeys(toneless(r) for r in readings.split(",")):
                chars[syllable].append(chr(code))
    lines = [
        "# Toneless pinyin syllable, then every CJK Unified Ideograph with that reading; made by",
        f"# scripts/make_pinyin.py from pypinyin {__version__} (MIT). Read by bot/normalize.py to",
        "# recognise carrier names typed by voice input as homophones (多可莫 for 多可摩).",
    ]
    lines += [f"{s}\t{''.join(cs)}" for s, cs in sorted(chars.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(chars)} syllables, {sum(map(len, chars.values()))} characters")


if __name__ == "__main__":
    main()
