"""Country lists in the body text (``country_lists``): who received, took part, was visited, makes up a framework.

Why: the KEY WORD boxes (``partners``) hold a few partner lists; the body text holds many more that analysts
follow from edition to edition: 「2023年度は、フィリピン、マレーシア、バングラデシュ、フィジーの4か国の軍に対し、
…機材の供与を決定しており、2024年度は、フィリピン、インドネシア、モンゴル、ジブチに対して、…機材を供与する
こととした。」 is eight (subject, fiscal year, country) rows. ``read_paragraph`` turns a paragraph into such lists;
``edition_rows`` turns an edition's lists into rows and review items.

How, sentence by sentence (the README's table gives an example of each rule):

- **Items** are the parties ``mentions.find_mentions`` finds that can stand in a list — full names and single
  short names (米・豪・韓, 米海軍), each with its head word (インド海軍) or gloss (アラブ首長国連邦（UAE）) — and
  わが国 / 我が国 (Japan). A short name after a lead word (在韓) is a place; a pair name (米中, 米豪軍) is a relation.
- **A list** is two parties or more with only separators between them (、 ・ 及び と や 「を始め、」
  「などの欧州諸国や、」); 「など」「の4か国」 close it, 「3か国（A、B、C）」 counts it. Not lists: a relation of
  two (米国と中国の関係), a name (NATO・ロシア理事会), a reference (（中国・ロシア）), a quotation (「…」 longer
  than a name).
- **A compact prefix** of Japan and two partners or more (日米豪, 日豪NZ韓) is the list of its members, **Japan
  included** (the book counts Japan: 「日米豪3か国」): role 構成, no period, the prefix as subject, or the name it
  glosses (IP4の4か国（日豪NZ韓）) or the exercise it names (日米印豪共同訓練「マラバール2024」: role 共同訓練).
- **Role**: the first word of ``data/list_roles.csv`` after the list, up to the next list or a new topic
  (「…は、」), longest at the same place, not inside a name; a list without one takes the next list's (gapping);
  else the first verb of its clause, as written, when that clause names a subject (else it is not a list).
- **Period**: the last date before the list in its sentence, else the first between the list and its predicate;
  a sentence without dates takes the paragraph's last; 以降 / 以来 / から open a span and give no period.
- **Subject**: a name after the list up to its predicate's clause (「…」, an ASCII abbreviation, a programme of
  ``data/list_subjects.csv``, an agreement of ``data/agreements.csv``; with a known predicate an organisation
  joined); 本演習, 同訓練… take the paragraph's last 「…」 name, else the heading's; with a known predicate, else
  the nearest name before the list, the sentence's topic (not the book's own actors), the paragraph's last
  name, or the headings'.

Review: a list without a subject is not published (it would merge with other lists under the key), nor is one
whose stated count (「4か国」) differs from the parties it names: their rows go to review, not to the table. A
predicate or a party outside the vocabularies gives rows and a review item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import countries, mentions
from .agreement_names import find_mentions as find_agreement_mentions
from .countries import Party
from .dates import DateMention, find_dates
from .nlp import split_sentences, tokens
from .punctuation import CONJUNCTIONS
from .vocabulary import table

# --- tunable constants (lengths in characters) ---------------------------------------------------------

# A 「…」 in a role word stands for at most this many characters of the same clause (no 、 or 。).
ROLE_GAP_CHARS = 12
# A quoted 「…」 longer than this is a quotation, not a name.
SUBJECT_MAX_CHARS = 24
# Abbreviations shorter than this are not names (IT, AI); IP4, OSA, PSI are.
MIN_ABBREVIATION_CHARS = 3
# Between a compact prefix and the quoted name of the exercise it qualifies (日米豪共同訓練「…」): at most this.
PREFIX_NAME_GAP_CHARS = 12

# Between two items of a list there is at most this: a head word, a gloss, a separator (インド海軍、豪).
MAX_GAP_CHARS = 24

FISCAL, CALENDAR = "fiscal", "calendar"
ROLE_MEMBERS = "構成"  # role of a compact prefix's members (data/list_roles.csv)
ROLE_EXERCISE = "共同訓練"  # role of the members a compact prefix gives an exercise

# --- the grammar of lists --------------------------------------------------------------------------------

_AND = "|".join(CONJUNCTIONS)
# 「A、Bなどの欧州諸国や、C」: a group noun closing part of the list joins the next part.
_GROUP = r"(?:など|等)の[一-龯ァ-ヺー]{1,8}(?:諸国|各国)(?:や|及び|および)?[、，]?"
_SEPARATOR = rf"\s*(?:[、，,・]\s*(?:{_AND})?|{_AND}|と|や|を(?:始|はじ)め(?:とし(?:て)?)?[、，,]?|{_GROUP})\s*"
SEPARATOR = re.compile(_SEPARATOR)
NEAR_SEPARATOR = re.compile(rf"[、，,・とや]|{_AND}")
# A katakana word between two separators inside a list is a party the resolver does not know (マーシャル).
UNKNOWN_ITEM = re.compile(rf"{_SEPARATOR}(?P<name>[ァ-ヺー]{{2,12}}){_SEPARATOR}")
# A gloss in parentheses after a name (アラブ首長国連邦（UAE）) belongs to the item.
GLOSS = re.compile(r"\s*[（(](?P<gloss>[A-Za-z0-9ァ-ヺー・]{1,12})[）)]")
_COUNT = r"(?P<n>[0-9０-９]+|[一二三四五六七八九十]+)\s*[かカヶケ箇]\s*国"
COUNT_AFTER = re.compile(rf"\s*(?:など|等)?\s*(?:の\s*)?(?:計\s*)?{_COUNT}")
COUNT_BEFORE = re.compile(rf"{_COUNT}\s*[（(]\s*$")
CLOSE_PAREN = re.compile(r"\s*[）)]")
# After the last item: words that close the list without being a predicate.
LIST_TAIL = re.compile(r"\s*(?:など|等|各国|の各国|の両国|両国)")
# A predicate is looked for up to a new topic (「…米国は、」「日仏ACSAについては」): the list's clause ends there.
NEW_TOPIC = re.compile(r"(?<=[^、。\s])(?:については|は[、，])")
# A date followed by one of these opens a span (2014年から毎年, 2023年以降): it is not the list's period.
SPAN_START = re.compile(r"\s*(?:以降|以来|から(?![^、。]{0,6}(?:\d|[同翌]年|月)))")
# Verbs that are parts of compound particles (によって, において, に対して, にわたり…) or say nothing of a
# list (する, ある, 見る…): not predicates.
FUNCTION_VERBS = frozenset(
    "因る 於く 対する 関する 渡る 基づく 伴う 通ずる 通じる 就く 際する 当たる 向ける 比べる 含める 依る "
    "為る 有る 居る 成る 出来る 見る 言う 思う 考える".split()
)
# 「開発を行う」: the noun before を is the predicate.
LIGHT_VERBS = frozenset(("行う", "実施", "進める", "図る"))

# --- the grammar of subjects -----------------------------------------------------------------------------

# A quotation (「…」 longer than a name): a list inside it is quoted speech or a treaty's text, not the book's.
QUOTATION = re.compile(rf"「[^「」]{{{SUBJECT_MAX_CHARS + 1},}}」")
QUOTED = re.compile(rf"[「『](?P<name>[^「」『』、。]{{1,{SUBJECT_MAX_CHARS}}})[」』]")
# ASCII abbreviations: two capitals or more, digits allowed (IP4, RIMPAC, ADMMプラス, PSI訓練); not P-3C, HA/DR.
ABBREVIATION = re.compile(
    r"(?<![A-Za-z0-9\-/])[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*(?![A-Za-z0-9\-/])"
    r"(?:プラス|[一-龯ァ-ヺー]*?(?:訓練|演習|会合|会議|協議|枠組み|構想|条約|協定|プロジェクト|プログラム))?"
)
# A Roman numeral (the III of 第III部, the VI of TICAD VI) is a number, not an abbreviation.
ROMAN_NUMERAL = re.compile(r"(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})")
# 「本演習」「同訓練」: the exercise or programme named before.
ANAPHORA = re.compile(r"(?<![一-龯])(?:本|同|当該)(?:演習|訓練|会合|会議|枠組み?|事業|プログラム|課程|支援|協力)")
# 「頼総統は」「SPDMMは、」 at the head of a sentence: what the sentence is about.
TOPIC = re.compile(
    r"^(?:また|さらに|なお|一方|このほか|加えて)?[、，]?"
    r"(?P<topic>[^、。「」（）()\sぁ-ゖ]{1,16})(?:は|では|については)(?![ぁ-ゖ])"
)
# The numbering of a heading: 第3章, 2, (1), （4）, ア, イ…
HEADING_NUMBER = re.compile(
    r"^\s*(?:第[0-9０-９一二三四五六七八九十IVXⅠ-Ⅹ]+[部章節項]|[0-9０-９]+|[（(][0-9０-９]+[)）]|[ア-ン](?=[^ァ-ヺー]))\s*"
)
_KANJI_NUMBERS = {c: i for i, c in enumerate("〇一二三四五六七八九十") if i}


@dataclass(frozen=True)
class Item:
    """One party of a list, where it is written (its head word included: インド海軍)."""

    start: int
    end: int
    party: Party  # name as written (「米」 of 米海軍, 「わが国」)


@dataclass
class CountryList:
    """One list: its parties and what the rules read around it."""

    subject: str
    period: str
    period_kind: str
    role: str
    parties: list[Party]
    evidence: str
    stated: int | None = None  # the count the sentence states (「4か国」), if any
    problems: list[str] = field(default_factory=list)  # review reasons
    held_back: bool = False  # True when the rows go to review only


@dataclass
class _Sentence:
    text: str
    start: int  # offset of the sentence in the paragraph
    items: list[Item]
    prefixes: list[mentions.Mention]


# --- vocabularies -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _roles() -> tuple[tuple[re.Pattern[str], str, int], ...]:
    """(pattern, role, length of the word) per row of data/list_roles.csv."""
    gap = f"[^、。]{{0,{ROLE_GAP_CHARS}}}"
    rows = []
    for row in table("list_roles.csv"):
        parts = [re.escape(part) for part in row["word"].split("…")]
        rows.append((re.compile(gap.join(parts)), row["role"], len(row["word"])))
    return tuple(rows)


@lru_cache(maxsize=1)
def _subject_words() -> dict[str, frozenset[str]]:
    """Names of data/list_subjects.csv by kind: programme, actor, not_a_subject."""
    kinds: dict[str, set[str]] = {}
    for row in table("list_subjects.csv"):
        kinds.setdefault(row["kind"], set()).add(row["name"])
    return {kind: frozenset(names) for kind, names in kinds.items()}


@lru_cache(maxsize=1)
def _programmes() -> re.Pattern[str]:
    names = sorted(_subject_words().get("programme", ()), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


# --- items and lists ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _word_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(head words of data/mention_rules.csv, longest first; わが国 and the other self names)."""
    heads = re.compile("|".join(map(re.escape, mentions.rule_forms(mentions.HEAD))))
    return heads, re.compile("|".join(map(re.escape, mentions.self_names())))


def _items_and_prefixes(text: str, found: list[mentions.Mention]) -> tuple[list[Item], list[mentions.Mention]]:
    """List items (with their head words) and compact prefixes of Japan and two partners or more."""
    heads, self_names = _word_patterns()
    items, prefixes = [], []
    for mention in found:
        if mention.kind == mentions.PREFIX:
            if len(mention.parties) >= 3 and not mention.lead:
                prefixes.append(mention)
        elif mention.kind == mentions.NAME or (mention.kind == mentions.SHORT_NAME and not mention.lead):
            end = mention.end + len(mention.head)
            if mention.kind == mentions.NAME:
                head = heads.match(text, end)
                end = head.end() if head else end
                gloss = GLOSS.match(text, end)
                if gloss and (gloss.group("gloss").isascii() or countries.is_known(gloss.group("gloss"))):
                    end = gloss.end()
            items.append(Item(mention.start, end, mention.parties[0]))
    japan = countries.resolve("日本")
    for m in self_names.finditer(text):
        items.append(Item(m.start(), m.end(), japan.as_written(m.group())))
    quotations = [m.span() for m in QUOTATION.finditer(text)]
    items = [i for i in items if not any(a < i.start < b for a, b in quotations)]
    items.sort(key=lambda item: item.start)
    # A name inside a prefix (the NZ of 日豪NZ韓) or inside an item's gloss (the UAE of アラブ首長国連邦（UAE）)
    # belongs to it.
    taken = [(p.start, p.end) for p in prefixes]
    kept: list[Item] = []
    for item in items:
        if not any(a <= item.start < b for a, b in taken):
            kept.append(item)
            taken.append((item.start, item.end))
    return kept, prefixes


def _groups(text: str, items: list[Item]) -> list[list[Item]]:
    """Runs of items separated only by list separators, of two distinct parties or more."""
    groups: list[list[Item]] = []
    current: list[Item] = []
    for item in items:
        if current and current[-1].end <= item.start and SEPARATOR.fullmatch(text, current[-1].end, item.start):
            current.append(item)
            continue
        unknown = UNKNOWN_ITEM.fullmatch(text, current[-1].end, item.start) if current else None
        if unknown:
            name = unknown.group("name")
            current += [Item(unknown.start("name"), unknown.end("name"), countries.resolve(name)), item]
            continue
        if len({_identity(i.party) for i in current}) >= 2:
            groups.append(current)
        current = [item]
    if len({_identity(i.party) for i in current}) >= 2:
        groups.append(current)
    return groups


def _identity(party: Party) -> str:
    return party.iso3 or party.canonical


def _distinct(parties: list[Party]) -> list[Party]:
    seen, kept = set(), []
    for party in parties:
        if _identity(party) not in seen:
            seen.add(_identity(party))
            kept.append(party)
    return kept


def _count(value: str) -> int:
    value = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if value.isdigit():
        return int(value)
    if value.startswith("十"):
        return 10 + _KANJI_NUMBERS.get(value[1:], 0) if len(value) > 1 else 10
    if "十" in value:
        tens, ones = value.split("十", 1)
        return _KANJI_NUMBERS[tens] * 10 + _KANJI_NUMBERS.get(ones, 0)
    return _KANJI_NUMBERS.get(value, 0)


def _stated_count(text: str, start: int, end: int) -> tuple[int | None, int]:
    """The count the text states for the list at [start, end) (「の4か国」, 「3か国（…）」) and where the list ends."""
    before = COUNT_BEFORE.search(text, 0, start)
    close = CLOSE_PAREN.match(text, end)
    if before and close:
        return _count(before.group("n")), close.end()
    after = COUNT_AFTER.match(text, end)
    if after:
        return _count(after.group("n")), after.end()
    tail = LIST_TAIL.match(text, end)
    end = tail.end() if tail else end
    close = CLOSE_PAREN.match(text, end) if text[:start].rstrip().endswith(("（", "(")) else None
    return None, close.end() if close else end


# --- role, period, subject --------------------------------------------------------------------------------


def _role_window_end(text: str, start: int, limit: int) -> int:
    """Where the predicate of a list starting its clause at ``start`` may end: before a new topic (「…は、」)."""
    cut = NEW_TOPIC.search(text, start, limit)
    return cut.start() if cut else limit


def _role_in(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The first role word in text[start:end] (longest at the same place): (role, its start, its end).

    A word inside a name is not a predicate (the 提供 of 物品役務相互提供協定, the 訓練 of 「PSI訓練」)."""
    names = [(a, b) for a, b, _ in _names(text, start, end)]
    best = None
    for pattern, role, length in _roles():
        for m in pattern.finditer(text, start, end):
            if any(a <= m.start() and m.end() <= b for a, b in names):
                continue
            if best is None or (m.start(), -length) < (best[1], -best[3]):
                best = (role, m.start(), m.end(), length)
            break
    return best[:3] if best else None


def _first_verb(text: str) -> str:
    """The first predicate of ``text`` as written: a verb (its dictionary form) or a サ変 noun before する."""
    words = tokens(text[: text.find("。")] if "。" in text else text)
    for i, token in enumerate(words):
        if token.tag_.startswith("動詞") and token.lemma_ not in FUNCTION_VERBS:
            if (
                token.lemma_ in LIGHT_VERBS
                and i >= 2
                and words[i - 1].text == "を"
                and words[i - 2].tag_.startswith("名詞")
            ):
                return words[i - 2].text  # 「開発を行う」 → 開発
            return token.lemma_ or token.text
        nxt = words[i + 1] if i + 1 < len(words) else None
        if token.tag_.startswith("名詞-普通名詞-サ変") and nxt is not None and nxt.lemma_ in ("為る", "出来る"):
            return token.text
    return ""


def _period(
    dates: list[DateMention], sentence: str, start: int, end: int, carried: DateMention | None, until: int
) -> tuple[str, str]:
    """(period, period_kind) of a list at [start, end) of ``sentence`` whose predicate ends at ``until``."""
    usable = [d for d in dates if d.value and not SPAN_START.match(sentence, d.end)]
    before = [d for d in usable if d.end <= start]
    after = [d for d in usable if end <= d.start and d.end <= until]
    chosen = before[-1] if before else after[0] if after else None
    if chosen is None and not dates:
        chosen = carried
    if chosen is None:
        return "", ""
    return chosen.value[:4], FISCAL if chosen.fiscal else CALENDAR


def _names(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Subject candidates in text[start:end]: (start, end, name as the subject column gives it)."""
    end = len(text) if end is None else end
    found = [(m.start("name"), m.end("name"), m.group("name")) for m in QUOTED.finditer(text, start, end)]
    found += [(m.start(), m.end(), m.group()) for m in _programmes().finditer(text, start, end)]
    for mention in find_agreement_mentions(text[start:end], open_names=False):
        if not mention.reference:
            found.append((start + mention.start, start + mention.end, mention.name))
    taken = [(a, b) for a, b, _ in found]
    for m in ABBREVIATION.finditer(text, start, end):
        letters = re.match(r"[A-Z0-9&]+", m.group()).group().rstrip("0123456789")
        if (
            len(m.group()) < MIN_ABBREVIATION_CHARS
            or ROMAN_NUMERAL.fullmatch(m.group())
            or countries.is_known(letters)
            or m.group() in _subject_words().get("not_a_subject", ())
            or any(a <= m.start() < b for a, b in taken)
        ):
            continue
        found.append((m.start(), m.end(), m.group()))
    return sorted(found)


def _topic(text: str) -> str:
    """The sentence's topic (「頼総統は、」), unless it is a date, one of the book's own actors or a pronoun."""
    m = TOPIC.match(text)
    if not m or find_dates(m.group("topic")) or countries.find_parties(m.group("topic")):
        return ""
    if ANAPHORA.fullmatch(m.group("topic")):  # 「本訓練では、」: the name it refers to
        return ""
    if m.group("topic") in _subject_words().get("actor", ()) | _subject_words().get("not_a_subject", ()):
        return ""
    return m.group("topic")


def heading_subject(section: str, role: str = "") -> str:
    """The subject the headings give: the last name of the deepest heading that has one; or, when the deepest
    heading names the list's ``role`` (「（4）欧州各国空軍などとの共同訓練」), that heading without its number."""
    headings = [h for h in section.split(" > ") if h]
    if headings and role and role in headings[-1] and not _names(headings[-1]):
        return HEADING_NUMBER.sub("", headings[-1]).strip()
    for heading in reversed(headings):
        names = _names(heading)
        if names:
            return names[-1][2]
    return ""


# --- paragraphs -----------------------------------------------------------------------------------------


def read_paragraph(text: str, section: str = "", found: list[mentions.Mention] | None = None) -> list[CountryList]:
    """The country lists of one paragraph; ``section`` is its heading path (level 1 > level 2 > …) and
    ``found`` the mentions of ``text`` if they are known already."""
    found = mentions.find_mentions(text) if found is None else found
    places = _possible_lists(text, found)
    if not places:
        return []
    lists: list[CountryList] = []
    for start, end in split_sentences(text):
        if not any(start <= place < end for place in places):
            continue
        inside = [_shifted(m, -start) for m in found if start <= m.start and m.end <= end]
        items, prefixes = _items_and_prefixes(text[start:end], inside)
        if len(items) >= 2 or prefixes:
            lists += _sentence_lists(_Sentence(text[start:end], start, items, prefixes), text, section)
    return lists


def _possible_lists(text: str, found: list[mentions.Mention]) -> list[int]:
    """Where a list may be, found quickly before the sentences are read (most paragraphs of the book have none):
    compact prefixes of three, two items close together with a separator between them, わが国 near an item."""
    places = [m.start for m in found if m.kind == mentions.PREFIX and len(m.parties) >= 3]
    items = sorted((m.start, m.end) for m in found if m.kind in (mentions.NAME, mentions.SHORT_NAME))
    for (_, end), (start, _) in zip(items, items[1:], strict=False):
        if 0 <= start - end <= MAX_GAP_CHARS and NEAR_SEPARATOR.search(text, end, start):
            places.append(start)
    if items:
        places += [m.start() for m in _word_patterns()[1].finditer(text)]
    return places


def _shifted(mention: mentions.Mention, by: int) -> mentions.Mention:
    spans = tuple((a + by, b + by) for a, b in mention.spans)
    return mentions.Mention(
        mention.start + by, mention.end + by, mention.kind, mention.parties, spans, mention.lead, mention.head
    )


def _is_list(text: str, group: list[Item], end: int) -> bool:
    """False for a compound name (NATO・ロシア理事会) and for a relation of two (米国と中国の関係)."""
    last_separator = text[group[-2].end : group[-1].start].strip()
    if (
        last_separator == "・"
        and re.match(r"[一-龯ァ-ヺA-Za-z]", text[end : end + 1])
        and not _role_in(text, end, end + 4)
    ):
        return False
    if last_separator == "・" and CLOSE_PAREN.match(text, end) and re.search(r"[（(]\s*$", text[: group[0].start]):
        return bool(COUNT_BEFORE.search(text, 0, group[0].start))  # 「（中国・ロシア）」 is a reference
    if len(group) == 2 and last_separator == "と" and not text.startswith("との", end):
        # 「米国と中国の関係」 is a relation; 「豪軍とカナダ軍が参加した」 a list with a predicate of the vocabulary
        # in its clause.
        return not text.startswith("の", end) and _role_in(text, end, _clause_end(text, end, len(text))) is not None
    return True


def _sentence_lists(sentence: _Sentence, paragraph: str, section: str) -> list[CountryList]:
    """The lists of one sentence: explicit lists, then compact prefixes."""
    text, before = sentence.text, paragraph[: sentence.start]
    spans = _explicit_lists(text, sentence.items)
    if not spans and not sentence.prefixes:
        return []
    dates, carried_date = _sentence_dates(text, paragraph, sentence.start)
    lists: list[CountryList] = []
    pending: list[CountryList] = []  # lists waiting for the predicate of a later list (gapping)
    for index, (start, end, stated, parties) in enumerate(spans):
        limit = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        clause_end = _role_window_end(text, end, limit)
        found = _role_in(text, end, clause_end)
        period = _period(dates, text, start, end, carried_date, found[2] if found else clause_end)
        country_list = CountryList("", *period, "", parties, text, stated)
        pending.append(country_list)
        if found is None and index + 1 < len(spans):
            country_list.subject = _subject(text, start, end, limit, before, section, known=True)
            continue
        verb = "" if found else _unknown_predicate(text, end, clause_end)
        if not found and not verb:  # no predicate: not a list (「（中国・ロシア）」, 「中国やロシアなどによる…」)
            pending = []
            continue
        # The subject may follow the predicate in its clause (「…と共同開発を行っているGCAP」, 「共同訓練「X」」);
        # with an unknown predicate only the list's own clause is read.
        window_end = _clause_end(text, found[2] if found else end, limit)
        country_list.subject = _subject(text, start, end, window_end, before, section, known=bool(found))
        for waiting in pending:
            waiting.role = found[0] if found else verb
            if not found:
                waiting.problems.append(f"predicate not in list_roles.csv: {verb}")
            if not waiting.subject and found:  # the topic, the paragraph or the heading
                waiting.subject = _topic(text) or _carried_subject(before, section, role=waiting.role)
        lists += pending
        pending = []
    lists += [_prefix_list(text, prefix, dates, carried_date) for prefix in sentence.prefixes]
    for cl in lists:
        _review(cl)
    return lists


def _explicit_lists(text: str, items: list[Item]) -> list[tuple[int, int, int | None, list[Party]]]:
    """(start, end, stated count, parties) of each list of the sentence, in order."""
    spans = []
    for group in _groups(text, items):
        stated, end = _stated_count(text, group[0].start, group[-1].end)
        if _is_list(text, group, group[-1].end):
            spans.append((group[0].start, end, stated, _distinct([i.party for i in group])))
    return spans


def _sentence_dates(text: str, paragraph: str, start: int) -> tuple[list[DateMention], DateMention | None]:
    """The dates of a sentence and, when it needs one (no dates; 同年, 5月), the paragraph's last date before it."""
    dates = find_dates(text)
    if dates and all(d.value for d in dates):
        return dates, None
    carried = _carried_date(paragraph, start)
    return find_dates(text, carried.value if carried else ""), carried


def _unknown_predicate(text: str, end: int, clause_end: int) -> str:
    """The first verb of the list's clause, when that clause also names something the list could be about.

    Without a name (or 本演習…) in its clause, an enumeration in the analysis chapters (「中国やロシアなどに
    よる侵略」) is not a list anyone tracks."""
    own_clause = _clause_end(text, end, clause_end)
    if not (_names(text, end, own_clause) or ANAPHORA.search(text, 0, own_clause)):
        return ""
    return _first_verb(text[end:own_clause])


def _review(country_list: CountryList) -> None:
    """Add the review reasons of a list; a list without a subject or with a wrong count is held back."""
    names = "、".join(p.name for p in country_list.parties)
    problems = [f"unknown party name: {p.name}" for p in country_list.parties if p.party_type == countries.UNKNOWN]
    if country_list.stated is not None and country_list.stated != len(country_list.parties):
        country_list.held_back = True
        problems.append(
            f"stated {country_list.stated}か国 but the list names {len(country_list.parties)}: {names} (rows held back)"
        )
    if not country_list.subject:
        country_list.held_back = True
        problems.append(f"country list without a subject ({country_list.role}: {names})")
    country_list.problems += problems


def _carried_date(paragraph: str, before: int) -> DateMention | None:
    """The last date of the paragraph before a sentence."""
    dates = [d for d in find_dates(paragraph[:before]) if d.value] if before else []
    return dates[-1] if dates else None


def _carried_subject(before: str, section: str, quoted_first: bool = False, role: str = "") -> str:
    """The last name of the paragraph before the sentence, else the heading's; with ``quoted_first`` (what
    本演習 refers to: an exercise, and exercises are named in 「…」), the paragraph's last 「…」 name, else the
    heading's, else the paragraph's last name."""
    names = _names(before)
    if quoted_first:
        quoted = [name for name in names if name[0] > 0 and before[name[0] - 1] in "「『"]
        if quoted:
            return quoted[-1][2]
        return heading_subject(section) or (names[-1][2] if names else "")
    return names[-1][2] if names else heading_subject(section, role)


def _clause_end(text: str, start: int, limit: int) -> int:
    """The end of the clause ``start`` is in: the next 、 or 。 outside 「」 (not past ``limit``)."""
    depth = 0
    for i in range(start, limit):
        if text[i] in "「『（(":
            depth += 1
        elif text[i] in "」』）)":
            depth -= 1
        elif text[i] in "、。" and depth <= 0:
            return i
    return limit


def _subject(text: str, start: int, end: int, window_end: int, before: str, section: str, known: bool) -> str:
    """A name after the list up to the end of its predicate's clause (with a ``known`` predicate, an
    organisation there counts: 「A、BがNATOに加盟」), an anaphor's referent, or, with a ``known`` predicate,
    the nearest name before the list; "" otherwise."""
    after = _names(text, end, window_end)
    organisations = [
        (a, b, party.canonical)
        for a, b, party in countries.find_parties(text[end:window_end])
        if party.party_type == countries.ORGANIZATION and known
    ]
    if after or organisations:
        return min(after + [(end + a, end + b, name) for a, b, name in organisations])[2]
    if ANAPHORA.search(text, end, window_end) or ANAPHORA.search(text, 0, start):
        return _carried_subject(before, section, quoted_first=True)
    names = _names(text, 0, start) if known else []
    return names[-1][2] if names else ""


def _prefix_list(text: str, prefix: mentions.Mention, dates: list[DateMention], carried: DateMention | None):
    """The list of a compact prefix's members (see the module docstring)."""
    parties = list(prefix.parties)
    stated, _ = _stated_count(text, prefix.start, prefix.end)
    gloss = COUNT_BEFORE.search(text, 0, prefix.start) or re.search(r"[（(]\s*$", text[: prefix.start])
    subject, role, period, kind = text[prefix.start : prefix.end], ROLE_MEMBERS, "", ""
    named = re.match(rf"[^、。「」]{{0,{PREFIX_NAME_GAP_CHARS}}}?「(?P<name>[^「」、。]+)」", text[prefix.end :])
    if gloss and CLOSE_PAREN.match(text, prefix.end):
        names = _names(text, 0, gloss.start())
        subject = names[-1][2] if names else subject
    elif named:
        subject, role = named.group("name"), ROLE_EXERCISE
        period, kind = _period(dates, text, prefix.start, prefix.end, carried, prefix.end + named.end())
    return CountryList(subject, period, kind, role, parties, text, stated)


# --- an edition's rows ------------------------------------------------------------------------------------


def edition_rows(
    lists: list[tuple[dict, CountryList]], agreements: list[dict]
) -> tuple[list[tuple[dict, dict]], list[tuple[dict, str, str]]]:
    """The rows (block, values) and review items (block, reason, sentence) of an edition's lists.

    One row per list and party; a party of the same subject, period and role is kept once (the first place in
    reading order: the digest repeats the chapters). A list that repeats a KEY WORD box's partner list (same
    agreement, same parties) is not reported twice: it stays in ``agreements`` only."""
    keyword_lists = _keyword_lists(agreements)
    rows, review, seen = [], [], set()
    for block, country_list in lists:
        review += [(block, problem, country_list.evidence) for problem in country_list.problems]
        if country_list.held_back or _repeats_keyword_list(country_list, keyword_lists):
            continue
        for party in country_list.parties:
            key = (country_list.subject, country_list.period, country_list.role, _identity(party))
            if key in seen:
                continue
            seen.add(key)
            values = {
                "subject": country_list.subject,
                "period": country_list.period,
                "period_kind": country_list.period_kind,
                "country": party.name,
                "iso3": party.iso3,
                "cow": party.cow,
                "party_type": party.party_type,
                "role": country_list.role,
                "evidence": country_list.evidence,
            }
            rows.append((block, values))
    return rows, review


def _keyword_lists(agreements: list[dict]) -> dict[str, set[frozenset[str]]]:
    """Agreement name or abbreviation → the party sets of the KEY WORD lists (one per as-of date)."""
    parties: dict[tuple[str, str, str], set[str]] = {}
    for row in agreements:
        member = row["iso3"] or countries.resolve(row["country"]).canonical
        parties.setdefault((row["agreement"], row["abbr"], row["as_of"]), set()).add(member)
    found: dict[str, set[frozenset[str]]] = {}
    for (agreement, abbr, _as_of), members in parties.items():
        for name in filter(None, (agreement, abbr)):
            found.setdefault(name, set()).add(frozenset(members))
    return found


def _repeats_keyword_list(country_list: CountryList, keyword_lists: dict[str, set[frozenset[str]]]) -> bool:
    members = frozenset(_identity(p) for p in country_list.parties)
    return members in keyword_lists.get(country_list.subject, set())
