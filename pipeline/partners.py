"""Partner-country lists: "2025年4月現在、米国、英国との間で締結され、イタリアとの間で署名されている。" → rows.

A list sentence is a sequence of clauses, each a list of parties closed by a status phrase
("…との間で締結", "…と締結済み", "…とは実質合意"). spaCy's Matcher finds the status phrases over
fugashi tokens (patterns below, statuses from ``data/statuses.csv``); the text between one status
phrase and the next is the next clause's party list, split at 、 及び および 並びに と や. A note in
（※…） is attached to the party it names ("米国とは対米武器・武器技術供与取極" → the US row).

Nothing is dropped: a name the country resolver does not know stays a row (party_type "unknown") and
is listed for review, and so is every part of the sentence the rules could not account for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import countries
from .dates import find_dates, parse_as_of
from .nlp import make_doc, nlp
from .punctuation import CONJUNCTIONS, LIST_COMMAS
from .vocabulary import table

# A list item longer than this (characters) is prose, not a party name.
MAX_PARTY_CHARS = 24

# Between the parties of a list: commas, conjunctions, や, and と (but not the と of 「との間で」).
SEPARATORS = re.compile("|".join((*LIST_COMMAS, *CONJUNCTIONS, "や", "と(?!の間)")))
NOTE = re.compile(r"\s*[（(]※\s*(?P<body>[^（）()]*(?:[（(][^（）()]*[)）][^（）()]*)*)[)）]")
NOTE_PART = re.compile(r"^(?P<party>.+?)(?:とは|とも|については|については、)(?P<note>.+?)(?:を締結|を署名|が発効)?$")
# Words that may precede the first party after the as-of date ("…現在、わが国は米国…").
LEAD_IN = re.compile(r"^(?:わが国は|我が国は|日本は|同協定は|本協定は|これまでに|すでに)")
# Trailing words of a list item that are not part of the name.
ITEM_TAIL = re.compile(r"(?:の各国|各国|など|等|の\d+か国|の計\d+か国)$")


@dataclass(frozen=True)
class PartnerRow:
    """One party of a partner list: who, which status, and the note that names it."""

    country: str
    party: countries.Party
    status: str
    note: str


@dataclass
class ParsedList:
    """The result for one sentence: rows, as-of date, and what could not be parsed (for review)."""

    as_of: str
    rows: list[PartnerRow]
    problems: list[str]


@lru_cache(maxsize=1)
def status_words() -> dict[str, str]:
    """Status word → list status (``concluded`` …), from the vocabulary table."""
    return {row["word"]: row["status"] for row in table("statuses.csv") if row["status"]}


@lru_cache(maxsize=1)
def _matcher():
    from spacy.matcher import Matcher

    # Patterns match one token per word: status words fugashi keeps whole (締結, 署名, 合意…); the ones it
    # splits (実質合意 → 実質|合意, 交渉開始 → 交渉|開始) are reached through their head and the optional 実質.
    heads = sorted(w for w in status_words() if len(make_doc(w)) == 1)
    matcher = Matcher(nlp().vocab)
    particle = {"ORTH": {"IN": ["は", "も"]}, "OP": "?"}
    status = [{"ORTH": "実質", "OP": "?"}, {"ORTH": {"IN": heads}}]
    matcher.add(
        "STATUS",
        [
            [{"ORTH": "と"}, {"ORTH": "の"}, {"ORTH": "間"}, {"ORTH": {"IN": ["で", "において"]}, "OP": "?"}, particle]
            + status,
            [{"ORTH": "と"}, particle] + status,
        ],
        greedy="LONGEST",
    )
    return matcher


def _status_of(phrase: str) -> str:
    vocabulary = status_words()
    for word in sorted(vocabulary, key=len, reverse=True):
        if word in phrase:
            return vocabulary[word]
    return "other"


def looks_like_list(sentence: str) -> bool:
    """An as-of date, 「との間で」 or 「と…済み」, and a status verb: worth parsing (or reviewing).

    Tested cheapest first: most sentences have no as-of date (no 現在 or 時点 at all)."""
    return (
        bool(parse_as_of(sentence))
        and any(word in sentence for word in status_words())
        and ("との間" in sentence or bool(countries.find_parties(sentence)))
    )


def _notes(sentence: str) -> tuple[str, dict[str, str], list[str]]:
    """The sentence without its （※…） notes, notes by ISO code or name, and unattached notes."""
    attached: dict[str, str] = {}
    loose: list[str] = []
    for match in NOTE.finditer(sentence):
        for part in re.split(r"[、,]", match.group("body")):
            part = part.strip()
            found = NOTE_PART.match(part)
            party = countries.resolve(found.group("party")) if found else None
            if found and party and party.party_type != "unknown":
                attached[party.iso3 or party.canonical] = found.group("note").strip()
            elif part:
                loose.append(part)
    return NOTE.sub("", sentence), attached, loose


def _items(segment: str) -> list[str]:
    segment = LEAD_IN.sub("", segment.strip(" 、,"))
    items = []
    for item in SEPARATORS.split(segment):
        item = ITEM_TAIL.sub("", item.strip(" 、,\u3000"))
        if item:
            items.append(item)
    return items


def parse_list(sentence: str) -> ParsedList:
    """Parse one partner-list sentence into rows; what is not understood goes to ``problems``."""
    as_of = parse_as_of(sentence)
    text, notes, loose_notes = _notes(sentence)
    doc = make_doc(text)
    spans = sorted((doc[s:e] for _, s, e in _matcher()(doc)), key=lambda span: span.start_char)
    problems = [f"note not attached to a listed party: {note}" for note in loose_notes]
    start = 0
    dates = [d for d in find_dates(text) if d.value]
    if as_of and dates:
        start = dates[0].end
        rest = text[start:]
        lead = re.match(r"^(?:末|初め|上旬|中旬|下旬)?(?:現在|時点)(?:で|において)?[、,]?", rest)
        start += lead.end() if lead else 0
    rows: list[PartnerRow] = []
    for span in spans:
        segment = text[start : span.start_char]
        status = _status_of(span.text)
        for item in _items(segment):
            party = countries.resolve(item)
            if party.party_type == "unknown":
                if len(item) > MAX_PARTY_CHARS or "。" in item:
                    problems.append(f"not a party name: {item}")
                    continue
                problems.append(f"unknown party name: {item}")
            note = notes.pop(party.iso3 or party.canonical, "") if party.party_type != "unknown" else ""
            rows.append(PartnerRow(item, party, status, note))
        tail = re.match(r"^[^、,。]*[、,]?", text[span.end_char :])
        start = span.end_char + (tail.end() if tail else 0)
    leftover = text[start:].strip(" 。")
    if not spans:
        problems.append("no status phrase (…との間で締結/署名…) found")
    elif countries.find_parties(leftover):
        problems.append(f"text after the last status phrase not parsed: {leftover}")
    problems.extend(f"note names a party not in the list: {name}: {note}" for name, note in notes.items())
    return ParsedList(as_of, rows, problems)
