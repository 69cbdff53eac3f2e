"""Dated agreement events from body text: who signed, ratified or brought into force which agreement, and when.

Why: the partner lists (``partners``) give the state of things on one date; the body text tells the history,
one chain of events per sentence: "16(平成28)年9月には、…日米物品役務相互提供協定(日米ACSA)への署名が
行われ、17(平成29)年4月に国会で承認され、同月に発効した。" Each event becomes a row (agreement, partner,
event, date, the sentence), so editions can be compared and joined with DCAD/ATOP by the partner's codes.

How:

- Agreement names come from ``data/agreements.csv`` (canonical, abbr, variant), matched on characters
  (names mix kanji, 「・」 and ASCII), longest variant first. A bilateral prefix right before a variant
  (日豪ACSA, 日英防衛装備品・技術移転協定, 日・マレーシア…) names the partner (``countries.prefix_partners``);
  ``{prefix}`` inside a variant marks where the prefix stands inside the name (安全保障協力に関する日豪共同宣言).
  A variant in parentheses right after a name (日豪円滑化協定(RAA)) is the same mention, not a second one.
- Event verbs come from the ``event`` column of ``data/statuses.csv`` and are found with spaCy's Matcher over
  fugashi tokens (国会承認 also matches 国会で承認, 交渉開始 also 交渉を開始: one particle may stand between
  the words of a multi-word entry); the longest match wins (実質合意 over 合意).
- A sentence is cut into clauses, one per event verb: from the end of the previous verb's clause up to the
  next 、 or 。 after the verb. A clause's event applies to the agreements named in it; a clause naming none
  (「…国会で承認され、同月に発効した」) carries the previous clause's agreements and partners, if it is short and
  has no object or subject of its own (を, が). 「同協定」「本協定」「この協定」 refer to the last agreement of the
  paragraph.
- The partner is the bilateral prefix when there is one (日米 wins over 駐日米国大使); otherwise the parties
  named before 「との間で」 / 「との」 in the clause, walking left over 、 及び および 並びに ・ until a word is not
  a party (「米国以外にも英国及びオーストラリアとの間で」 → 英国, オーストラリア). Several partners give one row each.
- The date is the last date (``dates.find_dates``) in the verb's clause, else the last one earlier in the same
  sentence (a date at the head of a sentence scopes over its chain). Dates are carried from sentence to
  sentence of the paragraph and from ``previous_date``, so 同年3月 / 同月 resolve. A fiscal year (年度) or an
  as-of date (2025年4月現在) does not date an event: a fiscal year spans two calendar years, an as-of date
  states a status.

Choices: ``Event.country`` is the partner as written (「豪」 from 日豪, 「英国」); ``Event.party`` carries the
resolved codes. A verb with an agreement and partner but no date in its sentence is kept as an event with
``date=""`` when another verb of the same sentence is dated (the chain is dated, this step is not:
「…日米ACSAとともに国会で承認され、同年発効した」); with no date in the whole sentence it goes to review.
A verb followed by 「に向け」「を目指」「予定」… has not happened yet: review. An agreement named with a
partner but with no event in its sentence gives a ``mentioned`` row (date ""). Nothing is dropped silently:
a candidate without partner or date is listed in ``EventResult.review`` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import countries
from .countries import Party
from .dates import AS_OF_PATTERN, find_dates
from .nlp import make_doc, nlp, split_sentences
from .punctuation import CONJUNCTIONS, LIST_COMMAS
from .vocabulary import table

MENTIONED = "mentioned"
PREFIX_SLOT = "{prefix}"  # in a variant: where a bilateral prefix may stand inside the name

# Longest bilateral prefix looked for before a variant (characters): 日・マレーシア is 7.
MAX_PREFIX_CHARS = 10
# A clause without agreements carries the previous clause's only if it is at most this long (characters).
MAX_CARRY_CLAUSE_CHARS = 30
# Particles that give a clause its own subject/object: it does not carry the previous clause's agreement.
OWN_ARGUMENT_PARTICLES = ("を", "が")
# Particles allowed between the words of a multi-word event entry (国会で承認, 交渉を開始).
EVENT_INFIXES = ("で", "を", "に", "が", "の")
# After an event verb: the event has not happened (yet).
NOT_REALISED = re.compile(
    r"(?:[にへ]向け|を目指|を目標|(?:する|される|の)?(?:予定|見込み)|を見据え|に至っていない|していない|されていない|に至らず)"
)
# 「Xとの間で」 / 「Xとの」: the text before it names the partners.
PARTNER_MARKER = re.compile(r"との(?:間(?:で|において|に)?)?")
# Separators of a partner list before 「との」 (「オーストラリアと英国との間で」, 「英国やフランスとの」).
PARTNER_SEPARATORS = re.compile("|".join((*CONJUNCTIONS, *LIST_COMMAS, "・", "と", "や")))
# The book's own country: in 「日本と英国との間で」 it is a side of the agreement, not a partner.
SELF_ISO3 = "JPN"
# Review reason for 「…との間で…協定を作成した」: the verb is not one of statuses.csv's events.
NO_VERB = "agreement, partner and date named, but no event verb (署名, 締結, 発効…) recognised"
# Anaphora: the last agreement of the paragraph.
ANAPHORA = re.compile(r"同協定|本協定|この協定|当該協定")
CLAUSE_END = "、,。"
OPEN_PARENS = "(（"
CLOSE_PARENS = ")）"


@dataclass(frozen=True)
class Event:
    """One dated event of one agreement with one partner, with the sentence it comes from."""

    agreement: str  # canonical name (data/agreements.csv)
    abbr: str  # "ACSA", "" when the agreement has none
    country: str  # the partner as written: 「豪」 (from 日豪), 「英国」 (from 英国との間で)
    party: Party  # resolved partner (iso3, cow, party_type); rows without a partner go to review instead
    event: str  # signed | concluded | diet_approved | in_force | negotiation_started | agreed | mentioned
    date: str  # "YYYY-MM" / "YYYY" / "" (always "" for mentioned rows)
    evidence: str  # the sentence


@dataclass
class EventResult:
    """Events of a paragraph, and the candidates the rules could not resolve (reason, sentence)."""

    events: list[Event] = field(default_factory=list)
    review: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    canonical: str
    abbr: str
    partners: tuple[Party, ...]


# --- vocabulary -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def agreement_table() -> list[dict[str, str]]:
    """The rows of ``data/agreements.csv``."""
    return [row for row in table("agreements.csv") if row["variant"].strip()]


def _variant_regex(variant: str, group: int) -> str:
    """A variant as a regex; ASCII names get word guards, {prefix} becomes an optional infix group."""
    head, slot, tail = variant.partition(PREFIX_SLOT)
    body = re.escape(head)
    if slot:
        body += rf"(?P<i{group}>日[^、。,\s()（）「」]{{1,{MAX_PREFIX_CHARS}}}?)?" + re.escape(tail)
    if variant[0].isascii():
        body = r"(?<![A-Za-z])" + body
    if variant[-1].isascii():
        body += r"(?![A-Za-z])"
    return f"(?P<v{group}>{body})"


@lru_cache(maxsize=1)
def _agreement_regex() -> tuple[re.Pattern[str], list[dict[str, str]]]:
    rows = sorted(agreement_table(), key=lambda row: len(row["variant"].replace(PREFIX_SLOT, "")), reverse=True)
    pattern = "|".join(_variant_regex(row["variant"].strip(), i) for i, row in enumerate(rows))
    return re.compile(pattern), rows


@lru_cache(maxsize=1)
def event_words() -> dict[str, str]:
    """Event word → event (``signed`` …), from the event column of ``data/statuses.csv``."""
    return {row["word"]: row["event"] for row in table("statuses.csv") if row.get("event")}


@lru_cache(maxsize=1)
def _event_matcher():
    from spacy.matcher import Matcher

    matcher = Matcher(nlp().vocab)
    for word, event in event_words().items():
        parts = [t.text for t in make_doc(word)]
        pattern: list[dict] = []
        for i, part in enumerate(parts):
            if i:
                pattern.append({"ORTH": {"IN": list(EVENT_INFIXES)}, "OP": "?"})
            pattern.append({"ORTH": part})
        matcher.add(event, [pattern])
    return matcher


# --- mentions -------------------------------------------------------------------------------------


def _prefix_before(text: str, start: int) -> tuple[int, tuple[Party, ...]]:
    """The longest bilateral prefix ending at ``start`` (日豪, 日・マレーシア): its start and partners."""
    for length in range(min(MAX_PREFIX_CHARS, start), 1, -1):
        candidate = text[start - length : start]
        partners = _parse_prefix(candidate)
        if partners:
            return start - length, partners
    return start, ()


def _parse_prefix(candidate: str) -> tuple[Party, ...]:
    """Partners when ``candidate`` is exactly a bilateral prefix 「日」+names, else ()."""
    if not candidate.startswith("日"):
        return ()
    partners = countries.prefix_partners(candidate + "協定")
    if partners and "日" + "".join(p.name for p in partners) == candidate.replace("・", ""):
        return tuple(partners)
    return ()


def _mentions(text: str) -> list[_Mention]:
    regex, rows = _agreement_regex()
    found: list[_Mention] = []
    for m in regex.finditer(text):
        index = int(m.lastgroup[1:])
        row = rows[index]
        start, partners = _prefix_before(text, m.start())
        infix = m.groupdict().get(f"i{index}")
        if infix:
            partners = _parse_prefix(infix)
        mention = _Mention(start, m.end(), row["canonical"].strip(), row["abbr"].strip(), partners)
        if found and _is_gloss(text, found[-1], mention):
            continue
        found.append(mention)
    return found


def _is_gloss(text: str, previous: _Mention, mention: _Mention) -> bool:
    """True for 「(RAA)」 / 「(日米ACSA)」 / 「(ACSA:…)」 right after the name it abbreviates."""
    between = text[previous.end : mention.start]
    return (
        previous.canonical == mention.canonical
        and between.strip() in OPEN_PARENS
        and bool(between.strip())
        and (not mention.partners or mention.partners == previous.partners)
    )


def find_agreement_mentions(text: str) -> list[tuple[int, int, str, str, Party | None]]:
    """Agreement names in ``text``: (start, end, canonical, abbr, partner from the bilateral prefix or None).

    The span includes the prefix (「日豪ACSA」); an abbreviation in parentheses right after its name is not
    a second mention. The partner is None without a prefix and for trilateral prefixes (日米豪).
    """
    return [
        (m.start, m.end, m.canonical, m.abbr, m.partners[0] if len(m.partners) == 1 else None) for m in _mentions(text)
    ]


# --- partners and verbs -----------------------------------------------------------------------------


def _clause_partners(clause: str) -> list[Party]:
    """Parties named before 「との間で」 / 「との」 in a clause, walking left until a word is not a party.

    A word that only ends in a party name (「米国以外にも英国」) contributes that name and ends the walk;
    「駐日米国大使との間で」 names no partner (the name does not end the word). Japan is skipped.
    """
    partners: list[Party] = []
    for m in PARTNER_MARKER.finditer(clause):
        head = clause[: m.start()]
        items = PARTNER_SEPARATORS.split(head)
        found: list[Party] = []
        for item in reversed(items):
            item = item.strip()
            party = countries.resolve(item) if item else None
            if party is not None and party.party_type != countries.UNKNOWN:
                if party.iso3 != SELF_ISO3:
                    found.insert(0, party)
                continue
            # 「米国以外にも英国」: a party ending the item is the list's first; nothing further left is.
            tail = [p for s, e, p in countries.find_parties(item) if e == len(item) and p.iso3 != SELF_ISO3]
            found[:0] = tail[-1:]
            break
        partners += [p for p in found if p not in partners]
    return partners


def _tokenizable(text: str) -> str:
    """Same-length text fugashi keeps intact: whitespace (which it may drop) becomes 〓."""
    return re.sub(r"\s", "〓", text)


def _verbs(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, event) of the event verbs in a sentence, left to right, longest first."""
    from spacy.util import filter_spans

    doc = make_doc(_tokenizable(sentence))
    matcher = _event_matcher()
    spans = []
    for match_id, start, end in matcher(doc):
        span = doc[start:end]
        spans.append(doc.char_span(span.start_char, span.end_char, label=nlp().vocab.strings[match_id]))
    return [(s.start_char, s.end_char, s.label_) for s in sorted(filter_spans(spans), key=lambda s: s.start)]


# --- events -----------------------------------------------------------------------------------------


@dataclass
class _Subject:
    """The agreements a clause is about, each with its partners."""

    items: list[tuple[_Mention, tuple[Party, ...]]]


def _subject(clause: str, mentions: list[_Mention], offset: int, last: _Subject | None) -> _Subject | None:
    """The agreements of a clause with their partners (prefix, else 「との」 partners of the clause)."""
    local = [m for m in mentions if offset <= m.start < offset + len(clause)]
    if not local and ANAPHORA.search(clause) and last is not None:
        return last
    if not local:
        return None
    clause_partners = tuple(_clause_partners(clause))
    return _Subject([(m, m.partners or clause_partners) for m in local])


def _may_carry(clause: str) -> bool:
    """A clause without agreement names carries the previous one's if short and without its own arguments."""
    doc = make_doc(_tokenizable(clause))
    has_argument = any(t.text in OWN_ARGUMENT_PARTICLES and t.tag_.startswith("助詞") for t in doc)
    return len(clause) <= MAX_CARRY_CLAUSE_CHARS and not has_argument


def _clause_end(sentence: str, verb_end: int) -> int:
    """End of a verb's clause: just after the next 、 or 。 (outside parentheses), or the sentence end."""
    depth = 0
    for i in range(verb_end, len(sentence)):
        char = sentence[i]
        if char in OPEN_PARENS:
            depth += 1
        elif char in CLOSE_PARENS:
            depth = max(0, depth - 1)
        elif char in CLAUSE_END and depth == 0:
            return i + 1
    return len(sentence)


def _usable(sentence: str, mention) -> bool:
    """A date that can date an event: resolved, not a fiscal year, not an as-of date."""
    return bool(mention.value) and not mention.fiscal and not AS_OF_PATTERN.match(sentence, mention.end)


def _add(result: EventResult, seen: set, event: Event) -> None:
    if event not in seen:
        seen.add(event)
        result.events.append(event)


def _review(result: EventResult, reason: str, sentence: str) -> None:
    if (reason, sentence) not in result.review:
        result.review.append((reason, sentence))


def find_events(paragraph: str, previous_date: str = "") -> EventResult:
    """All agreement events (and partnered mentions) in a paragraph, sentence by sentence.

    ``previous_date`` ("YYYY" / "YYYY-MM") is the last date of the text before the paragraph, so that a
    leading 同年 resolves. Identical events are reported once.
    """
    result = EventResult()
    seen: set[Event] = set()
    context = previous_date
    last_subject: _Subject | None = None
    for s_start, s_end in split_sentences(paragraph):
        sentence = paragraph[s_start:s_end]
        dates = find_dates(sentence, context)
        resolved = [d for d in dates if d.value]
        if resolved:
            context = resolved[-1].value
        mentions = _mentions(sentence)
        verbs = _verbs(sentence) if mentions or last_subject else []
        sentence_dated = any(_usable(sentence, d) for d in dates)
        covered: set[tuple[str, tuple[Party, ...]]] = set()
        clause_start = clause_end = 0
        subject: _Subject | None = None
        for v_start, v_end, event in verbs:
            if v_start >= clause_end:  # a new clause; a verb inside the previous one shares its subject and date
                clause_start, clause_end = clause_end, _clause_end(sentence, v_end)
                clause = sentence[clause_start:clause_end]
                own = _subject(clause, mentions, clause_start, last_subject)
                if own is None and subject is not None and _may_carry(sentence[clause_start:v_start]):
                    own = subject
                subject = own
            if subject is None:
                continue
            last_subject = subject
            if NOT_REALISED.match(sentence, v_end):
                _review(result, f"{event}: not (yet) realised", sentence)
                continue
            date = _event_date(sentence, dates, clause_start, clause_end)
            for mention, partners in subject.items:
                covered.add((mention.canonical, partners))
                if not partners:
                    _review(result, f"{event} of {mention.canonical}: no partner", sentence)
                elif not date and not sentence_dated:
                    reason = _missing_date_reason(sentence, dates)
                    _review(result, f"{event} of {mention.canonical}: {reason}", sentence)
                else:
                    for party in partners:
                        _add(result, seen, _event(mention, party, event, date, sentence))
        if mentions and not verbs and sentence_dated and _clause_partners(sentence):
            _review(result, NO_VERB, sentence)
        for mention in mentions:
            if mention.partners and (mention.canonical, mention.partners) not in covered:
                for party in mention.partners:
                    _add(result, seen, _event(mention, party, MENTIONED, "", sentence))
        if subject is None and mentions:
            last_subject = _Subject([(mentions[-1], mentions[-1].partners)])
    return result


def _missing_date_reason(sentence: str, dates) -> str:
    if not dates:
        return "no date"
    if any(not d.value for d in dates):
        return "date not resolvable (同年/同月 without an earlier date: pass previous_date)"
    return "only a fiscal-year or as-of date"


def _event_date(sentence: str, dates, clause_start: int, clause_end: int) -> str:
    """The last usable date in the verb's clause, else the last one before the clause in the sentence."""
    in_clause = [d for d in dates if clause_start <= d.start < clause_end and _usable(sentence, d)]
    if in_clause:
        return in_clause[-1].value
    before = [d for d in dates if d.end <= clause_start and _usable(sentence, d)]
    return before[-1].value if before else ""


def _event(mention: _Mention, party: Party, event: str, date: str, sentence: str) -> Event:
    return Event(mention.canonical, mention.abbr, party.name, party, event, date, sentence)
