"""Who the other side of an agreement is, as a sentence of the body text names it.

Why: an event row needs Japan's partner, and the book names it in several ways besides the agreement's own
bilateral prefix (日豪ACSA, which ``agreement_names`` reads): 「英国との間で」, 「オーストラリアと英国との間で」,
「スウェーデンとは、」, 「防衛省と米国防省の間で」, 「ジブチ政府との間で」, or only around the agreement: 「日米両政府
は」, 「日印首脳会談において」, 「日米間においては」. And it names agreements that are not Japan's at all: 「北朝鮮は
…ロシアとの間で…条約に署名した」, 「イスラエルとパレスチナの間で」, 「米露間の」.

- ``clause_partners``: the parties before 「との(間で)」, walking left over 、 及び ・ と や until a word is not a
  party (「米国以外にも英国及びオーストラリアとの間で」 → 英国, オーストラリア); and 「AとBの間で」 where one side is
  Japan's. Japan's side (``data/party_words.csv``, role japan: 日本, わが国, 防衛省…) is never a partner; a
  partner's organ (role organ: 国防省, 政府, 側) is its state (英国防省 → 英国). Two foreign sides
  (イスラエルとパレスチナの間で, 米露間) mark the clause as other states' business.
- ``context_partners``: the partner of 日X words that are not agreement names (日米両政府, 日印首脳会談,
  日米間, 日韓の協力), when the sentence names exactly one such partner set.
- ``subjects``: the states a sentence makes its subject or topic (北朝鮮は, 米国は, ロシアが, 韓国政府が,
  米韓が: other states' business), and those that share the subject with Japan's side (防衛省と英国防省は: a
  partner).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import countries
from .agreement_names import bilateral_prefix, prefix_kanji
from .countries import Party
from .vocabulary import table

# 「Xとの間で」 / 「Xとは」 / 「Xとの」: the text before it names the partners.
PARTNER_MARKER = re.compile(r"との(?:間(?:で|において|に)?)?|とは")
# The markers that name a partner of Japan's beyond their clause: not a bare 「Xとの」 (ロシアとの関係, 中国との貿易).
PARTNER_MARKER_STRICT = re.compile(r"との間|とは[、,]")
# Separators of a partner list before 「との」 (「オーストラリアと英国との間で」, 「英国やフランスとの」).
PARTNER_SEPARATORS = re.compile(r"及び|および|並びに|ならびに|、|,|・|と|や")
# 「防衛省と米国防省の間で」, 「イスラエルとパレスチナの間で」: both sides named, no 「との」.
BETWEEN = re.compile(r"(?P<a>[^、。,()（）「」とや]+)と(?P<b>[^、。,()（）「」とや]+)の間(?:で|において|に)")
# 「米露間」: two foreign one-kanji prefixes and 間.
FOREIGN_PAIR = re.compile(r"(?<![日一-龥])(?P<pair>[一-龥]{2,3})間")
# What follows a 日X word of context (日米両政府, 日印首脳会談, 日米間, 日韓の協力, 日インドネシア「2+2」).
CONTEXT_WORDS = (
    "両",
    "間",
    "首脳",
    "外相",
    "外務",
    "防衛",
    "「2+2」",
    "「2＋2」",
    "2+2",
    "政府",
    "の協力",
    "協力",
    "共同",
)
# Subject and topic particles.
SUBJECT_PARTICLES = ("は", "が")
# Words of a subject's noun phrase that are not names (「ロシア側が」 has 側 as an organ already).
MAX_SUBJECT_CHARS = 20


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], tuple[str, ...]]:
    """Japan's side (words), and partners' organ suffixes (longest first), from ``data/party_words.csv``."""
    rows = table("party_words.csv")
    japan = frozenset(row["word"] for row in rows if row["role"] == "japan")
    organs = tuple(sorted((row["word"] for row in rows if row["role"] == "organ"), key=len, reverse=True))
    return japan, organs


JAPAN = Party("日本", "JPN", "740", countries.STATE, "日本")


def side(word: str) -> Party | None:
    """The party a word names: ``JAPAN`` for Japan's side, a state or organisation, or None.

    「英国防省」 → 英国 (an organ of the state), 「韓国政府」 → 韓国, 「わが国」 → JAPAN, 「駐日米国大使」 → None.
    """
    word = word.strip()
    japan, organs = _words()
    if not word:
        return None
    if word in japan:
        return JAPAN
    party = countries.resolve(word)
    if party.party_type != countries.UNKNOWN:
        return JAPAN if party.iso3 == "JPN" else party
    for organ in organs:
        if word.endswith(organ) and len(word) > len(organ):
            inner = side(word[: -len(organ)])
            if inner is not None:
                return inner
    return None


def clause_partners(clause: str, strict: bool = False) -> tuple[tuple[Party, ...], bool]:
    """(partners named in a clause, whether it names two foreign sides: other states' business).

    ``strict``: only 「との間」 and 「とは、」 name partners (for a paragraph's partner, read from other sentences).
    """
    partners: list[Party] = []
    for m in (PARTNER_MARKER_STRICT if strict else PARTNER_MARKER).finditer(clause):
        for party in _list_before(clause[: m.start()]):
            if party not in partners:
                partners.append(party)
    foreign = False
    for m in BETWEEN.finditer(clause):
        a, b = _last_word(m.group("a")), side(m.group("b"))
        if a is JAPAN and b not in (None, JAPAN):
            partners += [b] if b not in partners else []
        elif a not in (None, JAPAN) and b not in (None, JAPAN):
            foreign = True
    foreign = foreign or any(len(_pair(m.group("pair"))) >= 2 for m in FOREIGN_PAIR.finditer(clause))
    return tuple(partners), foreign


def _last_word(text: str) -> Party | None:
    """The party the end of ``text`` names (「…において、防衛省」 → JAPAN)."""
    for size in range(min(len(text), MAX_SUBJECT_CHARS), 0, -1):
        party = side(text[-size:])
        if party is not None:
            return party
    return None


def _pair(text: str) -> list[Party]:
    """The foreign parties of a run of one-kanji prefixes (米露, 米韓, 露朝); [] when 日 or another kanji is in it."""
    if "日" in text or any(c not in prefix_kanji() for c in text):
        return []
    return [p for p in (side(c) for c in text) if p is not None]


def _list_before(head: str) -> list[Party]:
    """The parties listed right before 「との」, walking left until a word is not a party; Japan is skipped.

    A word that only ends in a party name (「米国以外にも英国」) contributes that name and ends the walk;
    「駐日米国大使との間で」 names no partner (the name does not end the word).
    """
    found: list[Party] = []
    for item in reversed(PARTNER_SEPARATORS.split(head)):
        item = item.strip()
        party = side(item) if item else None
        if party is not None:
            if party is not JAPAN:
                found.insert(0, party)
            continue
        tail = [p for s, e, p in countries.find_parties(item) if e == len(item) and p.iso3 != JAPAN.iso3]
        found[:0] = tail[-1:]
        break
    return found


def context_partners(sentence: str, skip: list[tuple[int, int]] = ()) -> tuple[Party, ...]:
    """The one partner set of the sentence's 日X words of context (日米両政府, 日印首脳会談), else ().

    ``skip``: spans of agreement names, whose prefixes are read with the names.
    """
    sets: list[tuple[Party, ...]] = []
    for m in re.finditer("日", sentence):
        if any(s <= m.start() < e for s, e in skip):
            continue
        size, partners = bilateral_prefix(sentence[m.start() : m.start() + 12])
        counted = sentence[: m.start() + size].endswith("か国")  # 日英伊3か国
        if partners and (counted or sentence.startswith(CONTEXT_WORDS, m.start() + size)) and partners not in sets:
            sets.append(partners)
    return sets[0] if len(sets) == 1 else ()


def subjects(tokens) -> tuple[tuple[Party, ...], tuple[Party, ...]]:
    """(foreign states the sentence makes its subject or topic, partners sharing a subject with Japan's side).

    北朝鮮は, 米国は, 韓国政府が, 米韓が → foreign; 防衛省と英国防省は → 英国 is a partner; 日米両政府は is neither
    (``context_partners`` reads it). ``tokens``: the sentence's ``nlp.tokens`` (or its Doc).
    """
    tokens = list(tokens)
    foreign: list[Party] = []
    partners: list[Party] = []
    for i, token in enumerate(tokens):
        if token.text not in SUBJECT_PARTICLES or not token.tag_.startswith("助詞") or i == 0:
            continue
        sides = [side(item) or _group(item) for item in _subject_items(tokens, i)]
        if not sides or any(s is None for s in sides):
            continue
        named = [p for s in sides if s is not JAPAN for p in (s if isinstance(s, list) else [s])]
        target = partners if any(s is JAPAN for s in sides) else foreign
        target += [p for p in named if p not in target]
    return tuple(foreign), tuple(partners)


def _group(word: str) -> list[Party] | None:
    """米韓 → [USA, KOR]; a 日X word (日米両政府) → JAPAN; else None."""
    size, partners = bilateral_prefix(word)
    if partners:
        return JAPAN
    pair = _pair(word)
    return pair or None


def _subject_items(tokens, particle: int) -> list[str]:
    """The noun phrases (joined by と, 及び, 、) right before a subject particle, as words."""
    items: list[str] = []
    current = ""
    j = particle - 1
    while j >= 0:
        token = tokens[j]
        if token.tag_.startswith(("名詞", "接尾辞", "接頭辞")) or token.text == "・":
            current = token.text + current
        elif token.text in ("と", "及び", "および") and current:
            items.insert(0, current)
            current = ""
        else:
            break
        j -= 1
    if current:
        items.insert(0, current)
    return items if sum(map(len, items)) <= MAX_SUBJECT_CHARS else []
