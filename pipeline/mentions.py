"""Where the text names a country or an organisation, and how often each chapter does (``country_mentions``).

Why: researchers measure the attention an edition gives each party (China, Russia, North Korea, the
United States…) by counting how often it is named, chapter by chapter. The resolver
(``pipeline.countries``) knows every full name the book uses; the book also names parties with one-kanji
short names that are only names in some places: 日米, 日米豪印, 米中, 中露, 米軍, 在韓米軍, 対中, 訪露,
米・豪・韓・カナダ海軍. ``find_mentions`` reads both, with the rules of ``data/mention_rules.csv``:

- full names from ``countries.find_parties`` (its guards already leave out インド太平洋, インド洋, 日本海,
  中国地方, 中国四国防衛局 and katakana names inside longer katakana words);
- a run of short names and full names, optionally joined by 「・」, is cut at each 「・」 into pieces:
  a piece starting with 日 is a 日米-style prefix (read by ``countries.prefix_partners``: 日比谷 is a place,
  not Japan and the Philippines), a piece of several short names is a pair name (米中, 豪英米), and single
  short names count when the run has two pieces or more (米・豪・韓);
- a single short name counts after a *lead* word (在 駐 対 訪 来 反 親, 在沖) or before a *head* word (軍
  海軍 空母 政権 側 …), and only when no kanji or digit stands right before it (参加, 追加艦艇, 南米, 同日米国
  are not mentions);
- *not_a_mention* forms (中東, 中米, 欧米, 米ドル, 訪日中) are taken out before the short names are read;
- わが国 / 我が国 (*self* rows) name Japan in a list but are not mentions (a pronoun, not a name).

One pass of one compiled pattern per text (after the resolver's own single pattern), so a whole book
costs a fraction of a second.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from . import countries
from .blocks import heading_paths
from .countries import Party
from .scanning import matches, start_class
from .vocabulary import table

# Rule kinds of data/mention_rules.csv.
SHORT, LEAD, HEAD, NOT_A_MENTION, SELF = "short", "lead", "head", "not_a_mention", "self"
# Mention kinds.
NAME = "name"  # a full name: 米国, オーストラリア, NATO
PREFIX = "prefix"  # 日米, 日米豪印, 日・マレーシア: Japan and the partners that follow it
PAIR = "pair"  # 米中, 中露, 豪英米: several short names written together, without 日
SHORT_NAME = "short"  # one short name: 米 of 米軍 / 在日 / 米・豪・韓

# Stand-ins written over text already read, so the short-name pattern sees where full names were
# (one character per character, so offsets stay those of the text). Both are Unicode noncharacters.
NAME_MARK = "\uffff"
BLANK_MARK = "\ufffe"
# A short name (or a lead word) right after one of these is part of a longer word (参加, 南米, 同日).
WORD_CHARACTER = r"一-龯々〆ヶ0-9０-９"
JAPAN_SHORT = "日"
# A prefix is read with this many characters after its end, so that 日比谷 and 日中心 are seen whole.
PREFIX_LOOKAHEAD_CHARS = 4


@dataclass(frozen=True, slots=True)
class Mention:
    """One place where the text names one or more parties."""

    start: int
    end: int
    kind: str  # NAME, PREFIX, PAIR or SHORT_NAME
    parties: tuple[Party, ...]  # each with its name as written (「米」 of 日米, 「オーストラリア」)
    spans: tuple[tuple[int, int], ...]  # where each party is written
    lead: str = ""  # the lead word before a short name (在, 対…), if any
    head: str = ""  # the head word after the run (軍, 海軍…), if any


@cache
def rule_forms(rule: str) -> tuple[str, ...]:
    """The forms of one rule kind of ``data/mention_rules.csv``, longest first."""
    forms = (row["form"] for row in table("mention_rules.csv") if row["rule"] == rule)
    return tuple(sorted(forms, key=len, reverse=True))


@lru_cache(maxsize=1)
def _short_parties() -> dict[str, Party]:
    """Short name → party (米 → USA via the bilateral prefixes; 日 → Japan)."""
    found = {}
    for form in rule_forms(SHORT):
        party = countries.resolve("日本" if form == JAPAN_SHORT else form)
        if party.party_type == countries.UNKNOWN:
            raise ValueError(f"data/mention_rules.csv: short name {form} is not a bilateral prefix the resolver knows")
        found[form] = party
    return found


def _alternation(forms: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, forms))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(not-a-mention forms, runs of short names and full names with their lead and head words, the characters
    such a run starts with: a lead word's first, a short name, NAME_MARK)."""
    short = "[" + "".join(map(re.escape, _short_parties())) + "]"
    piece = f"(?:{short}|{NAME_MARK}+)"
    run = re.compile(
        f"(?:(?<![{WORD_CHARACTER}])(?P<lead>{_alternation(rule_forms(LEAD))})|(?<![{WORD_CHARACTER}]))"
        f"(?P<run>(?:{NAME_MARK}++・?)*+{short}(?:・?{piece})*)"  # at least one short name
        f"(?P<head>{_alternation(rule_forms(HEAD))})?"
    )
    starts = start_class("".join(form[0] for form in rule_forms(LEAD)) + "".join(_short_parties()) + NAME_MARK)
    return re.compile(_alternation(rule_forms(NOT_A_MENTION))), run, starts


def _masked(text: str, names: list[tuple[int, int, Party]]) -> str:
    """``text`` with not-a-mention forms written over by BLANK_MARK and full names by NAME_MARK."""
    blanks, _, _ = _patterns()
    blanked = blanks.sub(lambda m: BLANK_MARK * len(m.group()), text)
    pieces, last = [], 0
    for start, end, _party in names:
        pieces += [blanked[last:start], NAME_MARK * (end - start)]
        last = end
    pieces.append(blanked[last:])
    return "".join(pieces)


def find_mentions(text: str) -> list[Mention]:
    """Every mention of a party in ``text``, left to right (see the module docstring for the rules)."""
    names = countries.find_parties(text)
    mentions = [Mention(start, end, NAME, (party,), ((start, end),)) for start, end, party in names]
    masked = _masked(text, names)
    _, run_pattern, run_starts = _patterns()
    for m in matches(run_pattern, run_starts, masked):
        mentions += _run_mentions(text, masked, m)
    return sorted(mentions, key=lambda mention: (mention.start, mention.end))


def _run_mentions(text: str, masked: str, m: re.Match[str]) -> list[Mention]:
    """The mentions of one run: 日米-style prefixes, pair names and single short names (see the docstring)."""
    shorts = _short_parties()
    lead, head = m.group("lead") or "", m.group("head") or ""
    start, end = m.span("run")
    pieces: list[tuple[int, int, str, tuple[Party, ...], tuple[tuple[int, int], ...]]] = []
    i = start
    while i < end:
        if masked[i] == "・":
            i += 1
            continue
        j = i
        while j < end and masked[j] != "・":
            j += 1
        if masked[i] == JAPAN_SHORT and j > i + 1 or masked.startswith(JAPAN_SHORT + "・", i):
            stop, partners, spans = _prefix(text, i, end)
            if partners:
                japan = shorts[JAPAN_SHORT].as_written(JAPAN_SHORT)
                pieces.append((i, stop, PREFIX, (japan, *partners), ((i, i + 1), *spans)))
                i = stop
            else:  # a word that starts with 日 (日比谷, 日程): no mention in it
                i = j
            continue
        spans = tuple((k, k + 1) for k in range(i, j) if masked[k] in shorts)
        parties = tuple(shorts[masked[a]].as_written(masked[a]) for a, _ in spans)
        pieces.append((i, j, PAIR if len(parties) > 1 else SHORT_NAME, parties, spans))
        i = j
    found = []
    for index, (a, b, kind, parties, spans) in enumerate(pieces):
        first, last = index == 0, index == len(pieces) - 1
        piece_lead, piece_head = (lead if first else ""), (head if last else "")
        if not parties or kind == SHORT_NAME and len(pieces) == 1 and not (piece_lead or piece_head):
            continue
        found.append(Mention(a, b, kind, parties, spans, piece_lead, piece_head))
    return found


def _prefix(text: str, start: int, limit: int) -> tuple[int, tuple[Party, ...], tuple[tuple[int, int], ...]]:
    """A 日米-style prefix at ``start`` (not past ``limit``): where it ends, its partners and their spans.

    ``countries.prefix_partners`` reads it (日・マレーシア, 日NZ; 日比谷 is not one)."""
    partners, spans = [], []
    position = start + len(JAPAN_SHORT)
    for partner in countries.prefix_partners(text[start : limit + PREFIX_LOOKAHEAD_CHARS]):
        if text.startswith("・", position):
            position += 1
        if position + len(partner.name) > limit:
            break
        partners.append(partner)
        spans.append((position, position + len(partner.name)))
        position += len(partner.name)
    return position if partners else start, tuple(partners), tuple(spans)


def self_names() -> tuple[str, ...]:
    """Words that name Japan as an item of a list but are not mentions (わが国, 我が国)."""
    return rule_forms(SELF)


def count_parties(mentions: list[Mention]) -> Counter[Party]:
    """Mentions per party (its name set to the canonical one): each mention counts once for each party it names.

    A full name inside a prefix (the マレーシア of 日・マレーシア, the NZ of 日NZ) is its own NAME mention:
    the prefix does not count it again."""
    counts: Counter[str] = Counter()
    parties: dict[str, Party] = {}
    names = {m.spans[0] for m in mentions if m.kind == NAME}
    for mention in mentions:
        for party, span in zip(mention.parties, mention.spans, strict=True):
            if mention.kind != NAME and span in names:
                continue
            counts[party.canonical] += 1
            parties.setdefault(party.canonical, party)
    return Counter({parties[name].as_written(name): n for name, n in counts.items()})


# --- counting by chapter ------------------------------------------------------------------------------

# Blocks whose text is counted (running heads and page numbers are not the edition's text).
COUNTED_KINDS = ("body", "heading", "box", "caption", "footnote")
# The chapter is the path of headings of these levels (1 = the largest type in the book).
CHAPTER_LEVELS = 2


@dataclass
class Chapter:
    """The mentions of one chapter: where it starts, its heading path, its size and its counts."""

    index: int  # 1-based, in reading order
    name: str  # level-1 and level-2 headings, joined by " > "
    first_block: dict
    chars: int = 0  # characters of its counted text, whitespace excluded
    counts: Counter[Party] = field(default_factory=Counter)


def count_chapters(blocks: list[dict], found: list[list[Mention]]) -> list[Chapter]:
    """Mentions per chapter and party, and each chapter's characters.

    ``found`` holds the mentions of each block's text (as ``find_mentions`` gives them); a box's title is
    read here. Blocks of other kinds than COUNTED_KINDS count for nothing."""
    chapters: list[Chapter] = []
    for block, path, block_mentions in zip(blocks, heading_paths(blocks, CHAPTER_LEVELS), found, strict=True):
        if block["kind"] not in COUNTED_KINDS:
            continue
        if not chapters or chapters[-1].name != path:
            chapters.append(Chapter(len(chapters) + 1, path, block))
        chapter = chapters[-1]
        title = block.get("title", "") if block["kind"] == "box" else ""
        chapter.chars += _visible_chars(block["text"]) + _visible_chars(title)
        chapter.counts.update(count_parties(block_mentions))
        if title:
            chapter.counts.update(count_parties(find_mentions(title)))
    return chapters


def _visible_chars(text: str) -> int:
    return len(text) - sum(map(text.count, (" ", "\n", "\t", "\u3000")))
