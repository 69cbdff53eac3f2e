"""The extract stage: ``build/<edition>/blocks.jsonl`` → the edition's tables in ``build/<edition>/tables/``.

- keywords: every term a box labelled KEY WORD (any case or spacing) defines (``keywords``): term,
  abbreviation, English expansion, definition (without the partner-list sentence), the box's closing
  note, the title of a box of sub-terms, as-of date, section;
- agreements: the partner lists in boxes (``partners``), one row per party;
- agreement_events: dated events in body paragraphs (``events``);
- acronyms: abbreviations the text defines in parentheses (``acronyms``), first page per edition;
- country_lists: the country lists of the body text, one row per country (``country_lists``);
- country_mentions: how often each chapter names each party, and its size (``mentions``);
- review: everything that looked like a fact but that the rules could not parse, and pages with no text.

Only boxes give keywords and partner lists: a body sentence is never read as a definition, and a
body sentence that looks like a partner list goes to review instead.
"""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import box_labels, schema
from .agreement_names import agreement_kind
from .blocks import SOURCES_FILE, heading_paths, read_blocks, read_pages, read_source_notes
from .box_labels import defines_terms
from .cache import Decision, decide, file_inputs, read_record, stage_key
from .errors import HakushoError
from .files import write_text
from .keywords import box_entries
from .nlp import split_sentences
from .partners import looks_like_list, parse_list
from .punctuation import without_heading_number
from .schema import partner
from .workers import process_pool

if TYPE_CHECKING:
    from .country_lists import CountryList
    from .mentions import Mention

# Blocks per task when an edition is extracted in worker processes (runs are cut before headings);
# an edition of fewer blocks than two tasks is extracted in the main process (workers cost ~2 s to start).
BLOCKS_PER_TASK = 600


def extracted_tables() -> dict[str, list[str]]:
    """The tables this stage writes, with their columns: those schema.json says the extract stage makes."""
    return {table.name: table.made_columns for table in schema.load().made_by("extract")}


class Tables:
    """The rows of one edition's tables, with provenance filled in from the block they came from."""

    def __init__(self, edition: str):
        self.edition = edition
        self.columns = extracted_tables()
        self.rows: dict[str, list[dict]] = {name: [] for name in self.columns}

    def add(self, target: str, block: dict, **values: str) -> None:
        row = {
            "edition": self.edition,
            "file": block["file"],
            "page": str(block["page"]),
            "printed_page": block.get("printed_page", ""),
        }
        row.update(values)
        self.rows[target].append({column: str(row.get(column, "")) for column in self.columns[target]})

    def review(self, table: str, block: dict, reason: str, text: str) -> None:
        self.add("review", block, table=table, reason=reason, text=text)


def _keyword(tables: Tables, block: dict, section: str) -> None:
    """One keyword row per term the box defines (``keywords.box_entries``); its partner lists give
    agreements rows under that term."""
    entries, stray = box_entries(block.get("title", ""), block["text"], block.get("title_ruby", []))
    if not entries:  # without a title there is no keyword and no agreement to hang the partners on
        tables.review("keywords", block, "KEY WORD box without a title", block["text"])
        return
    for sentence in stray:
        tables.review(
            "agreements", block, "partner list in a KEY WORD box defining several terms, under none of them", sentence
        )
    for entry in entries:
        definition, as_of = [], ""
        for sentence in entry.sentences:
            if looks_like_list(sentence):
                parsed = parse_list(sentence)
                as_of = as_of or parsed.as_of
                for row in parsed.rows:
                    tables.add(
                        "agreements",
                        block,
                        agreement=entry.term,
                        abbr=entry.abbr,
                        kind=agreement_kind(entry.term),
                        as_of=parsed.as_of,
                        country=row.country,
                        iso3=row.party.iso3,
                        cow=row.party.cow,
                        party_type=row.party.party_type,
                        status=row.status,
                        note=row.note,
                        evidence=sentence,
                    )
                for problem in parsed.problems:
                    tables.review("agreements", block, problem, sentence)
            else:
                definition.append(sentence)
        if not definition and len(entries) > 1:
            tables.review(
                "keywords",
                block,
                f"no definition of its own for {entry.term} in a box defining several terms",
                block["text"],
            )
        tables.add(
            "keywords",
            block,
            term=entry.term,
            abbr=entry.abbr,
            expansion=entry.expansion,
            definition="".join(definition),
            note=entry.note,
            box_title=entry.box_title,
            as_of=as_of,
            section=section,
        )


def _body(tables: Tables, block: dict, carried_date: str) -> str:
    """Events and review items of one body paragraph; returns the last date, carried to the next one."""
    from .events import find_events

    for start, end in split_sentences(block["text"]):
        sentence = block["text"][start:end]
        if looks_like_list(sentence):
            tables.review("agreements", block, "partner list outside a KEY WORD box (not parsed)", sentence)
    year = int(tables.edition) if tables.edition.isdigit() else None
    result = find_events(block["text"], previous_date=carried_date, year=year)
    for event in result.events:
        tables.add(
            "agreement_events",
            block,
            agreement=event.agreement,
            abbr=event.abbr,
            kind=event.kind,
            country=event.country,
            iso3=event.party.iso3,
            cow=event.party.cow,
            event=event.event,
            date=event.date,
            evidence=event.evidence,
        )
        carried_date = event.date or carried_date
    for reason, sentence in result.review:
        tables.review("agreement_events", block, reason, sentence)
    return carried_date


def most_precise_events(rows: list[dict]) -> list[dict]:
    """Drop an event row that another row of the edition states more precisely.

    The book often repeats an event in less detail ("日米ACSAとともに国会で承認され、同年発効した" after
    "17(平成29)年4月に国会で承認され、同月に発効した"): for the same agreement, partner and event, a date
    that is a prefix of another row's date (2017 of 2017-04, or no date at all) adds nothing. Events
    with unrelated dates (signed 2010-05 and signed 2020-01) are both kept.
    """
    dates: dict[tuple, set[str]] = {}
    for row in rows:
        dates.setdefault((row["agreement"], partner(row), row["event"]), set()).add(row["date"])
    kept = []
    for row in rows:
        others = dates[(row["agreement"], partner(row), row["event"])] - {row["date"]}
        if row["event"] != "mentioned" and any(other.startswith(row["date"]) for other in others):
            continue
        kept.append(row)
    return kept


def _acronyms(tables: Tables, blocks: list[dict]) -> None:
    """Each abbreviation the blocks define, at its first definition among them, in reading order (the blocks are a
    run's: ``first_definitions`` keeps the edition's first)."""
    from .acronyms import find_acronyms

    defined: set[str] = set()  # abbreviations with a row already: a later row would not be the first definition
    for block in blocks:
        if block["kind"] not in ("body", "box", "heading", "caption"):
            continue
        texts = [(_counted_text(block), block.get("ruby", []))]
        if block.get("title"):
            texts.append((block["title"], block.get("title_ruby", [])))
        for text, ruby in texts:
            for acronym in find_acronyms(text, ruby, defined):
                tables.add("acronyms", block, abbr=acronym.abbr, term=acronym.term, expansion=acronym.expansion)
                defined.add(acronym.abbr)


def _counted_text(block: dict) -> str:
    """The text the rules read in a block: a heading's number is not part of its words (「4米韓同盟」)."""
    return without_heading_number(block["text"]) if block["kind"] == "heading" else block["text"]


def first_definitions(rows: list[dict]) -> list[dict]:
    """The first row of each abbreviation (rows in reading order): where the edition first defines it."""
    first: dict[str, dict] = {}
    for row in rows:
        first.setdefault(row["abbr"], row)
    return list(first.values())


def _extract_run(edition: str, blocks: list[dict], sections: list[str]) -> _Run:
    """The rows of a run of blocks that starts at a heading (or at the first block), and its country scan.

    Dates are carried from paragraph to paragraph only until the next heading, so runs cut before
    headings can be extracted independently, in worker processes, and give the same rows. What needs
    the whole edition (chapters' mention counts, lists named after a KEY WORD agreement) is done after
    the runs, from their scans.
    """
    tables = Tables(edition)
    carried_date = ""
    for block, section in zip(blocks, sections, strict=True):
        if block["kind"] == "heading":
            carried_date = ""
        elif block["kind"] == "box" and defines_terms(block.get("label", "")):
            _keyword(tables, block, section)
        elif block["kind"] == "box" and looks_like_list(block["text"]):
            tables.review(
                "agreements", block, f"partner list in a box labelled {block.get('label') or '(none)'}", block["text"]
            )
        elif block["kind"] == "body":
            if (label := box_labels.pattern().match(block["text"])) and defines_terms(label["label"]):
                tables.review("keywords", block, "KEY WORD label outside a box (not read as a keyword)", block["text"])
            carried_date = _body(tables, block, carried_date)
    _acronyms(tables, blocks)
    return _Run(tables.rows, *_scan_countries(blocks, sections))


def _runs(blocks: list[dict], blocks_per_task: int) -> list[tuple[int, int]]:
    """(start, end) of runs of at least ``blocks_per_task`` blocks, each cut just before a heading."""
    runs, start = [], 0
    for i, block in enumerate(blocks):
        if block["kind"] == "heading" and i - start >= blocks_per_task:
            runs.append((start, i))
            start = i
    return runs + [(start, len(blocks))] if blocks else []


def extract_blocks(
    edition: str,
    blocks: list[dict],
    pages: list[dict],
    progress: bool = False,
    jobs: int = 1,
    blocks_per_task: int = BLOCKS_PER_TASK,
) -> Tables:
    """All tables of one edition from its blocks (in reading order) and its page report.

    With ``jobs`` > 1 and more than one run of blocks, runs are extracted in worker processes and
    their rows merged in reading order: the tables are identical to a single-process run.
    """
    from tqdm import tqdm

    sections = heading_paths(blocks)
    runs = _runs(blocks, blocks_per_task)
    tables = Tables(edition)
    scan = _Run({}, [], [])
    bar = tqdm(total=len(blocks), desc=f"{edition} extract", unit="block", disable=not progress, leave=False)
    try:
        if jobs <= 1 or len(runs) < 2:
            results = (_extract_run(edition, blocks[a:b], sections[a:b]) for a, b in runs)
            for (a, b), run in zip(runs, results, strict=True):
                _merge(tables, scan, run, a)
                bar.update(b - a)
        else:
            with process_pool(jobs) as pool:
                futures = [pool.submit(_extract_run, edition, blocks[a:b], sections[a:b]) for a, b in runs]
                for (a, b), future in zip(runs, futures, strict=True):
                    _merge(tables, scan, future.result(), a)
                    bar.update(b - a)
    except BrokenProcessPool as exc:  # a worker died: out of memory, or a crash
        raise HakushoError(
            f"edition {edition}: a worker process stopped while extracting (out of memory or a crash); "
            "run again with --jobs 1 to extract in one process"
        ) from exc
    finally:
        bar.close()
    _countries(tables, blocks, scan)
    tables.rows["agreement_events"] = most_precise_events(tables.rows["agreement_events"])
    tables.rows["acronyms"] = first_definitions(tables.rows["acronyms"])
    for page in pages:
        if page["status"] not in ("ok", "blank"):
            page_block = {"file": page["file"], "page": page["page"], "printed_page": ""}
            tables.review("pages", page_block, page["status"], page["reason"])
    return tables


class _Run(NamedTuple):
    """What one run of blocks gives: its rows, the mentions found in each block, and the country lists
    read in its paragraphs (index of the block in the run, list)."""

    rows: dict[str, list[dict]]
    mentions: list[list[Mention]]
    lists: list[tuple[int, CountryList]]


def _scan_countries(blocks: list[dict], sections: list[str]) -> tuple[list[list[Mention]], list]:
    """The party mentions of each block and the country lists of its paragraphs (one scan of each block).

    Lists are read in body paragraphs, footnotes and boxes other than KEY WORD (whose partner lists are
    ``agreements``); mentions are counted in every block but running heads and page numbers."""
    from .country_lists import read_paragraph
    from .mentions import COUNTED_KINDS, find_mentions

    found = [find_mentions(_counted_text(block)) if block["kind"] in COUNTED_KINDS else [] for block in blocks]
    lists = []
    for i, (block, section, block_mentions) in enumerate(zip(blocks, sections, found, strict=True)):
        keyword = block["kind"] == "box" and defines_terms(block.get("label", ""))
        if block["kind"] in ("body", "footnote") or block["kind"] == "box" and not keyword:
            lists += [(i, found_list) for found_list in read_paragraph(block["text"], section, block_mentions)]
    return found, lists


def _merge(tables: Tables, scan: _Run, run: _Run, start: int) -> None:
    """Add a run's rows to ``tables`` and its scan to the edition's (the run begins at block ``start``)."""
    for name, table_rows in run.rows.items():
        tables.rows[name].extend(table_rows)
    scan.mentions.extend(run.mentions)
    scan.lists.extend((start + i, found_list) for i, found_list in run.lists)


def _countries(tables: Tables, blocks: list[dict], scan: _Run) -> None:
    """country_mentions per chapter and country_lists of the whole edition, from the runs' scans."""
    from .country_lists import edition_rows
    from .mentions import count_chapters

    for chapter in count_chapters(blocks, scan.mentions):
        for party, mentions in sorted(chapter.counts.items(), key=lambda item: (-item[1], item[0].canonical)):
            tables.add(
                "country_mentions",
                chapter.first_block,
                chapter_index=str(chapter.index),
                chapter=chapter.name,
                party=party.canonical,
                iso3=party.iso3,
                cow=party.cow,
                party_type=party.party_type,
                mentions=str(mentions),
                chars=str(chapter.chars),
            )
    lists = [(blocks[i], found_list) for i, found_list in scan.lists]
    rows, review = edition_rows(lists, tables.rows["agreements"])
    for block, values in rows:
        tables.add("country_lists", block, **values)
    for block, reason, sentence in review:
        tables.review("country_lists", block, reason, sentence)


def _csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def extract_edition(edition_dir: Path, force: bool = False, progress: bool = False, jobs: int = 1) -> Decision:
    """Write ``<edition_dir>/tables/*.csv`` from its blocks, unless they are current.

    ``tables/extract.json`` records the stage's key (``pipeline/cache.py``: the blocks and page report,
    the code and the data files the rules read); it is removed before the tables are rewritten and
    written after them, so a run interrupted in between is redone.
    """
    layout = edition_dir / "layout.json"
    if not layout.exists():
        raise HakushoError(f"{layout}: missing; run `hakusho layout` (or `make extract`) first")
    edition = json.loads(layout.read_text(encoding="utf-8"))["edition"]
    out = edition_dir / "tables"
    stamp = out / "extract.json"
    inputs = {name: edition_dir / name for name in ("blocks.jsonl", "pages.jsonl", SOURCES_FILE)}
    key = stage_key("extract", __name__, inputs=file_inputs(inputs), options={"edition": edition})
    outputs = [out / f"{name}.csv" for name in extracted_tables()]
    decision = decide(key, read_record(stamp), force=force, outputs=outputs)
    if not decision.run:
        return decision
    blocks = read_blocks(inputs["blocks.jsonl"])
    pages = read_pages(inputs["pages.jsonl"])
    notes = read_source_notes(edition_dir)
    tables = extract_blocks(edition, blocks, pages, progress=progress, jobs=jobs)
    for note in notes:  # what identify.py found about a whole file
        tables.review("editions", {"file": note["file"], "page": 1, "printed_page": ""}, note["reason"], "")
    stamp.unlink(missing_ok=True)
    for name, columns in tables.columns.items():
        write_text(out / f"{name}.csv", _csv(columns, tables.rows[name]))
    write_text(stamp, json.dumps(key.record(), sort_keys=True) + "\n")
    return decision


def extract_build(build: Path, progress: bool = False, jobs: int = 1) -> list[tuple[str, Decision]]:
    """Extract every edition that has a layout in ``build``: (edition year, what was done) for each."""
    editions = sorted(p.parent for p in build.glob("*/layout.json"))
    if not editions:
        raise HakushoError(f"{build}: no layouts here; run `hakusho layout` (or `make extract`) first")
    return [(edition.name, extract_edition(edition, progress=progress, jobs=jobs)) for edition in editions]
