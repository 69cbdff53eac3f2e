"""Japanese punctuation the rules share: where a sentence ends, which brackets open and close, what
separates the items of a list.

Defined once here because layout (does a line end a sentence?), sentence splitting (``nlp``), partner
lists (``partners``), events and acronyms must agree: a closer one of them knows and another does not is
a sentence cut in one stage and whole in the next. Full-width ASCII (．，（）［］) is turned into ASCII
by ``normalize`` before any rule runs; both forms are listed so that a rule also works on raw text.
"""

from __future__ import annotations

import re

# Characters that end a sentence.
SENTENCE_END = "。．！？!?"
# Brackets inside which a sentence never ends (「…。」 quotes a sentence inside another).
OPENERS = "「『（(【〈《［["
CLOSERS = "」』）)】〉》］]"
# Punctuation between the items of a list (米国、英国, 米国,英国).
LIST_COMMAS = ("、", "，", ",")
# Words that join the last items of a list (米国及び英国).
CONJUNCTIONS = ("及び", "および", "並びに", "ならびに")
# A heading's number set against its title (「4米韓同盟・在韓米軍」, 「5国連三角パートナーシップ…（UNTPP）」):
# one or two digits at its start, not followed by a counter (「3か国」「10年」 are words of the title).
HEADING_NUMBER = re.compile(r"^\s*[0-9]{1,2}(?=[^0-9年月日回か名人次期件個隻機両万億,.、:：%％])")


def without_heading_number(text: str) -> str:
    """A heading's text with its number blanked out (offsets kept): 「4米韓同盟」 → 「 米韓同盟」, so that the number
    is not read as part of a term or a word."""
    return HEADING_NUMBER.sub(lambda m: " " * len(m.group()), text)
