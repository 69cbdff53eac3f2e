"""Dated agreement events from body text: who signed, concluded, amended or brought into force which agreement, when.

Why: the partner lists (``partners``) give the state of things on one date; the body text tells the history:
"16(平成28)年9月には、…日米物品役務相互提供協定(日米ACSA)への署名が行われ、17(平成29)年4月に国会で承認され、
同月に発効した。" Each event becomes a row (agreement, kind, partner, event, date, the sentence), so editions can
be compared and joined with DCAD/ATOP by the partner's codes.

How, per paragraph, sentence by sentence:

1. Dates (``dates.find_dates``) are read in every sentence and carried from sentence to sentence (and from
   ``previous_date``), so 同年3月 / 同月 / 即日 resolve; 本年 / 昨年 count from the edition's ``year``.
2. Only a sentence that names an agreement (``agreement_names.may_name_agreement``: a vocabulary variant or a
   head noun such as 協定, 取決め, 覚書) and holds an event word (``EVENT_TEXT``) is tokenised and cut into
   clauses: about 1.4 % of the book's sentences. Its names come from ``agreement_names.find_mentions`` (the
   vocabulary and the open vocabulary); 同協定 / この協定 / 本取決め refer to the last agreement named before. A
   sentence that names an agreement without an event word only gives ``mentioned`` rows.
3. ``clauses.cut`` cuts it into clauses, one per predicate, each with its dates, agreements and partners.
4. Each clause gives one row per agreement × partner × event × date. The partner is, in this order: the
   agreement's own prefix (日豪ACSA, 日米韓 → two rows), the parties the clause names (「英国との間で」; carried
   along a chain of clauses; 同国との間では: the state the paragraph named last), the subject when it shares the
   predicate with Japan's side (防衛省と英国防省は; インドネシアは…わが国との間で), the 日X words around it in the
   sentence (日米両政府は, 日印首脳会談において), or the paragraph's partner (the one partner set its other
   sentences name: 「英国との間では、…。また、同年7月に…を締結」), within the paragraph only. An agreement of
   other states (北朝鮮は…ロシアとの間で, 中朝…条約, 米露間) gives no row.

Choices: ``Event.country`` is the partner as written (「豪」 from 日豪, 「英国」); ``Event.party`` carries the
resolved codes. A clause without a date of its own is dated "" when another clause of the sentence is
dated (an undated step of a dated chain: 「…日米ACSAとともに国会で承認され、同年発効した」); with no date at all it
goes to review. An agreement named with a partner but with no event in its sentence gives a ``mentioned`` row
(date ""). Nothing is dropped silently: every candidate the rules could not turn into a row is listed in
``EventResult.review`` with the reason (the constants below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import countries
from .agreement_names import Mention, find_mentions, may_name_agreement, reference_regex, vocabulary_mentions
from .clauses import Clause, cut, event_words, usable_dates
from .countries import Party
from .dates import find_dates
from .nlp import split_sentences, tokens
from .parties import clause_partners, context_partners, subjects

MENTIONED = "mentioned"
# Review reasons (the README lists each with an example).
NO_PARTNER = "{event} of {name}: no partner"
NO_DATE = "{event} of {name}: no date"
UNRESOLVED_DATE = "{event} of {name}: date not resolvable (同年/同月 without an earlier date)"
ONLY_FISCAL = "{event} of {name}: only a fiscal-year or as-of date"
NOT_REALISED = "{event} of {name}: not (yet) realised ({what})"
OTHER_STATES = "{event} of {name}: an agreement between other states ({who})"
WRONG_KIND = "{word} of {name}: {word} is an event only for kind {kinds} (this is {kind})"
NEW_NAME = "new agreement name: {name}"
NO_VERB = "agreement, partner and date named, but no event verb (署名, 締結, 発効…) recognised"
# 「同国との間では」: the state named last before; 「わが国との間で」: the subject is the partner.
SAME_STATE = re.compile(r"同国(?:との間|とは)")
WITH_JAPAN = re.compile(r"(?:わが国|我が国|日本)との間")
# Event words, as written, that make a sentence worth cutting into clauses (cheap test before tokenising).
EVENT_TEXT = re.compile(r"締結|署名|調印|発効|効力|合意|交渉|承認|改正|改定|作成|取り交わ|策定")
# In a sentence without events, names seen for the first time are read (tokenised) only when one may carry a partner
# (日豪…, 日本国と…との間の) or the next sentence refers back to one (同協定, 本取決め).
PREFIX_HINT = re.compile(r"日[^本]|日本国?(?:政府)?と")


@dataclass(frozen=True)
class Event:
    """One dated event of one agreement with one partner, with the sentence it comes from."""

    agreement: str  # canonical name (data/agreements.csv, else the phrase without its bilateral prefix)
    abbr: str  # "ACSA", "" when the agreement has none
    kind: str  # agreement | arrangement | declaration
    country: str  # the partner as written: 「豪」 (from 日豪), 「英国」 (from 英国との間で)
    party: Party  # resolved partner (iso3, cow, party_type)
    event: str  # signed | concluded | diet_approved | in_force | negotiation_started | agreed | amended | mentioned
    date: str  # "YYYY-MM" / "YYYY" / "" (always "" for mentioned rows)
    evidence: str  # the sentence


@dataclass
class EventResult:
    """Events of a paragraph, and the candidates the rules could not resolve (reason, sentence)."""

    events: list[Event] = field(default_factory=list)
    review: list[tuple[str, str]] = field(default_factory=list)

    def add(self, event: Event) -> None:
        if event not in self.events:
            self.events.append(event)

    def flag(self, reason: str, sentence: str) -> None:
        if (reason, sentence) not in self.review:
            self.review.append((reason, sentence))


def find_events(paragraph: str, previous_date: str = "", year: int | None = None) -> EventResult:
    """All agreement events (and partnered mentions) in a paragraph, sentence by sentence.

    ``previous_date`` ("YYYY" / "YYYY-MM") is the last date of the text before the paragraph, so that a
    leading 同年 resolves; ``year`` is the edition's year (本年, 昨年). Identical events are reported once.
    """
    result = EventResult()
    context = previous_date
    last: Mention | None = None
    spans = split_sentences(paragraph)
    paragraph_partners = _ParagraphPartners(paragraph, spans)
    for i, (s_start, s_end) in enumerate(spans):
        sentence = paragraph[s_start:s_end]
        dates = find_dates(sentence, context, year)
        resolved = [d for d in dates if d.value]
        if resolved:
            context = resolved[-1].value
        if not may_name_agreement(sentence):
            continue
        if EVENT_TEXT.search(sentence):
            words = tokens(sentence)
            mentions, last = _resolve_references(find_mentions(sentence, words), last)
            clauses = cut(sentence, words, mentions, dates) if mentions else []
        else:  # no event: only mentioned rows, which need a partner in the name (日豪…): tokenise only then
            following = paragraph[s_end : spans[i + 1][1]] if i + 1 < len(spans) else ""
            full = PREFIX_HINT.search(sentence) or reference_regex().search(following)
            words, clauses = None, []
            mentions, last = _resolve_references(find_mentions(sentence, open_names=bool(full)), last)
        if mentions:
            _Sentence(result, sentence, s_start, words, dates, mentions, clauses, paragraph_partners).emit()
    return result


def _resolve_references(mentions: list[Mention], last: Mention | None) -> tuple[list[Mention], Mention | None]:
    """同協定 / この協定 → the last agreement named before it (in the sentence or the paragraph)."""
    resolved = []
    for mention in mentions:
        if mention.reference:
            if last is None:
                continue
            mention = replace(last, start=mention.start, end=mention.end, gloss_end=mention.gloss_end, reference=True)
        else:
            last = mention
        resolved.append(mention)
    return resolved, last


class _ParagraphPartners:
    """The one partner set the sentences of a paragraph name (read only when a sentence names none)."""

    def __init__(self, paragraph: str, spans: list[tuple[int, int]]):
        self.paragraph, self.spans = paragraph, spans
        self._partners: tuple[Party, ...] | None = None

    def last_state(self, before: int) -> Party | None:
        """The last state (not Japan) the paragraph names before ``before`` (for 同国)."""
        states = [p for _, _, p in countries.find_parties(self.paragraph[:before]) if p.iso3 and p.iso3 != "JPN"]
        return states[-1] if states else None

    def get(self) -> tuple[Party, ...]:
        if self._partners is None:
            sets: list[frozenset[str]] = []
            chosen: tuple[Party, ...] = ()
            for start, end in self.spans:
                partners = _named_partners(self.paragraph[start:end])
                key = frozenset(p.iso3 or p.canonical for p in partners)
                if partners and key not in sets:
                    sets.append(key)
                    chosen = partners
            self._partners = chosen if len(sets) == 1 else ()
        return self._partners


def _named_partners(sentence: str) -> tuple[Party, ...]:
    """Japan's partners a sentence names: 日X prefixes (of agreements and of 日米両政府…), 「…との間で」 unless
    its subject is a foreign state. Read without the clause machinery (cheap: most sentences name none)."""
    found = [p for m in vocabulary_mentions(sentence) if not m.foreign for p in m.partners]
    found += context_partners(sentence)
    if "との間" in sentence or "とは" in sentence:
        partners, foreign = clause_partners(sentence, strict=True)
        if partners and not foreign and not subjects(tokens(sentence))[0]:
            found += partners
    unique: list[Party] = []
    for party in found:
        if party not in unique:
            unique.append(party)
    return tuple(unique)


class _Sentence:
    """Turns the clauses of one sentence into rows and review lines."""

    def __init__(self, result, sentence, offset, words, dates, mentions, clauses, paragraph_partners):
        self.result, self.sentence, self.offset, self.words, self.dates = result, sentence, offset, words, dates
        self.mentions, self.clauses, self.paragraph_partners = mentions, clauses, paragraph_partners
        self._subjects: tuple[tuple[Party, ...], tuple[Party, ...]] | None = None
        self._context: tuple[Party, ...] | None = None
        self.dated = any(clause.dates for clause in clauses)
        self.covered: set[tuple[str, tuple[Party, ...]]] = set()
        self.rows_for: set[str] = set()
        self.soft: list[tuple[str, str]] = []  # (agreement, reason): listed only if the agreement gave no row

    def emit(self) -> None:
        for clause in self.clauses:
            for predicate in clause.predicates:
                for mention in clause.agreements:
                    self._candidate(clause, predicate, mention)
        for name, reason in self.soft:
            if name not in self.rows_for:
                self.result.flag(reason, self.sentence)
        for mention in self.mentions:
            if not mention.known and mention.name in self.rows_for:
                self.result.flag(NEW_NAME.format(name=mention.name), self.sentence)
        if not self.clauses and self._dated_with_partner():
            self.result.flag(NO_VERB, self.sentence)
        for mention in self.mentions:
            if mention.partners and not mention.foreign and not mention.reference:
                if (mention.name, mention.partners) not in self.covered:
                    for party in mention.partners:
                        self.result.add(_event(mention, party, MENTIONED, "", self.sentence))

    def _candidate(self, clause: Clause, predicate, mention: Mention) -> None:
        event, name = predicate.event, mention.name
        if predicate.not_realised:
            self.result.flag(NOT_REALISED.format(event=event, name=name, what=predicate.not_realised), self.sentence)
            return
        self.covered.add((mention.name, mention.partners))
        kinds = event_words()[predicate.word][1]
        if kinds and mention.kind not in kinds.split("|"):
            reason = WRONG_KIND.format(word=predicate.word, name=name, kinds=kinds, kind=mention.kind)
            self.soft.append((name, reason))
            return
        partners, source = self._partners(clause, mention)
        if mention.foreign or (source != "prefix" and (clause.foreign or self._not_japans(partners))):
            who = "、".join(p.name for p in self._foreign_subjects()) or "named for other states"
            self.result.flag(OTHER_STATES.format(event=event, name=name, who=who), self.sentence)
            return
        if not partners:
            self.result.flag(NO_PARTNER.format(event=event, name=name), self.sentence)
            return
        dates = [d.value for d in clause.dates]
        if not dates and self.dated and clause.kind in ("main", "gapped"):
            dates = [""]  # an undated step of a dated chain
        if not dates:
            self.result.flag(self._missing_date(event, name), self.sentence)
            return
        for party in partners:
            for date in dates:
                self.result.add(_event(mention, party, event, date, self.sentence))
        self.rows_for.add(name)

    def _partners(self, clause: Clause, mention: Mention) -> tuple[tuple[Party, ...], str]:
        if mention.partners:
            return mention.partners, "prefix"
        if clause.partners:
            return clause.partners, "clause"
        if SAME_STATE.search(self.sentence):  # 同国との間では: the state the paragraph named last
            state = self.paragraph_partners.last_state(self.offset)
            if state is not None:
                return (state,), "clause"
        if WITH_JAPAN.search(self.sentence) and self._foreign_subjects():  # インドネシアは…わが国との間で
            return self._foreign_subjects(), "subject"
        if self._subject_partners():
            return self._subject_partners(), "subject"
        if self._context is None:
            self._context = context_partners(self.sentence, [(m.start, m.end) for m in self.mentions])
        if self._context:
            return self._context, "context"
        return self.paragraph_partners.get(), "paragraph"

    def _foreign_subjects(self) -> tuple[Party, ...]:
        if self._subjects is None:
            self._subjects = subjects(self.words)
        return self._subjects[0]

    def _subject_partners(self) -> tuple[Party, ...]:
        """防衛省と英国防省は → 英国."""
        self._foreign_subjects()
        return self._subjects[1]

    def _not_japans(self, partners: tuple[Party, ...]) -> bool:
        """The sentence's subject is a foreign state other than the partners (北朝鮮は…ロシアとの間で…署名)."""
        subjects = self._foreign_subjects()
        return bool(subjects) and set(subjects) != set(partners)

    def _missing_date(self, event: str, name: str) -> str:
        if not self.dates:
            return NO_DATE.format(event=event, name=name)
        if any(not d.value for d in self.dates):
            return UNRESOLVED_DATE.format(event=event, name=name)
        if not usable_dates(self.sentence, self.dates):  # every date a fiscal year or an as-of date
            return ONLY_FISCAL.format(event=event, name=name)
        return NO_DATE.format(event=event, name=name)

    def _dated_with_partner(self) -> bool:
        return bool(usable_dates(self.sentence, self.dates)) and bool(clause_partners(self.sentence)[0])


def _event(mention: Mention, party: Party, event: str, date: str, sentence: str) -> Event:
    return Event(mention.name, mention.abbr, mention.kind, party.name, party, event, date, sentence)
