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
everything else                        kept as printed (no blanket NFKC: ㎞, ㈱, ※ stay)
====================================  =========================================================
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

LOOKALIKES_TABLE = Path(__file__).parent / "data" / "lookalikes.tsv"

_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    """The single-character mapping table, built once from the data file and the rules above."""
    table: dict[int, str] = {}
    for raw in LOOKALIKES_TABLE.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        source, target = raw.split("\t")
        first, _, last = source.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            table[code] = chr(int(target, 16))
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for code in range(0xFB00, 0xFB07):  # Latin ligatures: ﬁ ﬂ ﬀ
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(0x2160, 0x2180):  # Roman numerals
        table[code] = unicodedata.normalize("NFKC", chr(code))
    return table


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
