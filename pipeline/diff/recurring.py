"""Recurring country lists: who joined and who left a list that comes back (an exercise every year, a
programme every fiscal year, the members of a framework).

``country_lists`` rows are compared row by row in changes.csv (schema.json's diff rule). A reader of one
year's diff asks more: *this* year's マラバール against last year's, FY2024's OSA recipients against FY2023's.
A list is identified by

- its **name**: the subject without a trailing year or number (マラバール2024 → マラバール, RIMPAC2024 →
  RIMPAC, コープ・ノース25 → コープ・ノース, カマンダグ8 → カマンダグ); a number that is not a year stays in an
  ASCII name (IP4, G7: it is part of the name);
- its **role** (共同訓練, 供与決定, 構成…);
- its **period**: the year the subject carries (2024 of マラバール2024; two digits are a year when they fall
  within a few years of the edition: 25 of コープ・ノース25 in the 2025 edition, not 87 of YS-87), else the
  list's own (period_kind, period), else none.

The list of a period is compared with the same name and role at the latest earlier period of the same kind
(period - 1 for a yearly list, - 2 for a biennial exercise), read in the new edition if it has it, else in
the old one; only periods new to the new edition are compared (the old edition's report showed the others).
A list without a period (a framework) is compared with the old edition's list of the same name and role.

A **compact framework** (日米豪印: a subject written with its members' names and nothing else) is one
list whatever the order of its letters: ``comparable`` gives 日米豪印 and 日米印豪 one spelling (the first
in code-point order) before the rows are compared, so a reordered name is no change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from string import ascii_letters as ASCII_LETTERS

import pandas as pd

from .. import schema

# A subject ending in a number after a letter, with an optional space, hyphen or 「・」 between them.
TRAILING_NUMBER = re.compile(r"^(?P<name>.*?[^\W\d_])[\s\-－・]*(?P<number>\d{1,4})$")
MIN_NAME_CHARS = 2  # G7 stays G7: a name is at least this long once the number is taken off
FOUR_DIGIT_YEAR = re.compile(r"^(19|20)\d\d$")
# A two-digit number is a year (20NN) when 20NN is at most this many years before or after the edition.
TWO_DIGIT_YEAR_BEFORE = 3
TWO_DIGIT_YEAR_AFTER = 1
CALENDAR, FISCAL = "calendar", "fiscal"
FISCAL_PREFIX = "FY"  # how a fiscal period is shown: FY2024


@dataclass
class Instance:
    """One list in one edition: the rows of a name, role and period, by partner (first row by page)."""

    edition: str
    subject: str  # as written (its first row's)
    period: str  # "FY2024", "2024", or "" when the subject says the year (マラバール2024) or there is none
    members: dict[str, dict] = field(default_factory=dict)

    @property
    def first(self) -> dict:
        return min(self.members.values(), key=lambda row: (row["page"], schema.partner(row)))


def split_subject(subject: str, edition: str) -> tuple[str, int | None]:
    """(name, year): the subject without a trailing year or number, and that number if it is a year."""
    match = TRAILING_NUMBER.match(subject)
    if not match or len(match.group("name").strip()) < MIN_NAME_CHARS:
        return subject, None
    name, number = match.group("name").strip(), match.group("number")
    year = int(number) if FOUR_DIGIT_YEAR.match(number) else None
    near = range(int(edition) - TWO_DIGIT_YEAR_BEFORE, int(edition) + TWO_DIGIT_YEAR_AFTER + 1)
    if len(number) == 2 and 2000 + int(number) in near:
        year = 2000 + int(number)
    if year is None and subject[match.start("number") - 1] in ASCII_LETTERS:
        return subject, None  # IP4, G7: the number is part of the name
    return name, year


def comparable(lists: pd.DataFrame) -> pd.DataFrame:
    """``country_lists`` with each compact framework under one spelling (日米印豪, 日米豪印 → 日米印豪).

    A subject is a compact framework when its characters are exactly those of its list's parties as
    written (日, 米, 豪, 印); its spelling becomes the first, in code-point order, of every such subject
    written with the same names, over all editions (whatever the role: 日米豪印 is one name)."""
    parties: dict[tuple[str, str, str, str], set[str]] = {}
    for row in lists.to_dict("records"):
        parties.setdefault((row["edition"], row["subject"], row["period"], row["role"]), set()).add(row["country"])
    spellings: dict[frozenset[str], set[str]] = {}
    for (_, subject, _, _), written in parties.items():
        if sorted(subject) == sorted("".join(written)):
            spellings.setdefault(frozenset(written), set()).add(subject)
    canonical = {subject: min(group) for group in spellings.values() for subject in group if len(group) > 1}
    if not canonical:
        return lists
    lists = lists.copy()
    lists["subject"] = [canonical.get(subject, subject) for subject in lists["subject"]]
    return lists


def instances(lists: pd.DataFrame, edition: str) -> dict[tuple, Instance]:
    """The lists of ``edition`` by (name, role, period kind, year); year None for a list without a period."""
    found: dict[tuple, Instance] = {}
    rows = lists[lists["edition"] == edition].sort_values("page", kind="stable").to_dict("records")
    for row in rows:
        name, year = split_subject(row["subject"], edition)
        kind, period = CALENDAR, ""
        if year is None:
            kind = row["period_kind"]
            year = int(row["period"]) if row["period"] else None
            period = f"{FISCAL_PREFIX if kind == FISCAL else ''}{row['period']}"
        instance = found.setdefault((name, row["role"], kind, year), Instance(edition, row["subject"], period))
        instance.members.setdefault(schema.partner(row), row)
    return found


def previous_instance(identity: tuple, new: dict[tuple, Instance], old: dict[tuple, Instance]) -> Instance | None:
    """The list ``identity`` is the next period of: same name, role and kind, the latest earlier year."""
    name, role, kind, year = identity
    if year is None:
        return old.get(identity)
    earlier = [
        (other[3], rank, lists[other])
        for rank, lists in ((1, new), (0, old))
        for other in lists
        if other[:3] == (name, role, kind) and other[3] is not None and other[3] < year
    ]
    return max(earlier, key=lambda found: found[:2])[2] if earlier else None


def member_changes(lists: pd.DataFrame, old: str, new: str) -> list[dict]:
    """New and dropped members of the recurring lists of edition ``new`` (``lists`` made ``comparable``).

    One entry per list whose members changed: name, role, the two instances (``before``, ``after``) and the
    partners' rows added and dropped (by partner)."""
    new_lists, old_lists = instances(lists, new), instances(lists, old)
    found = []
    for identity, after in sorted(new_lists.items(), key=lambda item: _order(item[0])):
        if identity[3] is not None and identity in old_lists:
            continue  # a period the old edition already gave: its report compared it
        before = previous_instance(identity, new_lists, old_lists)
        if before is None:
            continue
        added = [row for partner, row in sorted(after.members.items()) if partner not in before.members]
        dropped = [row for partner, row in sorted(before.members.items()) if partner not in after.members]
        if added or dropped:
            found.append(
                {"name": identity[0], "role": identity[1], "before": before, "after": after,
                 "added": added, "dropped": dropped}
            )  # fmt: skip
    return found


def _order(identity: tuple) -> tuple:
    name, role, kind, year = identity
    return name, role, kind, -1 if year is None else year
