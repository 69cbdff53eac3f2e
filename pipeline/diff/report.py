"""The report of one pair of editions: ``report.html`` and ``report.md``, rendered from Jinja2 templates.

The words of the report live in the templates (``templates/``), once for both formats:
``report.j2`` is the document (title, summary, one section per compared table, review items, chart),
``sections/<table>.j2`` a table's section (``sections/table.j2`` for a table that has none of its own,
so a table given a diff rule in schema.json is reported without a new template; ``country_lists.j2`` adds
the recurring lists' members, ``mention_shares.j2`` the share chart), ``review_status.j2`` the open items,
stale decisions and rejected rows at the top, ``marks.j2`` the words of a change's review mark, ``words.j2`` the
wording shared by the sections (page references, a code after its word, a partner by its one name and
how the edition wrote it). The markup is in ``markup/html.j2`` and ``markup/md.j2``: the same macros
(headings, lists, bold, links, codes, a collapsed part, the character diff, the chart) for each format,
passed to the templates as ``m``. The templates read the words for codes with ``label`` (``labels.py``,
``data/labels.csv``) and a row's partner with ``party`` (``countries.party_of``).

Escaping is on in both: HTML by Jinja2's autoescape; Markdown by the same mechanism, with the
Markdown escape as the environment's ``finalize`` (a value marked safe, e.g. a macro's output, is
left alone). The character-level diff of reworded text is computed here (``char_diff``).
"""

from __future__ import annotations

import base64
import difflib
import re
from functools import cache
from pathlib import Path

from markupsafe import Markup

from .. import countries, schema
from . import labels
from .charts import Chart
from .compare import change_kinds

TEMPLATES = Path(__file__).parent / "templates"
# Data files the templates are, for the cache rule (pipeline/cache.py): their names are computed below.
DATA_FILES = ("templates/*.j2", "templates/*/*.j2")
FORMATS = {"html": "markup/html.j2", "md": "markup/md.j2"}
GENERIC_SECTION = "table"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|])")
BOUNDARY_CHARS = "、。，．・「」『』（）() 　"


def md_escape(text) -> str:
    """Text safe inside Markdown, on one line."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def _md_finalize(value):
    return value if hasattr(value, "__html__") else Markup(md_escape(value))


@cache
def environment(fmt: str):
    """The Jinja2 environment of a format: autoescape on (HTML escaping, or Markdown's via finalize)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    options = {"finalize": _md_finalize} if fmt == "md" else {}
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        **options,
    )
    env.globals.update(char_diff=char_diff, label=labels.label, party=party)
    return env


def section_template(table: str) -> str:
    """``sections/<table>.j2`` if the table has its own section, else the generic one."""
    own = f"sections/{table}.j2"
    return own if (TEMPLATES / own).is_file() else f"sections/{GENERIC_SECTION}.j2"


def context(
    changes: list[dict],
    review: list[dict],
    titles: dict[str, str],
    old: str,
    new: str,
    chart: dict,
    shares_chart: dict,
    recurring: list[dict],
) -> dict:
    """What report.j2 is given (its first lines list it): the changes by compared table (diff order), those
    listed apart (``labels.apart``: mentions without an event), the counts of the others, the new edition's
    review items, the two charts (as ``embedded`` gives them) and the recurring lists' new and dropped
    members (``recurring.member_changes``)."""
    kinds = change_kinds()
    sections, counts = [], []
    for table in schema.load().compared():
        ours = [c for c in changes if c["table"] == table.name]
        listed = [c for c in ours if not labels.apart(c["row"])]
        aside = [c for c in ours if labels.apart(c["row"])]
        sections.append({"table": table, "changes": listed, "apart": aside, "template": section_template(table.name)})
        per_kind = [sum(1 for c in listed if c["change"] == kind) for kind in kinds]
        counts.append([table.name, *per_kind, sum(per_kind)])
    totals = [sum(row[i] for row in counts) for i in range(1, len(kinds) + 2)]
    return {
        "old": old,
        "new": new,
        "titles": titles,
        "kinds": kinds,
        "total": totals[-1],
        "apart": sum(len(section["apart"]) for section in sections),
        "counts": counts,
        "totals": totals,
        "sections": sections,
        "review": review,
        "chart": chart,
        "shares_chart": shares_chart,
        "recurring": recurring,
    }


def embedded(chart: Chart, src: str) -> dict:
    """A chart as the templates show it (``m.img``): the PNG inline, its file ``src``, its size on screen."""
    png = base64.b64encode(chart.png).decode("ascii")
    return {"png": png, "src": src, "width": chart.width, "height": chart.height}


def party(row: dict):
    """The partner of a row (its ``country``, or ``party`` in mention_shares), with its one name
    (``countries.party_of``): what ``words.partner`` shows."""
    return countries.party_of(row["iso3"], row["country"] if "country" in row else row["party"])


def render(fmt: str, values: dict) -> str:
    """The report in ``fmt`` (html or md)."""
    env = environment(fmt)
    text = env.get_template("report.j2").render(values, m=env.get_template(FORMATS[fmt]).module, fmt=fmt)
    return text.rstrip("\n") + "\n"


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs of a character-level diff: op is "=", "-" (deleted) or "+" (inserted)."""
    runs = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", old[i1:i2]))
        if tag in ("delete", "replace"):
            runs.append(("-", old[i1:i2]))
        if tag in ("insert", "replace"):
            runs.append(("+", new[j1:j2]))
    return _slide_to_boundaries(runs)


def _slide_to_boundaries(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Move each lone insertion or deletion to where it starts or ends at punctuation.

    difflib may place an insertion anywhere its text repeats ("救援{+活動、…対応+}活動" and
    "救援活動{+、…対応活動+}" are the same edit); a reader expects the clause, so among the equivalent
    placements the one touching 、。「」 wins (ties: the rightmost).
    """
    runs = list(runs)
    for k in range(1, len(runs) - 1):
        (before_op, before), (op, edit), (after_op, after) = runs[k - 1], runs[k], runs[k + 1]
        if before_op != "=" or after_op != "=" or op == "=" or not edit:
            continue
        text = before + edit + after
        start, end = len(before), len(before) + len(edit)
        while start > 0 and text[start - 1] == text[end - 1]:  # leftmost equivalent placement
            start, end = start - 1, end - 1
        best, best_score = (start, end), -1
        while True:
            score = (start == 0 or text[start - 1] in BOUNDARY_CHARS or text[start] in BOUNDARY_CHARS) + (
                end == len(text) or text[end] in BOUNDARY_CHARS or text[end - 1] in BOUNDARY_CHARS
            )
            if score >= best_score:
                best, best_score = (start, end), score
            if end >= len(text) or text[start] != text[end]:
                break
            start, end = start + 1, end + 1
        start, end = best
        runs[k - 1], runs[k], runs[k + 1] = ("=", text[:start]), (op, text[start:end]), ("=", text[end:])
    return [(op, chunk) for op, chunk in runs if chunk]
