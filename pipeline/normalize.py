"""Character normalisation: one place that decides how text from a PDF's text layer is spelled.

Text layers of Japanese PDFs spell the same character in several ways: a Kangxi radical (⼒, U+2F12)
for the ideograph 力, full-width Latin letters (ＡＣＳＡ) for ACSA, half-width katakana. Tables that
are compared across editions must not differ by such accidents, so every character goes through
``normalize_text`` once, in the layout stage. The rules (documented in the README):

====================================  =========================================================
class                                  rule
====================================  =========================================================
CJK radicals / Kangxi radicals        → the unified ideograph (⻑→長, ⾃→自), per Unicode's
                                         EquivalentUnifiedIdeograph.txt (``data/lookalikes.tsv``)
U+2027 ‧ (hyphenation point)          → ・ (U+30FB), as fonts use it for the katakana middle dot
full-width ASCII ＡＢ１２（）：         → ASCII (AB12():), like NFKC
ideographic space U+3000              → space (then dropped between Japanese characters)
half-width katakana ｱｲｳ               → full-width katakana (NFKC)
Roman numerals Ⅰ Ⅱ Ⅲ (U+2160–217F)    → ASCII letters (I II III), so 第Ⅲ部 and 第III部 match
Latin ligatures ﬁ ﬂ ﬀ (U+FB00–FB06)    → the letters (fi fl ff), as fonts emit them in English words
circled numbers ① ②                   kept: they are list markers in the figures
not text (``data/nontext.tsv``)       C0/C1 controls, U+FFFD, private use and unassigned code points
                                         dropped; bullets of symbol fonts (U+F0D8) and the 2025 book's
                                         paragraph mark (U+2FDF) → the list marker •
everything else                        kept as printed (no blanket NFKC: ㎞, ㈱, ※ stay)
====================================  =========================================================

``data/nontext.tsv`` also lists what belongs in a Japanese book (Latin, kana, CJK, punctuation,
symbols…): ``foreign_count`` counts the other characters, which the layout stage uses to tell
garbled lines (display type whose font has a broken character map: Tibetan, Kannada, Malayalam code
points where 令和7年版 was printed) from text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

LOOKALIKES_TABLE = Path(__file__).parent / "data" / "lookalikes.tsv"
NONTEXT_TABLE = Path(__file__).parent / "data" / "nontext.tsv"

_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


class _Translation(dict):
    """``str.translate``'s table: the rules, and every code point not in them decided once, on first sight
    (unassigned, private-use and surrogate ones are dropped, the rest kept), so that later lookups stay
    inside the C dictionary."""

    def __missing__(self, code: int) -> str | None:
        value = None if unicodedata.category(chr(code)) in ("Cn", "Co", "Cs") else chr(code)
        self[code] = value
        return value


def _rows(path: Path) -> list[tuple[range, str]]:
    """(code points, action) of a tab-separated table: hex code point or range ``A..B``, then the action."""
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        source, action = raw.split("\t")[:2]
        first, _, last = source.partition("..")
        rows.append((range(int(first, 16), int(last or first, 16) + 1), action))
    return rows


@lru_cache(maxsize=1)
def _translation() -> dict[int, str | None]:
    """The single-character mapping table, built once from the data files and the rules above."""
    table = _Translation()
    for codes, target in _rows(LOOKALIKES_TABLE):
        table.update(dict.fromkeys(codes, chr(int(target, 16))))
    for codes, action in _rows(NONTEXT_TABLE):
        if action == "drop":
            table.update(dict.fromkeys(codes))
        elif action != "text":
            table.update(dict.fromkeys(codes, chr(int(action, 16))))
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for code in range(0xFB00, 0xFB07):  # Latin ligatures: ﬁ ﬂ ﬀ
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(0x2160, 0x2180):  # Roman numerals
        table[code] = unicodedata.normalize("NFKC", chr(code))
    return table


@lru_cache(maxsize=1)
def _foreign() -> re.Pattern:
    """Any character outside the ``text`` ranges of ``data/nontext.tsv`` (white space is text)."""
    ranges = "".join(f"\\U{c.start:08x}-\\U{c.stop - 1:08x}" for c, action in _rows(NONTEXT_TABLE) if action == "text")
    return re.compile(f"[^\\s{ranges}]")


def foreign_count(text: str) -> int:
    """How many characters of ``text`` do not belong in a Japanese book (see ``data/nontext.tsv``)."""
    return len(_foreign().findall(text))


def drop_foreign(text: str) -> str:
    """``text`` without the characters that do not belong in a Japanese book."""
    return _foreign().sub("", text)


def normalize_text(text: str) -> str:
    """Apply the character rules of this module (not whitespace collapsing)."""
    text = text.translate(_translation())
    if _HALFWIDTH_KANA.search(text):
        text = _HALFWIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text


def is_japanese(char: str) -> bool:
    """True for kana, CJK ideographs and Japanese punctuation: characters never separated by spaces."""
    if not char:
        return False
    code = ord(char)
    return (
        0x3000 <= code <= 0x30FF  # CJK punctuation, hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF5F <= code <= 0xFF9F  # full-width brackets, half-width katakana
        or 0x31F0 <= code <= 0x31FF
        or 0x20000 <= code <= 0x2FA1F
    )


def join_pieces(left: str, right: str) -> str:
    """Join two pieces of running text (line ends, column or page breaks) the Japanese way.

    No space between Japanese characters; one space between two Latin words (or after a comma or
    full stop); none after a hyphen (Indo-Pacific), a colon (ACSA:Acquisition) or a slash.
    """
    left = left.rstrip()
    right = right.lstrip()
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if is_japanese(a) or is_japanese(b):
        return left + right
    if (a.isalnum() or a in ".,;!?)") and (b.isalnum() or b == "("):
        return left + " " + right
    return left + right


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces to one and drop any space that stands between two Japanese characters."""
    text = _SPACES.sub(" ", text).strip()
    if " " not in text:
        return text
    out = []
    for i, char in enumerate(text):
        if char == " " and is_japanese(text[i - 1]) and i + 1 < len(text) and is_japanese(text[i + 1]):
            continue
        out.append(char)
    return "".join(out)
