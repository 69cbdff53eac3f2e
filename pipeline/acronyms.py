"""The acronym glossary: every abbreviation the text defines in parentheses, with the term it stands for.

Why: the white paper introduces its abbreviations in running text ("自由で開かれたインド太平洋 (FOIP)",
"日豪物品役務相互提供協定(ACSA:Acquisition and Cross-Servicing Agreement)") and then uses them bare; a
glossary per edition lets later stages and readers expand them, and shows when a term first appeared.

How: a regex finds parentheses (ASCII or full-width) whose content is shaped like an abbreviation
(``ABBR_RE``: Latin capitals, digits, & + - and spaces, lowercase inside a word, 2–12 characters), optionally
followed by 「:」 and an English expansion. The 2025 book prints the expansion as ruby over the abbreviation
instead (「国家安全保障戦略（NSS）」 with "National Security Strategy" set small above NSS): the layout stage
keeps ruby on the block, and the ruby over the abbreviation is its expansion when the parentheses give none.
The Japanese term is the words right before the parenthesis: the text is tokenised with fugashi
(``nlp.tokens``) and walked leftwards over nouns, prefixes, suffixes,
形状詞 (円滑化), numbers (第6回) and 「・」, stopping at particles, verbs, auxiliaries and punctuation.
Two bridges continue the walk: the name-forming phrases in ``GLUE`` (「に関する」「における」…) and the
conjunctions in ``CONJUNCTIONS`` (及び, および) between nouns.

Choices:
- The term is kept as written, a bilateral prefix included (日豪物品役務相互提供協定 for ACSA); the
  agreement vocabulary (``data/agreements.csv``) is what maps names to canonical agreements.
- A Japanese-prefixed short form is kept as written too: 「日米物品役務相互提供協定(日米ACSA)」 gives abbr
  「日米ACSA」 (a bilateral prefix 日X is allowed before the Latin part when the term starts with it).
- Footnote numbers glued to the end of an abbreviation of 3+ capitals (「ACSA1」, at most 2 digits) or of
  the expansion (「Agreement10」) are dropped; 「F-35A」「P-1」「CTF151」 are kept.
- Modifier clauses (「自由で開かれた」) are beyond the walk: terms the walk cannot reach are listed in
  ``data/known_terms.csv`` and win when the text before the parenthesis ends with one.
- No term, no acronym: a parenthesis with nothing nominal before it (a model number after a verb, 「(当時)」,
  「(イメージ)」) is not a definition. Each (abbr, term, expansion) is reported once, at its first occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .nlp import NOUN_PHRASE_SYMBOLS, before_phrase, in_noun_phrase
from .nlp import tokens as tokenize
from .punctuation import CONJUNCTIONS
from .vocabulary import table

# Characters of left context tokenised to find a term (a term is rarely longer than 40 characters).
MAX_CONTEXT_CHARS = 60
# Phrases that join two nouns into one name, walked over leftwards: 防衛協力・交流に関する覚書.
GLUE = ("に関する", "における", "に係る", "に関わる", "のための")
# Characters that end the left context: a term never spans them.
CONTEXT_BREAKS = "。、,，「」『』()（）\n【】〈〉《》[]［］:：;；!?！？*"

_ABBR = r"(?:日[^\x00-\x7f()（）、。\s]{1,6})?[A-Z][A-Za-z0-9&+\-]*(?: [A-Z0-9][A-Za-z0-9&+\-]*)*"
ABBR_RE = re.compile(rf"[(（]\s*(?P<abbr>{_ABBR})\s*(?:[:：]\s*(?P<expansion>[A-Za-z][^()（）:：]*?)\s*)?[)）]")
MIN_ABBR_CHARS = 2
MAX_ABBR_CHARS = 12
MIN_CAPITALS = 2  # "Agreement" is a word, "EU" an abbreviation
# Full-width ASCII (ＲＡＡ, （）) to ASCII, one character for one so offsets hold.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HAS_FULLWIDTH = re.compile("[" + re.escape("".join(map(chr, _FULLWIDTH))) + "]")  # (layout made most ASCII)
_FOOTNOTE_AFTER_CAPS = re.compile(r"(?<=[A-Z]{3})[0-9]{1,2}$")
_FOOTNOTE_AFTER_WORD = re.compile(r"(?<=[a-z])[0-9]+$")


@dataclass(frozen=True)
class Acronym:
    """An abbreviation defined in the text: 「FOIP」 for 「自由で開かれたインド太平洋」."""

    abbr: str  # as written, footnote digits removed: "ACSA", "TICAD VI", "RDP MOU", "日米ACSA"
    term: str  # the Japanese term before the parenthesis, as written (full-width ASCII made half-width)
    expansion: str  # the English expansion after 「:」 inside the parenthesis, "" if none
    start: int  # start offset of the term in the text


def find_acronyms(text: str, ruby: list[dict] = (), defined: Collection[str] = ()) -> list[Acronym]:
    """Every abbreviation defined in parentheses in ``text``, in order of first definition.

    ``ruby``: the block's ruby (``{"offset", "length", "text"}`` over ``text``), where an expansion printed
    over the abbreviation is found. ``defined``: abbreviations the text before defined already, not looked up
    again (an edition keeps the first definition of each; finding the term costs a tokenising)."""
    found: list[Acronym] = []
    if "(" not in text and "（" not in text:  # most paragraphs: no abbreviation is defined in them
        return found
    seen: set[tuple[str, str, str]] = set()
    norm = text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text
    for m in ABBR_RE.finditer(norm):
        abbr = _FOOTNOTE_AFTER_CAPS.sub("", m["abbr"].strip())
        latin = re.sub(r"^日[^\x00-\x7f]+", "", abbr)
        if not _abbreviation_shaped(latin) or abbr in defined:
            continue
        located = _term_before(norm, m.start())
        if located is None:
            continue
        start, term = located
        if latin != abbr and not term.startswith(abbr[: len(abbr) - len(latin)]):
            continue  # 「(日米ACSA)」 only after a term with the same prefix
        expansion = (m["expansion"] or "").strip() or ruby_over(ruby, m.start("abbr"), m.end("abbr"))
        expansion = _FOOTNOTE_AFTER_WORD.sub("", expansion)
        key = (abbr, term, expansion)
        if key not in seen:
            seen.add(key)
            found.append(Acronym(abbr, term, expansion, start))
    return found


def ruby_over(ruby: list[dict], start: int, end: int) -> str:
    """The ruby (a block's ``{"offset", "length", "text"}``) printed over ``text[start:end]``, or empty."""
    return " ".join(r["text"] for r in ruby if r["offset"] < end and start < r["offset"] + r["length"]).strip()


def _abbreviation_shaped(abbr: str) -> bool:
    """2–12 characters, at least two capitals, not digits only."""
    capitals = sum(c.isupper() for c in abbr)
    return MIN_ABBR_CHARS <= len(abbr) <= MAX_ABBR_CHARS and capitals >= MIN_CAPITALS


def _term_before(text: str, paren: int) -> tuple[int, str] | None:
    """(start, term) of the nominal words ending right before ``paren`` (spaces skipped), or None."""
    end = paren
    while end > 0 and text[end - 1].isspace():
        end -= 1
    begin = max(0, end - MAX_CONTEXT_CHARS)
    for i in range(end - 1, begin - 1, -1):
        if text[i] in CONTEXT_BREAKS:
            begin = i + 1
            break
    context = text[begin:end]
    if not context.strip():
        return None
    known = [row["term"] for row in table("known_terms.csv") if context.endswith(row["term"])]
    if known:
        term = max(known, key=len)
        return end - len(term), term
    start = _walk_left(context)
    if start is None:
        return None
    term = context[start:].strip()
    return end - len(term), term


def _walk_left(context: str) -> int | None:
    """Offset in ``context`` where the term ending at its end starts, or None without a nominal word."""
    tokens = tokenize(re.sub(r"\s", "〓", context))
    i = len(tokens) - 1
    start = None
    while i >= 0:
        token = tokens[i]
        if in_noun_phrase(token):
            start = token.idx
            i -= 1
            continue
        bridge = _bridge(tokens, i, start)
        if bridge is None:
            break
        i = bridge
    if start is None or not any(t.tag_.startswith(("名詞", "接尾辞")) for t in tokens if t.idx >= start):
        return None
    return start


def _bridge(tokens, i: int, start: int | None) -> int | None:
    """If tokens ending at ``i`` are a glue phrase or conjunction between nouns, the index before it."""
    if start is None:
        return None
    for phrase in GLUE + CONJUNCTIONS:
        j = before_phrase(tokens, i, phrase)
        if j is not None and in_noun_phrase(tokens[j]) and tokens[j].text not in NOUN_PHRASE_SYMBOLS:
            return j
    return None
