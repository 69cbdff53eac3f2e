"""KEY WORD boxes → the terms they define, each with its own definition.

Why: a box is not always one term and one definition. The 2025 book prints boxes that define several
terms (「「武力攻撃事態」・「武力攻撃予測事態」」, then 「武力攻撃事態とは…。」 and 「武力攻撃予測事態とは…。」, then a
closing note （両者を合わせて「武力攻撃事態等」と呼称）), boxes whose title only names the topic of sub-terms
given in 「」, each with its definition, titles in 「」, and titles that are an abbreviation alone (FOIP)
whose English name is printed as ruby over it.

The shapes, as ``box_entries`` reads them:

- several terms in the title, each in 「」, joined by ・、と or 及び: each term's definition runs from the
  sentence that starts with it (「武力攻撃事態とは」, 「…は」, 「…:」) to the next term's;
- one term in the title and paragraphs that start with another term in 「」, alone on its line or followed
  by とは/は/:: one entry per sub-term, with the title kept in ``box_title``; text before the first
  sub-term, if any, is the title's own definition;
- otherwise one entry: the title's term, the whole text.

A closing paragraph wholly in parentheses (not a ※ note about a partner) is the box's ``note``: it
belongs to no definition. 「」 around a term are not part of it. Partner lists stay in the sentences of
the term they follow (the extract stage parses them); a partner list under no term is returned apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .acronyms import ruby_over
from .nlp import split_sentences
from .partners import looks_like_list

# "円滑化協定 (RAA)", "物品役務相互提供協定（ACSA:Acquisition and Cross-Servicing Agreement）", "…とは"
TITLE = re.compile(
    r"^(?P<term>.+?)\s*"
    r"(?:[（(]\s*(?P<abbr>[A-Za-z][A-Za-z0-9&+\-. ]*?)\s*(?:[:：]\s*(?P<expansion>[^)）]+?))?\s*[)）])?"
    r"(?:とは)?$"
)
# A title that is an abbreviation alone: FOIP, RDP MOU, F-35A is not one (a model number has digits).
ABBREVIATION = re.compile(r"^[A-Z][A-Za-z&+\-]*(?: [A-Z][A-Za-z&+\-]*)*$")
MIN_ABBR_CAPITALS = 2
# Several terms in a title: 「A」・「B」, 「A」、「B」及び「C」
QUOTED = re.compile(r"「([^「」]+)」")
SEVERAL_TERMS = re.compile(r"^「[^「」]+」(?:\s*(?:・|、|,|と|及び|および|並びに)\s*「[^「」]+」)+$")
# What follows a term where its definition starts: 「武力攻撃事態とは」, 「X」は, 「X」: ...
DEFINES = r"」?\s*(?:とは|は|[:：])"
SUB_TERM = re.compile(r"^「(?P<term>[^「」]{1,40})」(?P<rest>\s*(?:とは|は|[:：]).*)?$", re.DOTALL)


@dataclass
class Entry:
    """One term a KEY WORD box defines."""

    term: str
    abbr: str = ""
    expansion: str = ""
    box_title: str = ""  # the box's title when it only names the topic of its sub-terms
    sentences: list[str] = field(default_factory=list)  # its part of the box text (partner lists included)
    note: str = ""  # the box's closing note in parentheses, which belongs to no definition


def split_title(title: str) -> tuple[str, str, str]:
    """A KEY WORD title → (term, abbreviation, English expansion given after 「:」 in its parentheses).

    「」 around the term are not part of it; a title that is an abbreviation alone is its own abbreviation."""
    title = _unquoted(re.sub(r"\s*とは$", "", title.strip()))
    match = TITLE.match(title)
    if not match:
        return title, "", ""
    term = _unquoted(match.group("term").strip())
    abbr = (match.group("abbr") or "").strip()
    if not abbr and _abbreviation_alone(term):
        abbr = term
    return term, abbr, (match.group("expansion") or "").strip()


def _unquoted(text: str) -> str:
    """``text`` without 「」 around the whole of it."""
    if text.startswith("「") and text.endswith("」") and text.count("「") == 1:
        return text[1:-1].strip()
    return text


def _abbreviation_alone(term: str) -> bool:
    return bool(ABBREVIATION.match(term)) and sum(c.isupper() for c in term) >= MIN_ABBR_CAPITALS


def title_parts(title: str, title_ruby: list[dict] = ()) -> tuple[str, str, str]:
    """``split_title``, with the expansion taken from the ruby over the abbreviation when the title gives none."""
    term, abbr, expansion = split_title(title)
    if abbr and not expansion and (start := title.find(abbr)) >= 0:  # the English name printed over it
        expansion = ruby_over(list(title_ruby), start, start + len(abbr))
    return term, abbr, expansion


def _is_note(sentence: str) -> bool:
    """A sentence wholly in parentheses that is not a ※ note about a partner: （両者を合わせて…と呼称）."""
    text = sentence.strip().rstrip("。")
    if len(text) < 3 or text[0] not in "(（" or text[-1] not in ")）" or text[1] == "※":
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += char in "(（"
        depth -= char in ")）"
        if depth == 0 and i < len(text) - 1:
            return False  # 「(a)と(b)」: the first parenthesis closes before the end
    return True


def _sentences(text: str) -> tuple[list[str], list[int], list[str]]:
    """The box text's sentences, where each starts in ``text``, and the closing notes taken off its end."""
    spans = split_sentences(text)
    sentences = [text[start:end] for start, end in spans]
    notes: list[str] = []
    while sentences and _is_note(sentences[-1]):
        notes.insert(0, sentences.pop())
    return sentences, [start for start, _ in spans[: len(sentences)]], notes


def box_entries(title: str, text: str, title_ruby: list[dict] = ()) -> tuple[list[Entry], list[str]]:
    """The terms a KEY WORD box defines, and the partner-list sentences that come under none of them."""
    if not title.strip():
        return [], []
    sentences, starts_at, notes = _sentences(text)
    note = "".join(notes)
    bare = re.sub(r"\s*とは$", "", title.strip())
    if SEVERAL_TERMS.match(bare):
        return _several(QUOTED.findall(bare), sentences, note)
    term, abbr, expansion = title_parts(title, title_ruby)
    paragraphs = _paragraph_starts(text, sentences, starts_at)
    starts = {i: m.group("term") for i, m in paragraphs.items() if m.group("term") != term}
    if not starts:
        return [Entry(term, abbr, expansion, "", sentences, note)], []
    entries: list[Entry] = []
    first = min(starts)
    if sentences[:first]:
        entries.append(Entry(term, abbr, expansion, "", sentences[:first], note))
    bounds = sorted(starts) + [len(sentences)]
    for i, end in zip(bounds, bounds[1:], strict=False):
        heading = paragraphs[i]
        own = sentences[i:end]
        if not heading.group("rest"):
            own = own[1:]  # the sub-term alone on its line is a heading, not part of the definition
        sub, sub_abbr, sub_expansion = title_parts(heading.group("term"), ())
        entries.append(Entry(sub, sub_abbr, sub_expansion, title.strip(), own, note))
    return entries, []


def _paragraph_starts(text: str, sentences: list[str], starts_at: list[int]) -> dict[int, re.Match]:
    """Sentences that open a paragraph with a term in 「」 (alone, or followed by とは/は/:), by index
    (``starts_at``: where each sentence starts in ``text``)."""
    out: dict[int, re.Match] = {}
    for i, (sentence, at) in enumerate(zip(sentences, starts_at, strict=True)):
        if at == 0 or text[at - 1] == "\n":
            match = SUB_TERM.match(sentence)
            if match:
                out[i] = match
    return out


def _several(terms: list[str], sentences: list[str], note: str) -> tuple[list[Entry], list[str]]:
    """A title naming several terms: each term's sentences run from the one that starts with it to the next's."""
    patterns = sorted(
        ((term, re.compile(rf"^「?{re.escape(term)}{DEFINES}")) for term in terms), key=lambda t: -len(t[0])
    )
    own: dict[str, list[str]] = {term: [] for term in terms}
    current = None
    before: list[str] = []
    for sentence in sentences:
        current = next((term for term, pattern in patterns if pattern.match(sentence)), current)
        (own[current] if current else before).append(sentence)
    stray = [s for s in before if looks_like_list(s)]
    note = "".join([s for s in before if not looks_like_list(s)] + [note])
    entries = []
    for term in terms:
        name, abbr, expansion = split_title(term)
        entries.append(Entry(name, abbr, expansion, "", own[term], note))
    return entries, stray
