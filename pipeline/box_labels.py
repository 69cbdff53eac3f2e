"""The labels printed on boxes (``data/box_labels.csv``), and which of them mark a box that defines terms.

The layout stage finds a box's label by these words (or by brackets: a short text in 〈〉 or 【】); the extract
stage reads keywords and partner lists only from boxes whose label defines terms (KEY WORD, キーワード, 用語解説),
whatever the case, spacing, plural or brackets it is printed with.
"""

from __future__ import annotations

import re
from functools import cache

from .vocabulary import table


def _canonical(label: str) -> str:
    """A label without brackets, spaces and case, a Latin plural's s dropped: 【Key Words】 → keyword."""
    text = re.sub(r"[\s〈〉【】]", "", label).casefold()
    return text[:-1] if text.isascii() and text.endswith("s") else text


@cache
def pattern() -> re.Pattern:
    """A label at the start of a line (group ``label``): a word of the table (any case and spacing, a Latin
    word also in the plural), or a short text in 〈〉 or 【】."""
    words = sorted((row["label"] for row in table("box_labels.csv")), key=len, reverse=True)
    spelled = [r"\s*".join(re.escape(char) for char in word if not char.isspace()) + ("S?" if word.isascii() else "")
               for word in words]  # fmt: skip
    return re.compile(rf"^(?P<label>{'|'.join(spelled)}|〈[^〉]{{1,12}}〉|【[^】]{{1,12}}】)(?![a-z])", re.IGNORECASE)


@cache
def _defining() -> frozenset[str]:
    return frozenset(_canonical(row["label"]) for row in table("box_labels.csv") if row["defines_terms"] == "yes")


def defines_terms(label: str) -> bool:
    """Whether a box with this label defines terms: KEY WORD, KeyWord, 【キーワード】, 〈用語解説〉…"""
    return _canonical(label) in _defining()
