"""Agreement names in a sentence: the known ones of the vocabulary and the ones seen for the first time.

Why: the book names a new kind of arrangement every year (「…に関する覚書」, 「…に係る取決め」, 実施取決め,
取極, 政府間枠組み); a list of known names alone loses every one of them until someone adds a row. So a
name is found two ways, and the vocabulary only merges variants and gives the canonical form:

- **Vocabulary** (``data/agreements.csv``: canonical, abbr, kind, variant), matched on characters, longest
  variant first: names without a head noun (ACSA, RAA, GSOMIA) and the usual variants. ``{prefix}`` in a
  variant marks where a bilateral prefix stands inside the name (安全保障協力に関する日豪共同宣言).
- **Open vocabulary**: a noun phrase headed by a word of ``data/agreement_heads.csv`` (協定, 条約, 取決め,
  取極, 覚書, アレンジメント, 枠組み, アコード, 宣言, 声明…, each with its kind). The phrase is found by walking
  left from the head over fugashi tokens: nouns, prefixes, suffixes, 「・」, a quoted part (「…」に関する事業
  取決め), an abbreviation in parentheses (中距離核戦力(INF)全廃条約), the glue of names (に関する, に係る,
  に基づく…), 及び between nouns, and 「の」 between nouns (防衛装備品等の供給の安定化に係る取決め); it stops at
  particles, verbs, dates and punctuation. A head followed by a noun is not a head (協定締結状況, 条約機構);
  a name quoted whole (「…アコード」) is taken whole. A bare head (協定, 各種条約, 新たな枠組み) is not a name:
  「…を定める協定(特別協定)」 takes its name from the parentheses; 「同協定」「この協定」 are references back,
  resolved by ``events``.

Every name gives: the canonical name (the phrase without its bilateral prefix: 日豪, 日・NATO, 日米韓3か国,
「日本国政府とXとの間の」, and without 「」 or abbreviations in parentheses; the vocabulary's canonical name
when it lists the phrase), the abbreviation (vocabulary, else an abbreviation in parentheses right after),
the kind (vocabulary, else the head noun's), the partners its prefix names, and whether it names other
states' agreement (中朝, 米韓: a prefix of partners without 日).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import countries
from .countries import Party
from .nlp import NOUN_PHRASE_SYMBOLS, before_phrase, in_noun_phrase
from .punctuation import CONJUNCTIONS
from .vocabulary import table

PREFIX_SLOT = "{prefix}"  # in a variant: where a bilateral prefix may stand inside the name
# Longest bilateral prefix looked for before a variant (characters): 日・マレーシア is 7, 日ウクライナ 6.
MAX_PREFIX_CHARS = 10
# Phrases that join nouns into one name (walked over leftwards).
GLUE = ("に関する", "に係る", "にかかる", "に関わる", "についての", "に基づく", "における", "のための")
# At most this many 「の」 inside a walked name (防衛装備品等の供給の安定化に係る取決め has two).
MAX_NO_BRIDGES = 2
# Words that make a name generic when they are all it has besides its head (新たな協定, 各種条約, 二国間の枠組み),
# or a reference back when they start it (同協定, 本取決め).
GENERIC_WORDS = frozenset(
    "同 本 この 当該 両国 両国間 二国間 間 新 新た 各種 各 諸 共同 国際 多国間 同様 制度 的 法的 上記 前記 次 今次 "
    "今回 新規 既存 個別 具体 関連 累次 それぞれ 各国 両者 か国 その他 他 内容 旨 趣旨 もの ため 形 形式 "
    "全体 全般".split()
)
# Nouns a name never crosses leftwards (times and references: 即日発効…, 現在の協定).
STOP_WORDS = frozenset(
    "即日 現在 今後 以降 以来 当時 当初 同年 同月 同日 翌年 本年 昨年 今年 その後 後 前 際 中 時 間".split()
)
REFERENCE_WORDS = ("同", "本", "この", "当該", "その")
# Words that may lead a phrase without being part of its name (今次特別協定 is 特別協定).
LEADING_DETERMINERS = ("今次", "新", "新た", "改正", "現行", "同")
# 「日本国政府とウクライナとの間の…」: the formal way of naming the partner in a title.
FORMAL_PREFIX = re.compile(r"^(?:日本国?|わが国|我が国)(?:政府)?と(?P<partner>[^、。「」()（）]+?)との間の")
FORMAL_PREFIX_MAX_CHARS = 40
# 「日米韓3か国」: the count after a prefix of several partners is part of the prefix.
PREFIX_COUNT = re.compile(r"(?:[0-9０-９一二三四五六七八九]+か国|間)")
# An abbreviation in parentheses: ASCII letters, digits, spaces, & + - (SoSA, GSOMIA, RDP MOU, 新START).
ABBR_PAREN = re.compile(
    r"[」』]?\s*[(（]\s*(?P<abbr>(?:新\s*)?[A-Za-z][A-Za-z0-9&+\- ]{0,15}?)\s*(?:[:：][^()（）]*)?[)）]"
)
# Any parenthesis right after a name (a gloss: (RAA), (ACSA:…), (特別協定), (オスロ条約)).
GLOSS = re.compile(r"[」』]?\s*[(（][^()（）]*[)）]")
OPEN_QUOTES, CLOSE_QUOTES = "「『", "」』"
# A footnote number at the start of a walked name, and the conjunction after it.
FOOTNOTE_START = re.compile(rf"[0-9]{{1,2}}(?:{'|'.join(CONJUNCTIONS)})?")
# A reference back to an agreement named before: 同協定, この協定, 本取決め, この補足協定.
REFERENCE_PREFIX = r"(?<![一-龥ァ-ヴー])(?:同|本|この|当該|その)(?:補足)?"


@dataclass(frozen=True)
class Mention:
    """One agreement named in a sentence."""

    start: int  # span of the name in the sentence, bilateral prefix included, gloss in parentheses excluded
    end: int
    name: str  # canonical name
    abbr: str
    kind: str  # agreement | arrangement | declaration
    partners: tuple[Party, ...]  # named by its prefix (日豪 → AUS; 日米韓 → USA, KOR), else ()
    known: bool  # listed in data/agreements.csv
    foreign: bool  # named for other states (中朝…, 米韓…): never an agreement of Japan's
    gloss_end: int  # end of the name with a parenthesis right after it: (RAA), (ACSA:…), (特別協定)
    reference: bool = False  # 同協定, この協定, 本取決め: refers back (``events`` resolves it; the name is unknown)


# --- vocabulary ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def agreement_table() -> tuple[dict[str, str], ...]:
    """The rows of ``data/agreements.csv``."""
    return tuple(row for row in table("agreements.csv") if row["variant"].strip())


@lru_cache(maxsize=1)
def head_kinds() -> dict[str, str]:
    """Head noun → kind, from ``data/agreement_heads.csv``."""
    return {row["head"]: row["kind"] for row in table("agreement_heads.csv")}


@lru_cache(maxsize=1)
def _known_names() -> dict[str, dict[str, str]]:
    """Variant (and canonical name) → its vocabulary row."""
    known: dict[str, dict[str, str]] = {}
    for row in agreement_table():
        known.setdefault(row["variant"].replace(PREFIX_SLOT, ""), row)
        known.setdefault(row["canonical"], row)
    return known


def agreement_kind(name: str) -> str:
    """The kind of an agreement name: the vocabulary's, else its head noun's, else "" (not an agreement name)."""
    row = _known_names().get(name.strip())
    if row:
        return row["kind"]
    heads = [head for head in head_kinds() if name.strip().endswith(head)]
    return head_kinds()[max(heads, key=len)] if heads else ""


def _variant_regex(variant: str, group: int) -> str:
    """A variant as a regex; ASCII names get word guards, {prefix} becomes an optional infix group.

    The variant's first character comes first, before its group and its guard (a lookbehind over two
    characters): when every alternative starts with a character, the regex engine skips ahead to where one
    of them stands instead of trying every alternative at every position (20 times faster on the book)."""
    head, slot, tail = variant.partition(PREFIX_SLOT)
    first, head = (re.escape(head[0]), head[1:]) if head else ("", head)
    if variant[0].isascii():
        first = first + r"(?<![A-Za-z].)" if first else r"(?<![A-Za-z])"
    body = re.escape(head)
    if slot:
        body += rf"(?P<i{group}>日[^、。,\s()（）「」]{{1,{MAX_PREFIX_CHARS}}}?)?" + re.escape(tail)
    if variant[-1].isascii():
        body += r"(?![A-Za-z])"
    return f"{first}(?P<v{group}>{body})"


@lru_cache(maxsize=1)
def _vocabulary_regex() -> tuple[re.Pattern[str], tuple[dict[str, str], ...]]:
    rows = sorted(agreement_table(), key=lambda row: len(row["variant"].replace(PREFIX_SLOT, "")), reverse=True)
    pattern = "|".join(_variant_regex(row["variant"].strip(), i) for i, row in enumerate(rows))
    return re.compile(pattern), tuple(rows)


@lru_cache(maxsize=1)
def _head_regex() -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(head_kinds(), key=len, reverse=True))))


def may_name_agreement(text: str) -> bool:
    """True when ``text`` holds a head noun or a vocabulary variant without one (a cheap test before tokenising)."""
    return bool(_name_hint().search(text))


@lru_cache(maxsize=1)
def _name_hint() -> re.Pattern[str]:
    """Head nouns, and the vocabulary variants that hold none (ACSA, RAA, GSOMIA)."""
    heads = tuple(head_kinds())
    bare = {row["variant"].replace(PREFIX_SLOT, "") for row in agreement_table()}
    words = set(heads) | {v for v in bare if not any(h in v for h in heads)}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


# --- prefixes --------------------------------------------------------------------------------------------


def bilateral_prefix(text: str) -> tuple[int, tuple[Party, ...]]:
    """(length, partners) of the bilateral prefix starting ``text`` (日豪, 日・マレーシア, 日米韓3か国), or (0, ())."""
    if not text.startswith("日"):
        return 0, ()
    partners = countries.prefix_partners(text)
    if not partners:
        return 0, ()
    pos = 1
    for party in partners:
        pos += text.startswith("・", pos)
        pos += len(party.name)
    if len(partners) > 1:
        count = PREFIX_COUNT.match(text, pos)
        pos = count.end() if count else pos
    return pos, tuple(partners)


def _foreign_prefix(text: str) -> bool:
    """True for a name of other states' agreement: two or more one-kanji prefixes without 日 (中朝, 米韓, 豪英米)."""
    prefixes = prefix_kanji()
    count = 0
    for char in text:
        if char in prefixes:
            count += 1
        else:
            break
    return count >= 2 and not text.startswith("日")


@lru_cache(maxsize=1)
def prefix_kanji() -> frozenset[str]:
    return frozenset(row["prefix"] for row in table("bilateral_prefixes.csv") if len(row["prefix"]) == 1)


def _prefix_before(text: str, start: int) -> tuple[int, tuple[Party, ...]]:
    """The longest bilateral prefix ending at ``start`` (日豪, 日・マレーシア): its start and partners."""
    for length in range(min(MAX_PREFIX_CHARS, start), 1, -1):
        candidate = text[start - length : start]
        size, partners = bilateral_prefix(candidate)
        if partners and size == length:
            return start - length, partners
    return start, ()


# --- finding names -------------------------------------------------------------------------------------


def find_mentions(sentence: str, tokens=None, open_names: bool = True) -> list[Mention]:
    """Every agreement named in ``sentence``, left to right (``tokens``: its ``nlp.tokens``, made when needed).

    A name in parentheses right after the name it glosses (日豪円滑化協定(RAA)) is not a second mention; a
    vocabulary name inside a longer name (日豪ACSA in 日豪ACSAに基づく手続取決め) is part of that name.
    ``open_names=False``: the vocabulary's names only (no tokenising).
    """
    found = vocabulary_mentions(sentence)
    if open_names and _head_regex().search(sentence):
        if tokens is None:
            from .nlp import tokens as tokenize

            tokens = tokenize(sentence)
        found = _merge(found, _open_mentions(sentence, tokens))
    mentions: list[Mention] = []
    for mention in found:
        if mentions and _is_gloss(sentence, mentions[-1], mention):
            continue
        mentions.append(mention)
    references = [r for r in _references(sentence) if not any(m.start <= r.start < m.end for m in mentions)]
    return sorted(mentions + references, key=lambda m: m.start)


def _references(sentence: str) -> list[Mention]:
    """同協定, この協定, 本取決め…: references back, as mentions without a name."""
    found = []
    for m in reference_regex().finditer(sentence):
        gloss = GLOSS.match(sentence, m.end())
        kind = head_kinds()[m.group("head")]
        found.append(
            Mention(m.start(), m.end(), "", "", kind, (), False, False, gloss.end() if gloss else m.end(), True)
        )
    return found


@lru_cache(maxsize=1)
def reference_regex() -> re.Pattern[str]:
    return re.compile(f"{REFERENCE_PREFIX}(?P<head>{_head_regex().pattern})")


def vocabulary_mentions(sentence: str) -> list[Mention]:
    """The names of the vocabulary in ``sentence`` (no tokenising; glosses such as (RAA) included)."""
    regex, rows = _vocabulary_regex()
    found = []
    for m in regex.finditer(sentence):
        index = int(m.lastgroup[1:])
        row = rows[index]
        start, partners = _prefix_before(sentence, m.start())
        infix = m.groupdict().get(f"i{index}")
        if infix:
            size, inner = bilateral_prefix(infix)
            partners = inner if size == len(infix) else ()
        foreign = not partners and _foreign_prefix(sentence[max(0, m.start() - 3) : m.start()])
        found.append(_mention(sentence, start, m.end(), row, partners, foreign))
    return found


def _mention(sentence: str, start: int, end: int, row: dict[str, str], partners, foreign: bool) -> Mention:
    gloss = GLOSS.match(sentence, end)
    return Mention(
        start,
        end,
        row["canonical"].strip(),
        row["abbr"].strip(),
        row["kind"].strip(),
        tuple(partners),
        True,
        foreign,
        gloss.end() if gloss else end,
    )


def _is_gloss(sentence: str, previous: Mention, mention: Mention) -> bool:
    """True for 「(RAA)」 / 「(日米ACSA)」 / 「(ACSA:…)」 right after the name it abbreviates."""
    return (
        previous.name == mention.name
        and previous.end < mention.start < previous.gloss_end
        and (not mention.partners or mention.partners == previous.partners)
    )


def _merge(vocabulary: list[Mention], opened: list[Mention]) -> list[Mention]:
    """Open names and vocabulary names together: a vocabulary name inside a longer open name is dropped."""
    kept = [
        v
        for v in vocabulary
        if not any(o.start <= v.start and v.end <= o.end and (o.start, o.end) != (v.start, v.end) for o in opened)
    ]
    spans = {(v.start, v.end) for v in kept}
    merged = kept + [o for o in opened if (o.start, o.end) not in spans]
    return sorted(merged, key=lambda m: (m.start, -m.end))


def _open_mentions(sentence: str, tokens) -> list[Mention]:
    tokens = list(tokens)  # (a Doc makes a new Token each time it is indexed)
    starts = {t.idx: i for i, t in enumerate(tokens)}
    ends = {t.idx + len(t.text): i for i, t in enumerate(tokens)}
    found = []
    for m in _head_regex().finditer(sentence):
        first, last = starts.get(m.start()), ends.get(m.end())
        if first is None or last is None or not _ends_phrase(tokens, last):
            continue
        mention = _open_mention(sentence, tokens, first, m.start(), m.end(), head_kinds()[m.group()])
        if mention is not None:
            found.append(mention)
    return found


def _ends_phrase(tokens, last: int) -> bool:
    """True when the head token ends its noun phrase: not followed by a noun (協定締結) or used as a verb (宣言し)."""
    if last + 1 >= len(tokens):
        return True
    following = tokens[last + 1]
    if following.text in NOUN_PHRASE_SYMBOLS:
        return False
    if following.tag_.startswith(("名詞", "接尾辞", "接頭辞")) and not following.text.isascii():
        return following.text in ("等", "など")
    return not (following.tag_.startswith("動詞") and following.lemma_ in ("為る", "出来る"))


def _open_mention(sentence: str, tokens, first: int, head_start: int, head_end: int, kind: str) -> Mention | None:
    quoted = _quoted_whole(sentence, head_start, head_end)
    start = quoted if quoted is not None else _walk_left(sentence, tokens, first)
    name = sentence[start:head_end]
    partners: tuple[Party, ...] = ()
    formal = FORMAL_PREFIX.match(name)
    if formal:  # 「日本国政府とウクライナとの間の…アコード」
        partners, name = _parties(formal.group("partner")), name[formal.end() :]
    elif (before := _formal_before(sentence, start)) is not None:  # 日本国とアメリカ合衆国との間の相互協力…条約
        partners, start = _parties(before.group("partner")), start - len(before.group())
    size, prefix_partners = bilateral_prefix(name)
    if prefix_partners:
        partners, name = prefix_partners, name[size:]
    name = _clean(name)
    if _is_reference(name):
        return None
    gloss = GLOSS.match(sentence, head_end)
    row = _lookup(name)
    if row is None and _is_generic(name, sentence[head_start:head_end]):
        inner = gloss.group().strip()[1:-1].strip() if gloss else ""
        if inner.isascii() or not inner.endswith(tuple(head_kinds())):
            return None
        name, row = inner, _lookup(inner)  # 「…を定める協定(特別協定)」
    foreign = not partners and _foreign_prefix(sentence[start:head_end])
    abbr_match = ABBR_PAREN.match(sentence, head_end)
    if row is not None:
        mention = _mention(sentence, start, head_end, row, partners, foreign)
        return mention if mention.abbr or not abbr_match else _with_abbr(mention, abbr_match)
    abbr = abbr_match.group("abbr").strip() if abbr_match else ""
    return Mention(start, head_end, name, abbr, kind, partners, False, foreign, gloss.end() if gloss else head_end)


def _with_abbr(mention: Mention, abbr_match) -> Mention:
    from dataclasses import replace

    return replace(mention, abbr=abbr_match.group("abbr").strip())


def _quoted_whole(sentence: str, head_start: int, head_end: int) -> int | None:
    """Start of the name when the head closes a quotation (「…アコード」): the quotation is the name."""
    if head_end >= len(sentence) or sentence[head_end] not in CLOSE_QUOTES:
        return None
    opener = max(sentence.rfind(q, 0, head_start) for q in OPEN_QUOTES)
    if opener < 0 or any(c in sentence[opener + 1 : head_start] for c in OPEN_QUOTES + CLOSE_QUOTES + "。"):
        return None
    return opener + 1


def _formal_before(sentence: str, start: int) -> re.Match[str] | None:
    """「日本国とアメリカ合衆国との間の」 right before a walked name."""
    before = sentence[max(0, start - FORMAL_PREFIX_MAX_CHARS) : start]
    for i in range(len(before)):
        m = FORMAL_PREFIX.match(before, i)
        if m and m.end() == len(before):
            return m
    return None


def _parties(name: str) -> tuple[Party, ...]:
    """The partner of a formal title (「…とウクライナ(政府)との間の」), or () when it is not a known party."""
    party = countries.resolve(re.sub(r"政府$", "", name.strip()))
    return (party,) if party.party_type != countries.UNKNOWN else ()


def _clean(name: str) -> str:
    """The canonical form of a walked name: no quotes, no abbreviation in parentheses, no spaces in Japanese."""
    name = re.sub(r"[「」『』]", "", name)
    name = re.sub(r"\s*[(（][A-Za-z0-9&+\- ]+[)）]\s*", "", name)
    name = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", name)
    return name.strip(" ・")


def _lookup(name: str) -> dict[str, str] | None:
    """The vocabulary row of a name, also without a leading determiner (今次特別協定 → 特別協定)."""
    known = _known_names()
    if name in known:
        return known[name]
    for word in LEADING_DETERMINERS:
        if name.startswith(word) and name[len(word) :] in known:
            return known[name[len(word) :]]
    return None


def _is_reference(name: str) -> bool:
    """同協定, 本取決め, この協定, 同条約の枠組み: a reference back, not a name."""
    return name.startswith(REFERENCE_WORDS) and not name.startswith(("本部", "同盟", "同志"))


def _is_generic(name: str, head: str) -> bool:
    """A bare head, or a head with only generic words (新たな協定, 各種条約, 両国間の枠組み)."""
    rest = name[: len(name) - len(head)] if name.endswith(head) else name
    return not _generic_regex().sub("", rest)


@lru_cache(maxsize=1)
def _generic_regex() -> re.Pattern[str]:
    words = sorted(GENERIC_WORDS, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) + "|[0-9０-９]+|の|な|・|\\s")


def _walk_left(sentence: str, tokens, first: int) -> int:
    """Start of the noun phrase whose head token is ``tokens[first]`` (see the module docstring)."""
    start = tokens[first].idx
    i = first - 1
    bridges = 0
    while i >= 0:
        token = tokens[i]
        if _is_date_piece(tokens, i):
            break
        if _is_name_token(token):
            start, i = token.idx, i - 1
            continue
        if token.text in CLOSE_QUOTES:
            opener = _matching_open(tokens, i)
            if opener is None:
                break
            start, i = tokens[opener].idx, opener - 1
            continue
        if token.text in ")）":
            opener = _matching_paren(tokens, i)
            inner = sentence[tokens[opener].idx + 1 : token.idx] if opener is not None else ""
            if opener is None or not re.fullmatch(r"[A-Za-z0-9&+\- ]+", inner.strip()) or opener == 0:
                break
            i = opener - 1
            continue
        glue = _glue_before(tokens, i)
        if glue is not None:
            i = glue
            continue
        if token.text == "の" and bridges < MAX_NO_BRIDGES and i > 0 and _may_bridge(tokens, i - 1):
            bridges += 1
            i -= 1
            continue
        break
    while start < tokens[first].idx and sentence[start] in NOUN_PHRASE_SYMBOLS:
        start += 1
    footnote = FOOTNOTE_START.match(sentence, start)
    if footnote and start and (sentence[start - 1] in ")）" or sentence[start - 1].isascii()):
        start = footnote.end()  # 「…Agreement)10及び日豪ACSAに基づく…」: a footnote number left in the text
    return start


def _is_name_token(token) -> bool:
    if token.text in STOP_WORDS and token.tag_.startswith("名詞"):
        return False
    return in_noun_phrase(token)


def _is_date_piece(tokens, i: int) -> bool:
    """年/月/日 after a number, or the number itself before them: a date is never part of a name."""
    token = tokens[i]
    if token.text in ("年", "月", "日", "年度") and i > 0 and tokens[i - 1].tag_ == "名詞-数詞":
        return True
    return token.tag_ == "名詞-数詞" and i + 1 < len(tokens) and tokens[i + 1].text in ("年", "月", "日", "年度")


def _may_bridge(tokens, i: int) -> bool:
    """「の」 may join two parts of a name when the part before it is a plain noun (not 間, a country, a date)."""
    token = tokens[i]
    if not _is_name_token(token) or token.text in NOUN_PHRASE_SYMBOLS or token.text in GENERIC_WORDS:
        return False
    if token.text == "間" or token.tag_ == "名詞-固有名詞-地名-国" or _is_date_piece(tokens, i):
        return False
    return True


def _glue_before(tokens, i: int) -> int | None:
    """If tokens ending at ``i`` are a glue phrase or conjunction after a name part, the index before it."""
    for phrase in GLUE + CONJUNCTIONS:
        j = before_phrase(tokens, i, phrase)
        if j is not None and (_is_name_token(tokens[j]) or tokens[j].text in CLOSE_QUOTES):
            two_names = phrase in CONJUNCTIONS and (_is_head(tokens[j]) or tokens[j].text.isascii())
            if tokens[j].text not in NOUN_PHRASE_SYMBOLS and not two_names:
                return j  # (X協定及びY協定, 日豪ACSA及び…: two names, no bridge after a head or an abbreviation)
    return None


def _is_head(token) -> bool:
    return any(token.text.endswith(head) for head in head_kinds())


def _matching_open(tokens, i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if tokens[j].text in OPEN_QUOTES:
            return j
        if tokens[j].text in CLOSE_QUOTES or tokens[j].text == "。":
            return None
    return None


def _matching_paren(tokens, i: int) -> int | None:
    for j in range(i - 1, max(-1, i - 12), -1):
        if tokens[j].text in "(（":
            return j
    return None
