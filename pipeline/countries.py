"""Resolve the country and organisation names of the Defense White Paper to ISO 3166-1 alpha-3 and COW codes.

Why: the white paper names its partners in Japanese and in several registers (米国 / アメリカ合衆国 /
日米…, オーストラリア / 豪州 / 日豪…), while the datasets we join with (DCAD, ATOP) key states by the
Correlates of War (COW) state number. Every name must come out with stable codes, or as "unknown",
never silently dropped.

Design: maintained data first, small curated tables only for what it lacks.

- Debian iso-codes' Japanese names, read through pycountry's gettext catalogue: formal and official
  forms (米国, 英国, オーストラリア連邦, アメリカ合衆国; 「大韓民国 (韓国)」 gives both 大韓民国 and 韓国).
- CLDR's everyday names through babel (アメリカ合衆国, イギリス, オーストラリア, 韓国); parenthetical
  qualifiers are dropped (「コンゴ民主共和国(キンシャサ)」 → コンゴ民主共和国).
- ``data/cow_codes.csv``: COW state numbers (2016 state list). It also decides what is a *state*: the UN
  members, Taiwan, the Holy See and Palestine. Dependent territories (グアム, 香港) are not parties and
  resolve as "unknown"; so does Kosovo, which has a COW code (347) but no ISO 3166 code.
- ``data/country_aliases.csv``: forms neither source has (豪州, 比国, アメリカ, NZ, UAE, ...).
- ``data/organizations.csv``: organisations that act as parties (NATO, EU, ASEAN, 国連, ...).
- ``data/bilateral_prefixes.csv``: the short prefixes of bilateral names (日豪 → 豪, 日米 → 米, 日NZ → NZ).
  They are kept apart from the aliases because one kanji is not a name in running text (米 in 米軍,
  中 in 中央): ``find_parties`` never uses them; ``prefix_partners`` reads them after 「日」, and
  ``resolve`` accepts them only as the whole name (「米・豪」 split by a caller). 瑞 is left out on purpose:
  it abbreviates both Sweden (瑞典) and Switzerland (瑞西).

Canonical names of states follow the white paper's usage: CLDR's everyday name without its parenthetical
(オーストラリア, 韓国, ロシア, 中国, 北朝鮮, 台湾), except where the book itself writes otherwise
(米国, 英国 instead of アメリカ合衆国, イギリス; see ``_CANONICAL_OVERRIDES``).

All lookups run on NFKC-normalised text (full-width letters and parentheses → ASCII).
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from dataclasses import dataclass

import babel
import pycountry

from .vocabulary import table

STATE = "state"
ORGANIZATION = "organization"
UNKNOWN = "unknown"

# Where the white paper's own short name differs from CLDR's everyday name.
_CANONICAL_OVERRIDES = {"USA": "米国", "GBR": "英国", "PSE": "パレスチナ"}

# A name followed by one of these is a place, not a party: インド太平洋, インド洋, 日本海, メキシコ湾,
# 台湾海峡; but フィリピン海軍, 米国海兵隊, 日本海上… are mentions.
_NOT_A_PARTY_AFTER = "太平洋|洋|湾|海(?![軍兵上外空洋自])"
# Name-specific false friends: 中国地方 and 中国四国防衛局 are regions of Japan.
_NOT_FOLLOWED_BY = {"中国": ("地方", "四国", "・四国", "山地")}
# Katakana letters (without the middle dot ・): a katakana name must not sit inside a longer katakana word
# (タイ in タイプ, マリ in マリン, アメリカ in アメリカン).
_KATAKANA = "ァ-ヺー"
_ASCII_LETTER = "A-Za-z"

_BILATERAL_HEAD = "日"
# Words that start with a prefix kanji but name no partner: 日比谷, 日米比較, 日英独自…
_NOT_A_PREFIX = ("比谷", "比較", "比率", "中心", "中央", "加盟", "加速", "独自", "独立", "朝刊", "朝食", "台風", "台数")

_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_PAREN = re.compile(r"\s*\([^()]*\)\s*")
# Japanese has no inter-word spaces: a space between two non-ASCII characters is an extraction artefact.
_ARTEFACT_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_END = ""  # trie key marking the end of a name (no character is empty)


@dataclass(frozen=True)
class Party:
    """A party to an agreement, as written in the text and with its codes."""

    name: str  # as written in the text
    iso3: str  # "" for organisations and unknown names
    cow: str  # COW state number as a string, "" if none
    party_type: str  # "state" | "organization" | "unknown"
    canonical: str  # Japanese short name for states, abbreviation for organisations, the name if unknown

    def as_written(self, name: str) -> Party:
        """The party as a text writes it (``dataclasses.replace`` costs twice as much, and a book names thousands)."""
        return Party(name, self.iso3, self.cow, self.party_type, self.canonical)


@dataclass(frozen=True)
class _Tables:
    names: dict[str, Party]  # NFKC name → party, every name find_parties may match
    by_code: dict[str, Party]  # alpha-3 (states) or canonical name (organisations) → party
    prefixes: dict[str, Party]  # bilateral prefix → party
    prefix_re: re.Pattern[str]  # longest prefix at a position
    scan_re: re.Pattern[str]  # every name in `names`, longest first, with guards


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _ja_catalogue() -> gettext.NullTranslations:
    """iso-codes' Japanese catalogue shipped with pycountry (falls back to English names)."""
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)


def _variants(name: str) -> set[str]:
    """A name, or what stands around and inside its parentheses: 「大韓民国 (韓国)」 → {大韓民国, 韓国}."""
    name = _nfkc(name).strip()
    m = _TRAILING_PAREN.search(name)
    found = {name[: m.start()], m.group(1)} if m else {name}
    return {v.strip() for v in found if v.strip()}


def _state_names(states: set[str]) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Names per alpha-3 from iso-codes and CLDR, and CLDR's everyday name per alpha-3."""
    names: dict[str, set[str]] = {iso3: set() for iso3 in states}
    cat = _ja_catalogue()
    for country in pycountry.countries:
        if country.alpha_3 not in states:
            continue
        for attr in ("name", "official_name", "common_name"):
            english = getattr(country, attr, None)
            if english:
                ja = cat.gettext(english)
                if ja != english:
                    names[country.alpha_3] |= _variants(ja)
    everyday: dict[str, str] = {}
    for alpha2, ja in babel.Locale("ja").territories.items():
        country = pycountry.countries.get(alpha_2=alpha2) if len(alpha2) == 2 else None
        if country is not None and country.alpha_3 in states:
            # CLDR parentheses qualify rather than alias (キンシャサ is a city): drop them.
            short = _PAREN.sub("", _nfkc(ja)).strip()
            names[country.alpha_3].add(short)
            everyday[country.alpha_3] = short
    return names, everyday


def _terminal_guard(name: str) -> str:
    """Lookaheads that end a match of ``name`` in running text."""
    guards = [_NOT_A_PARTY_AFTER, *map(re.escape, _NOT_FOLLOWED_BY.get(name, ()))]
    if re.match(f"[{_KATAKANA}]", name[-1]):
        guards.append(f"[{_KATAKANA}]")
    elif re.match(f"[{_ASCII_LETTER}]", name[-1]):
        guards.append(f"[{_ASCII_LETTER}]")
    return "(?!" + "|".join(guards) + ")"


def _trie_regex(names: list[str]) -> re.Pattern[str]:
    """One regex for all names, factored as a trie so it is fast; longer names are tried first."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[_END] = _terminal_guard(name)

    def emit(node: dict) -> str:
        # Children before the end marker: greedy, so the longest name wins; backtracking falls back to a
        # shorter one when a guard rejects the longer.
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != _END]
        if _END in node:
            branches.append(node[_END])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    roots = []
    for ch, child in sorted(trie.items()):
        # The guard on the preceding character comes after the first literal (a lookbehind over two
        # characters), so every branch starts with a literal and the regex engine can skip ahead fast.
        if re.match(f"[{_KATAKANA}]", ch):
            guard = f"(?<![{_KATAKANA}].)"
        elif re.match(f"[{_ASCII_LETTER}]", ch):
            guard = f"(?<![{_ASCII_LETTER}].)"
        else:
            guard = ""
        roots.append(re.escape(ch) + guard + emit(child))
    return re.compile("|".join(roots))


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Build all lookup tables once."""
    cow = {row["iso3"]: row["cow"] for row in table("cow_codes.csv")}
    state_names, everyday = _state_names(set(cow))
    for row in table("country_aliases.csv"):
        state_names[row["iso3"]].add(_nfkc(row["alias"]).strip())

    names: dict[str, Party] = {}
    for iso3, forms in state_names.items():
        canonical = _CANONICAL_OVERRIDES.get(iso3) or everyday.get(iso3) or min(forms, key=len)
        party = Party(canonical, iso3, cow[iso3], STATE, canonical)
        for form in forms:
            names[form] = party
    orgs: dict[str, Party] = {}
    for row in table("organizations.csv"):
        party = Party(row["canonical"], "", "", ORGANIZATION, row["canonical"])
        orgs[row["canonical"]] = party
        names[_nfkc(row["alias"]).strip()] = party

    by_code = {p.iso3: p for p in names.values() if p.iso3} | orgs
    prefixes = {_nfkc(row["prefix"]): by_code[row["party"]] for row in table("bilateral_prefixes.csv")}
    prefix_re = re.compile("|".join(map(re.escape, sorted(prefixes, key=len, reverse=True))))
    return _Tables(names, by_code, prefixes, prefix_re, _trie_regex(list(names)))


def _lookup_keys(written: str) -> list[str]:
    """Normalised forms to try for one name: as is, without a trailing 「(UAE)」, then that abbreviation."""
    key = _nfkc(written).strip()
    key = _ARTEFACT_SPACE.sub("", key)
    keys = [key]
    m = _TRAILING_PAREN.search(key)
    if m:
        keys += [key[: m.start()].strip(), m.group(1).strip()]
    keys += [k.upper() for k in keys if k.isascii() and k.upper() != k]
    return keys


def resolve(name: str) -> Party:
    """Resolve one name as written; unknown names come back with party_type "unknown", never raise."""
    written = name.strip()
    tables = _tables()
    for key in _lookup_keys(written):
        party = tables.names.get(key) or tables.prefixes.get(key)
        if party is not None:
            return party.as_written(written)
    return Party(written, "", "", UNKNOWN, written)


def party_of(iso3: str, written: str) -> Party:
    """The party of a table row (its ``iso3`` and its name as written), with its one canonical name.

    By the code when there is one, so 加, カナダ and 「アラブ首長国連邦 (UAE)」 give カナダ and アラブ首長国連邦
    whatever the spelling; else the name resolved (北大西洋条約機構 → NATO); an unknown name stays as written.
    """
    party = _tables().by_code.get(iso3) if iso3 else None
    return party.as_written(written.strip()) if party else resolve(written)


def is_known(name: str) -> bool:
    """True when ``name`` resolves to a state or an organisation."""
    return resolve(name).party_type != UNKNOWN


def prefix_partners(word: str) -> list[Party]:
    """The partners named after 「日」 at the start of ``word``, in order.

    「日米ACSA」 → [USA]; 「日米豪印」 → [USA, AUS, IND]; 「日・マレーシア防衛相会談」 → [MYS];
    「日本」, 「日程」 → []. Each component is a full name (longest first) or a bilateral prefix.
    """
    text = _nfkc(word).strip()
    if not text.startswith(_BILATERAL_HEAD):
        return []
    tables = _tables()
    partners: list[Party] = []
    pos = len(_BILATERAL_HEAD)
    while pos < len(text):
        start = pos + 1 if text[pos] == "・" else pos
        if text.startswith(_NOT_A_PREFIX, start):
            break
        m = tables.scan_re.match(text, start) or tables.prefix_re.match(text, start)
        if m is None:
            break
        party = tables.names.get(m.group()) or tables.prefixes[m.group()]
        partners.append(party.as_written(m.group()))
        pos = m.end()
    return partners


class _NfkcTable(dict):
    """A ``str.translate`` table: code point → its NFKC form, filled in the first time a character is seen."""

    def __missing__(self, code: int) -> str:
        self[code] = unicodedata.normalize("NFKC", chr(code))
        return self[code]


_NFKC_TABLE = _NfkcTable()


def _normalise_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFKC text (character by character) and, when its length differs, the original index of each output character.

    Most characters keep their length under NFKC (（ → (, Ｆ → F), and no character vanishes, so a text that
    keeps its length keeps its offsets: one ``str.translate`` then does it."""
    if unicodedata.is_normalized("NFKC", text):
        return text, None
    norm = text.translate(_NFKC_TABLE)
    if len(norm) == len(text):
        return norm, None
    parts = [_NFKC_TABLE[ord(ch)] for ch in text]
    origin = [i for i, part in enumerate(parts) for _ in part]
    return "".join(parts), origin


def find_parties(text: str) -> list[tuple[int, int, Party]]:
    """Every known country or organisation name in ``text``, left to right, longest match first.

    Offsets index ``text`` as given; each Party's name is the text as written. One-kanji forms (米 in
    米軍) are never matched; a name followed by 太平洋, 洋, 湾 or 海 (not 海軍…) is a place, not a party.
    """
    tables = _tables()
    norm, origin = _normalise_with_offsets(text)
    found = []
    for m in tables.scan_re.finditer(norm):
        start, end = m.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        found.append((start, end, tables.names[m.group()].as_written(text[start:end])))
    return found
