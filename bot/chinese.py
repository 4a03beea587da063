"""Chinese script conversion with OpenCC, shared by the whole process.

Traditional → Simplified (`t2s`) runs on every question, so one small converter stays loaded.
Simplified → Traditional with Taiwan phrasing (`s2twp`) is only needed while a knowledge base or
the interface wording is being built, and its phrase dictionaries take about 40 MB: it is loaded
for that moment and then released, memory included.
"""

from __future__ import annotations

import contextlib
import ctypes

import opencc

_t2s = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s.convert(text)


def to_traditional(texts: list[str]) -> list[str]:
    """Simplified → Traditional with Taiwan phrasing, for a whole batch at once."""
    converter = opencc.OpenCC("s2twp")
    converted = [converter.convert(text) for text in texts]
    del converter
    _return_freed_memory()
    return converted


def _return_freed_memory() -> None:
    """Hand the converter's freed heap back to the OS (glibc keeps it otherwise); else a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
