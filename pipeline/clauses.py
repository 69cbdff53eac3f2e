"""A sentence cut into clauses, each with its own predicate, and what depends on that predicate.

Why: one sentence of the white paper often tells several events, and Japanese is head-final: a date or an
object depends on the next predicate, not on the sentence. 「同年7月に署名された日英情報保護協定が14(同26)年
1月に発効し」 has two predicates, each with its own date; 「1996年に締結(1999年及び2004年に改正)した日米ACSA」 has
an amendment in parentheses with two dates of its own; 「Aとの間では、10年5月に日A協定を、Bとの間では、17年1月に
日B協定を締結した」 has one verb for two objects, each with its own date and partner (gapping). A
``Clause`` records, for one predicate, its dates, agreements and partners; ``events`` turns clauses into rows.

Rules (each a function below, tested alone in tests/test_clauses.py):

- **Predicates** are the event words of ``data/statuses.csv`` (spaCy Matcher on fugashi lemmas; one particle may
  stand inside a multi-word entry: 国会で承認, 交渉を開始, 策定作業の開始) used as predicates: followed by する
  (締結し, 署名された), a light verb (の署名が行われ, への署名を行い, 合意に至った, の署名を以て, の承認を経て),
  済み, で一致 (交渉開始で一致), a parenthesis and then one of those (締結(…に改正)した), or ending a clause after a
  particle (協定が発効、). 協定締結状況 or 交渉の結果 are nouns, not predicates. 署名・発効に至り is one predicate
  with two events. What follows the verb group says whether it happened: に向け, 予定, べく, 延期, 早期…, 未…,
  締結で一致 (agreed to conclude) are not realised.
- **Form**: a predicate whose verb group is followed by a noun is a relative clause (署名された日英協定): the
  noun phrase after it is its object unless the clause has its own を-object (期限延長を合意した新START: the treaty
  is not what was agreed). A predicate inside parentheses is a clause of its own whose object is the enclosing
  clause's.
- **Span**: a clause runs from the end of the previous predicate's verb group to the end of its own; a
  parenthesis with a predicate is its own clause. Within a span, 「<agreement><を|は|に…>、」 followed by another
  agreement with the same particle before the verb cuts off a gapped conjunct that shares the verb.
- **Dates** of a clause: the last usable date in its span (not a fiscal year, not an as-of date, not inside
  another parenthesis) and the dates coordinated with it (1999年及び2004年). A date followed by 、 (2017年、) frames
  the sentence: a later clause without a date of its own takes it, until another date appears.
- **Agreements** of a clause: the agreement names in its span that are arguments of the predicate (followed by
  を, が, は, も, に, への, について, とともに, の+event word, or coordinated with one that is); not names that only
  modify (協定に基づく, 協定の規定により, 協定の延長に). A reference back (同協定, この協定, 本取決め) counts as a name
  once ``events`` has resolved it. Without one, a short clause without its own を/が carries the previous
  clause's agreements (…への署名が行われ、17年4月に国会で承認され、同月に発効した); a parenthesis, its host's.
- **Partners** of a clause: those it names (``parties.clause_partners``), else the previous clause's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .agreement_names import Mention
from .countries import Party
from .dates import AS_OF_PATTERN, DateMention
from .nlp import doc_of, nlp
from .parties import clause_partners
from .punctuation import CONJUNCTIONS
from .vocabulary import table

# Particles allowed between the words of a multi-word event entry (国会で承認, 交渉を開始, 策定作業の開始).
EVENT_INFIXES = ("で", "を", "に", "が", "の")
# Light verbs after a particle that make an event noun a predicate (の署名が行われ, を行い, がなされ, に至り, を以て).
LIGHT_VERBS = {
    "が": ("行う", "成す", "為す", "成立", "実施", "見る"),
    "を": ("行う", "持つ", "以る", "経る", "得る", "見る", "実施"),
    "に": ("至る", "達する"),
    "も": ("行う",),
}
# After the verb group: the event has not happened (yet).
NOT_REALISED_AFTER = re.compile(
    r"\s*(?:[にへ]向け|を目指|を目標|(?:の)?(?:予定|見込み)|を見据え|べく|よう|方針|意向|延期|見送)"
)
# In the verb group: it did not happen, or is only meant to (署名していない, 締結しておらず, 締結すべく, 署名したい).
NEGATION = re.compile(r"な[いかく]|ず|ぬ|ておら|べく|べき|たい")
# Right after an event word: not (yet) a fact (署名に向けた, 署名は延期され).
NOT_REALISED_WORD = re.compile(
    r"\s*(?:に向け|へ向け|を目指|の予定|予定|は延期|が延期|を延期|の延期|は見送|が見送|を見送)"
)
# Before an event word: not realised (早期締結, 未締結, 未発効).
NOT_REALISED_BEFORE = ("早期", "未", "早急")
# 「…することで一致」 after a non-negotiation event: they agreed to do it (締結することで一致, 早期締結で一致).
AGREED_TO_DO = re.compile(r"\s*(?:こと)?で一致")
# Nouns after a verb group that make it a nominalisation, not a relative clause (署名したほか, 署名されたもので).
NOMINALISERS = ("こと", "もの", "ほか", "際", "後", "ため", "上", "場合", "旨", "よう", "結果", "以降", "中")
# Particles after an agreement name that make it an argument of the clause's predicate.
ARGUMENT_AFTER = re.compile(
    r"^[\s」』]*[0-9]{0,2}\s*(?P<particle>を|が|は|も|への|へ|について|とともに|と共に|"
    r"に(?!基づ|関す|関し|係|かか|対|より|よる|よっ|おけ|おい|加え|向け|沿|伴|従|代わ|替わ|準|とって|つい|至))"
)
# Topic markers: a topic is the predicate's argument unless the clause has another object.
TOPIC_PARTICLES = ("は", "も", "について")
# 「Xとともに」: X shares the predicate with the previous clause's agreements, which it does not replace.
WITH_PARTICLES = ("とともに", "と共に")
# Conjunctions between two nouns (及び, 並びに…), as a regex alternation.
AND = "|".join(CONJUNCTIONS)
# Between two agreement names of one argument: 日豪ACSA及び日豪手続取決めの署名, 日英ACSA、日英RAAの締結.
COORDINATION = re.compile(rf"^[\s」』]*[0-9]{{0,2}}\s*(?:、|,|{AND}|や|・|と(?!の|とも|共))[\s「『]*")
# A clause without agreements carries the previous clause's only if it is at most this long (characters) …
MAX_CARRY_CLAUSE_CHARS = 40
# … and has no subject or object of its own.
OWN_ARGUMENT_PARTICLES = ("を", "が")
# After a date: it frames what follows (2017年、 / 2016年9月には、).
FRAMING_AFTER = re.compile(r"(?:に|には|は|にも|では)?[、,]")
# Between two coordinated dates of one clause (1999年及び2004年に改正).
DATE_COORDINATION = re.compile(rf"^(?:に)?(?:{AND}|、|と)$")
OPEN_PARENS, CLOSE_PARENS = "(（", ")）"


@dataclass(frozen=True)
class Predicate:
    """An event word used as a predicate."""

    start: int  # the event word(s) in the sentence
    end: int
    event: str  # signed | concluded | in_force | … (``data/statuses.csv``)
    word: str  # the vocabulary word (作成, 締結…): some apply only to some kinds of agreement
    group_end: int  # end of its verb group (した, が行われ, に至り, を以て)
    form: str  # relative | conjunctive | final
    not_realised: str  # "" or the words that say it has not happened (に向け, 予定, 早期…)


@dataclass
class Clause:
    """One predicate (or several joined by ・: 署名・発効に至り) with its dates, agreements and partners."""

    start: int
    end: int
    predicates: list[Predicate]
    kind: str  # main | relative | paren | gapped
    dates: list[DateMention] = field(default_factory=list)
    framed: bool = False  # dated by a date that frames the sentence, not one of its own
    agreements: list[Mention] = field(default_factory=list)
    partners: tuple[Party, ...] = ()
    foreign: bool = False  # names two foreign sides (イスラエルとパレスチナの間で)


# --- vocabulary --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def event_words() -> dict[str, tuple[str, str]]:
    """Event word → (event, kinds it applies to: "" for all), from ``data/statuses.csv``."""
    return {row["word"]: (row["event"], row.get("kinds", "")) for row in table("statuses.csv") if row.get("event")}


@lru_cache(maxsize=1)
def _event_matcher():
    from spacy.matcher import Matcher

    from .nlp import make_doc

    matcher = Matcher(nlp().vocab)
    for word in event_words():
        pattern: list[dict] = []
        for i, token in enumerate(make_doc(word)):
            if i:
                pattern.append({"ORTH": {"IN": list(EVENT_INFIXES)}, "OP": "?"})
            pattern.append({"LEMMA": token.lemma_})
        matcher.add(word, [pattern])
    return matcher


@lru_cache(maxsize=1)
def _event_surface() -> re.Pattern[str]:
    """Event words as they are written after a name, with or without 「の」 (協定の署名, 協定の策定作業, 協定交渉)."""
    words = {w[:2] for w in event_words() if not w.startswith("取り")}
    return re.compile(
        "^[\\s」』]*[0-9]{0,2}\\s*(?:の\\s*)?(?:早期)?(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"
    )


# --- predicates -------------------------------------------------------------------------------------


def predicates(sentence: str, tokens) -> list[Predicate]:
    """The event words of a sentence used as predicates, left to right (the longest match wins).

    ``tokens``: the sentence's ``nlp.tokens`` (or its Doc); the Matcher runs on a Doc made of them."""
    from spacy.util import filter_spans

    strings = nlp().vocab.strings
    doc = doc_of(sentence, tokens)
    words = {}
    for match_id, start, end in _event_matcher()(doc):
        words[(start, end)] = strings[match_id]
    spans = filter_spans([doc[start:end] for start, end in words])
    found = []
    for span in sorted(spans, key=lambda s: s.start):
        predicate = _predicate(sentence, tokens, span, words[(span.start, span.end)])
        if predicate is not None:
            found.append(predicate)
    return found


def _predicate(sentence: str, tokens, span, word: str) -> Predicate | None:
    """The predicate an event word is the head of, or None when it is only a noun (協定締結状況, 交渉の結果)."""
    event = event_words()[word][0]
    start, end = span.start_char, span.end_char
    waiting = NOT_REALISED_WORD.match(sentence, end)
    if waiting:  # 署名に向けた, 署名は延期された: not a fact, but worth a review line
        return Predicate(start, end, event, word, end, "conjunctive", waiting.group().strip())
    n = len(tokens)
    j = span.end
    # 署名・発効に至り: a second event word after 「・」 shares this verb group (署名・交換が行われ: so does a noun)
    while j + 1 < n and tokens[j].text in ("・", "･") and tokens[j + 1].tag_.startswith("名詞"):
        j += 2
    if j < n and tokens[j].text in OPEN_PARENS:  # 締結(1999年及び2004年に改正)した
        close = _close_paren(tokens, j)
        if close is not None and close + 1 < n and _starts_verb(tokens, close + 1):
            j = close + 1
    if tokens[span.end - 1].tag_.startswith("動詞") or (j < n and _starts_verb(tokens, j)):
        pass  # 取り交わした (the event word is a verb); 締結し, 署名された, 締結済み
    elif j + 1 < n and tokens[j].text in LIGHT_VERBS and tokens[j + 1].lemma_ in LIGHT_VERBS[tokens[j].text]:
        j += 2  # の署名が行われ, への署名を行い, 合意に至った, の署名を以て, の承認を経て
    elif j + 1 < n and tokens[j].text == "で" and tokens[j + 1].text == "一致":
        j += 2  # 交渉開始で一致
    elif not _ends_nominal(tokens, span.start, j):
        return None
    group = j
    while j < n and (tokens[j].tag_.startswith(("動詞", "助動詞")) or _is_te(tokens, j) or tokens[j].text == "済み"):
        j += 1
    group_end = tokens[j - 1].idx + len(tokens[j - 1].text)
    negated = NEGATION.search(sentence, tokens[group].idx if group < n else group_end, group_end)
    not_realised = negated.group() if negated else _not_realised(sentence, start, end, group_end, event)
    return Predicate(start, end, event, word, group_end, _form(tokens, j), not_realised)


def _starts_verb(tokens, j: int) -> bool:
    """する-forms (し, する, した, され, させ) and 済み after an event noun."""
    token = tokens[j]
    return (token.tag_.startswith("動詞") and token.lemma_ == "為る") or token.text in ("済み", "済")


def _is_te(tokens, j: int) -> bool:
    """て/で joining verbs inside a group (締結していた, 署名しており), not ending it."""
    token = tokens[j]
    return (
        token.text in ("て", "で")
        and token.tag_.startswith("助詞-接続助詞")
        and j + 1 < len(tokens)
        and tokens[j + 1].tag_.startswith(("動詞-非自立", "助動詞"))
    )


def _ends_nominal(tokens, start: int, j: int) -> bool:
    """An event noun ending a clause after a particle: 協定が発効、 / (同年12月に同条約は発効)."""
    at_end = j >= len(tokens) or tokens[j].text in ("、", ",", "。", *CLOSE_PARENS)
    before = tokens[start - 1] if start > 0 else None
    return at_end and before is not None and (before.tag_.startswith("助詞") or before.text == "即日")


def _close_paren(tokens, j: int) -> int | None:
    depth = 0
    for k in range(j, len(tokens)):
        if tokens[k].text in OPEN_PARENS:
            depth += 1
        elif tokens[k].text in CLOSE_PARENS:
            depth -= 1
            if depth == 0:
                return k
    return None


def _form(tokens, j: int) -> str:
    """relative when the verb group is followed by a noun phrase (署名された日英協定), else conjunctive or final."""
    if j >= len(tokens) or tokens[j].text in ("。", "!", "?"):
        return "final"
    following = tokens[j]
    last = tokens[j - 1]
    if following.text in NOMINALISERS:
        return "conjunctive"
    nominal = following.tag_.startswith(("名詞", "接頭辞")) or following.text in ("「", "『")
    if nominal and last.tag_.startswith(("助動詞", "動詞")) and last.text not in ("て", "し", "り", "い", "れ"):
        return "relative"
    return "conjunctive"


def _not_realised(sentence: str, start: int, end: int, group_end: int, event: str) -> str:
    """What says the event has not happened, or ""."""
    before = sentence[max(0, start - 3) : start]
    for word in NOT_REALISED_BEFORE:
        if before.endswith(word):
            return word
    found = NOT_REALISED_AFTER.match(sentence, group_end)
    if found:
        return found.group().strip()
    if sentence.startswith("ため", group_end) and sentence[:group_end].endswith("る"):
        return "ため"  # 締結するため (in order to), not 締結したため (because)
    if event != "negotiation_started":
        for position in (end, group_end):
            found = AGREED_TO_DO.match(sentence, position)
            if found:
                return found.group().strip()
    return ""


# --- clauses --------------------------------------------------------------------------------------------


def parentheses(sentence: str) -> list[tuple[int, int]]:
    """Spans of the outermost parentheses (the characters inside, without the parentheses)."""
    spans, depth, start = [], 0, 0
    for i, char in enumerate(sentence):
        if char in OPEN_PARENS:
            if depth == 0:
                start = i + 1
            depth += 1
        elif char in CLOSE_PARENS and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return next((span for span in spans if span[0] <= position < span[1]), None)


def cut(sentence: str, tokens, mentions: list[Mention], dates: list[DateMention]) -> list[Clause]:
    """The clauses of a sentence in text order (a parenthesis after the clause that holds it).

    ``tokens``: its ``nlp.tokens`` (or its Doc); ``mentions``: its agreement names, references back (同協定) resolved;
    ``dates``: its dates (``dates.find_dates``).
    """
    parens = parentheses(sentence)
    groups = _groups(sentence, predicates(sentence, tokens))
    if not groups:
        return []
    roles = argument_roles(sentence, mentions)
    clauses: list[Clause] = []
    previous_end = 0
    for group in groups:
        paren = _inside(group[0].start, parens)
        if paren is not None:
            clauses.append(Clause(paren[0], paren[1], group, "paren"))
            continue
        end = _clause_end(sentence, group[-1].group_end)
        kind = "relative" if group[-1].form == "relative" else "main"
        clause = Clause(previous_end, end, group, kind)
        clauses += _gapped(sentence, clause, mentions, roles, parens)
        previous_end = end
    _attach_dates(sentence, clauses, dates, parens)
    _attach_agreements(sentence, tokens, clauses, mentions, roles, parens)
    _attach_partners(sentence, clauses, parens)
    return sorted(clauses, key=lambda c: (c.start if c.kind != "paren" else c.end, c.kind == "paren"))


def _groups(sentence: str, found: list[Predicate]) -> list[list[Predicate]]:
    """Predicates joined by 「・」 (署名・発効に至り) share one verb group: one clause."""
    groups: list[list[Predicate]] = []
    for predicate in found:
        if groups and sentence[groups[-1][-1].end : predicate.start] in ("・", "･"):
            groups[-1].append(predicate)
        else:
            groups.append([predicate])
    return groups


def _clause_end(sentence: str, group_end: int) -> int:
    """A clause ends after its verb group and the 、 right after it."""
    end = group_end
    while end < len(sentence) and sentence[end] in " 、,":
        end += 1
    return end


def _gapped(sentence: str, clause: Clause, mentions, roles, parens) -> list[Clause]:
    """A clause, or its gapped conjuncts (…日A協定を、…日B協定を締結した) followed by the clause itself."""
    local = [
        m
        for m in mentions
        if clause.start <= m.start < clause.predicates[0].start and roles[m][0] and not _inside(m.start, parens)
    ]
    pieces: list[Clause] = []
    start = clause.start
    for i, mention in enumerate(local):
        particle = roles[mention][0]
        rest = sentence[mention.gloss_end : clause.predicates[0].start]
        comma = re.search(r"[、,]", rest)
        later = [m for m in local[i + 1 :] if roles[m][0] == particle]
        if comma is None or not later or later[0].start < mention.gloss_end + comma.start():
            continue
        cut_at = mention.gloss_end + comma.end()
        pieces.append(Clause(start, cut_at, clause.predicates, "gapped"))
        start = cut_at
    clause.start = start
    return pieces + [clause]


def argument_roles(sentence: str, mentions: list[Mention]) -> dict[Mention, tuple[str, int]]:
    """For each agreement name: the particle that makes it an argument (を, が, は…; "の" for の+event word) or "",
    and where that particle stands (the end of the last name of a coordination: 協定A及び協定Bの署名)."""
    roles: dict[Mention, tuple[str, int]] = {}
    for i in range(len(mentions) - 1, -1, -1):
        mention = mentions[i]
        after = sentence[mention.gloss_end :]
        found = ARGUMENT_AFTER.match(after)
        if found:
            roles[mention] = (found.group("particle"), mention.gloss_end)
            continue
        if _event_surface().match(after):
            roles[mention] = ("の", mention.gloss_end)
            continue
        coordinated = COORDINATION.match(after)
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        if coordinated and following is not None and following.start == mention.gloss_end + coordinated.end():
            roles[mention] = roles[following]
            continue
        roles[mention] = ("", mention.gloss_end)
    return roles


def usable_dates(sentence: str, dates: list[DateMention]) -> list[DateMention]:
    """The dates that can date an event: resolved, not a fiscal year, not an as-of date (2025年4月現在)."""
    return [d for d in dates if d.value and not d.fiscal and not AS_OF_PATTERN.match(sentence, d.end)]


def _attach_dates(sentence: str, clauses: list[Clause], dates: list[DateMention], parens) -> None:
    usable = usable_dates(sentence, dates)
    for clause in clauses:
        inside = [
            d
            for d in usable
            if clause.start <= d.start < clause.end
            and (clause.kind == "paren" or not _inside(d.start, parens))
            and not _in_other_clause(d, clause, clauses)
        ]
        if inside:
            clause.dates = _coordinated(sentence, inside)
            continue
        if clause.kind == "paren":
            continue
        before = [d for d in usable if d.end <= clause.start and not _inside(d.start, parens)]
        if before and FRAMING_AFTER.match(sentence, before[-1].end):
            clause.dates, clause.framed = [before[-1]], True


def _in_other_clause(date: DateMention, clause: Clause, clauses: list[Clause]) -> bool:
    """A date inside a parenthesis that is a clause of its own belongs to that clause."""
    return any(
        other is not clause and other.kind == "paren" and other.start <= date.start < other.end for other in clauses
    )


def _coordinated(sentence: str, dates: list[DateMention]) -> list[DateMention]:
    """The last date and those coordinated with it (1999年及び2004年 → both)."""
    chosen = [dates[-1]]
    for date in reversed(dates[:-1]):
        if DATE_COORDINATION.match(sentence[date.end : chosen[0].start]):
            chosen.insert(0, date)
        else:
            break
    return chosen


def _attach_agreements(sentence: str, tokens, clauses: list[Clause], mentions, roles, parens) -> None:
    previous: Clause | None = None
    for clause in clauses:
        if clause.kind == "paren":
            continue
        first = clause.predicates[0]
        end = min(clause.end, first.start)
        own = [
            m
            for m in mentions
            if clause.start <= m.start < end
            and roles[m][0]
            and not _inside(m.start, parens)
            and not _taken_before(sentence, tokens, roles[m], first.start, mentions, parens)
        ]
        if clause.kind == "relative" and not _has_object(
            tokens, _last_comma(sentence, first.start, parens), first.start
        ):
            head = _head_after(sentence, clause.predicates[-1].group_end, mentions)
            own = [head] if head is not None else own
        may_carry = (
            previous is not None
            and previous.kind == "main"  # (a relative clause's agreement is its head, not the next predicate's)
            and _may_carry(tokens, clause.start, first.start)
        )
        if own and may_carry and all(roles[m][0] in WITH_PARTICLES for m in own):
            own = [m for m in previous.agreements if m not in own] + own  # …を作成し、日米ACSAとともに国会で承認され
        if own:
            clause.agreements = own
        elif may_carry:
            clause.agreements = list(previous.agreements)
        previous = clause
    for clause in clauses:
        if clause.kind == "paren":
            own = [m for m in mentions if clause.start <= m.start < clause.end and roles[m][0]]
            host = _host(clause, clauses)
            if own:
                clause.agreements = own
            elif host is not None:
                clause.agreements = list(host.agreements)


def _taken_before(sentence: str, tokens, role: tuple[str, int], end: int, mentions: list[Mention], parens) -> bool:
    """True when a nearer word takes the agreement name, not the predicate at ``end``.

    A case-marked name depends on the next verb (日米地位協定を補足するため2015年に締結した: 補足する takes it;
    日ジブチ地位取極を準用する内容の交換公文を締結した: 準用する does); a topic (この補足協定は、…基準を作成する) is not
    what the predicate acts on when another object stands before it.
    """
    particle, position = role
    between = _tokens_between(tokens, position, end)
    if particle in TOPIC_PARTICLES:  # (the topic's own stretch, after the last 、, holds the predicate's object)
        stretch = max(position, _last_comma(sentence, end, parens))
        objects = [t for t in between if t.idx >= stretch and t.text == "を" and t.tag_.startswith("助詞")]
        return any(not any(m.end <= t.idx <= m.gloss_end + 3 for m in mentions) for t in objects)
    return any(_is_verb(between, k) for k in range(len(between)))


def _is_verb(tokens, k: int) -> bool:
    """A verb of its own: 動詞-一般 (基づく, 行う), or する after a サ変 noun (補足する), or an adjective (ない)."""
    token = tokens[k]
    if token.tag_.startswith(("動詞-一般", "形容詞")):
        return True
    return token.lemma_ == "為る" and k > 0 and tokens[k - 1].tag_.endswith("サ変可能")


def _last_comma(sentence: str, position: int, parens) -> int:
    """Start of the stretch of a relative clause: just after the last 、 (outside parentheses) before ``position``."""
    for i in range(position - 1, -1, -1):
        if sentence[i] in "、," and not _inside(i, parens):
            return i + 1
    return 0


def _host(paren: Clause, clauses: list[Clause]) -> Clause | None:
    """The clause whose span holds a parenthesis."""
    return next((c for c in clauses if c.kind != "paren" and c.start <= paren.start and paren.end <= c.end), None)


def _head_after(sentence: str, position: int, mentions: list[Mention]) -> Mention | None:
    """The agreement name right after a relative clause's verb group (署名された日英協定 → 日英協定)."""
    while position < len(sentence) and sentence[position] in " 「『":
        position += 1
    return next((m for m in mentions if m.start == position), None)


def _tokens_between(tokens, start: int, end: int):
    return [t for t in tokens if start <= t.idx < end]


def _has_object(tokens, start: int, end: int) -> bool:
    return any(t.text == "を" and t.tag_.startswith("助詞") for t in _tokens_between(tokens, start, end))


def _may_carry(tokens, start: int, end: int) -> bool:
    """A clause without agreement names carries the previous one's if short and without its own を/が."""
    own = any(
        t.text in OWN_ARGUMENT_PARTICLES and t.tag_.startswith("助詞") for t in _tokens_between(tokens, start, end)
    )
    return end - start <= MAX_CARRY_CLAUSE_CHARS and not own


def _attach_partners(sentence: str, clauses: list[Clause], parens) -> None:
    previous: tuple[Party, ...] = ()
    for clause in clauses:
        partners, foreign = clause_partners(_outside(sentence, clause, parens))
        clause.foreign = foreign
        clause.partners = partners or (previous if clause.kind != "paren" else ())
        if clause.kind != "paren":
            previous = clause.partners


def _outside(sentence: str, clause: Clause, parens) -> str:
    """A clause's text up to its verb group, parentheses blanked (same length: offsets hold)."""
    text = sentence[clause.start : clause.end]
    if clause.kind == "paren":
        return text
    chars = list(text)
    for start, end in parens:
        for i in range(max(start - 1, clause.start), min(end + 1, clause.end)):
            chars[i - clause.start] = "　"
    return "".join(chars)
