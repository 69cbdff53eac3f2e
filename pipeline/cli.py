"""The ``hakusho`` command: one sub-command per stage, ``run`` for all of them (``make extract``), and
``review`` for the review decisions (``make review``).

Every stage reads the previous stage's files and writes its own, so each can be re-run alone.
Errors the user can fix are ``HakushoError``: printed on one line, exit status 1.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import time
from pathlib import Path

from .errors import HakushoError
from .files import writable_folder
from .schema import ACCEPT, ADD, CORRECT, REJECT

DEFAULT_SOURCES = Path("sources/sample")
DEFAULT_BUILD = Path("build")
DEFAULT_OUTPUT = Path("output")
# A Ctrl-C this long after the first one interrupts again (the first was lost, or the run did not stop).
REPEAT_GRACE_S = 1.0


def _progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def _say(args: argparse.Namespace, line: str) -> None:
    """A line about what a stage did (why it ran or was skipped), on stderr; nothing under --quiet."""
    if not args.quiet:
        print(line, file=sys.stderr)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bars or summaries")


def _build_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build", type=Path, default=DEFAULT_BUILD, help="intermediate files (default: build)")


def _jobs_option(parser: argparse.ArgumentParser, work: str) -> None:
    parser.add_argument(
        "--jobs", "-j", type=int, default=os.cpu_count() or 1, help=f"worker processes for {work} (default: cores)"
    )


def _layout_options(parser: argparse.ArgumentParser) -> None:
    from .layout import DEFAULT_ENGINE, DEFAULT_PAGE_TIMEOUT_S
    from .pdfsource import ENGINES

    _build_option(parser)
    _jobs_option(parser, "reading pages and extracting large editions")
    parser.add_argument("--force", action="store_true", help="redo work even if the inputs did not change")
    parser.add_argument(
        "--page-timeout",
        type=float,
        default=DEFAULT_PAGE_TIMEOUT_S,
        help=f"seconds one page may take to read before it is an error (default: {DEFAULT_PAGE_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--engine", choices=ENGINES, default=DEFAULT_ENGINE, help=f"character source (default: {DEFAULT_ENGINE})"
    )
    parser.add_argument(
        "--accept-mismatch",
        action="store_true",
        help="read a PDF even if it prints another edition's title than its folder's year",
    )


def _editions(path: Path):
    from .editions import edition_from_folder, find_editions

    if path.is_dir() and any(p.suffix.lower() == ".pdf" for p in path.iterdir()):
        return [edition_from_folder(path)]
    return find_editions(path)


def _layout(edition, args: argparse.Namespace):
    """Lay out one edition unless current; says why it ran or was skipped."""
    from .layout import layout_edition

    decision = layout_edition(
        edition,
        args.build,
        jobs=args.jobs,
        progress=_progress(args),
        force=args.force,
        page_timeout=args.page_timeout,
        engine=args.engine,
    )
    _say(args, decision.line(f"layout {edition.name}"))


def _check_sources(editions, args: argparse.Namespace) -> None:
    """Before any work: every PDF is Japanese and prints its own edition's title (``identify``)."""
    from .identify import check_edition

    for edition in editions:
        for warning in check_edition(edition, args.build, accept_mismatch=args.accept_mismatch):
            print(warning, file=sys.stderr)


def cmd_layout(args: argparse.Namespace) -> int:
    if args.path.suffix.lower() == ".pdf":
        return _layout_single_pdf(args)
    editions = _editions(args.path)
    writable_folder(args.build, "--build")
    _check_sources(editions, args)
    for edition in editions:
        _layout(edition, args)
        if not args.quiet:
            print(args.build / edition.name / "blocks.jsonl")
    return 0


def _layout_single_pdf(args: argparse.Namespace) -> int:
    """Blocks of one PDF (or one page of it) to stdout, or drawn over the page with --debug-image."""
    import json

    from .debug import draw_page
    from .editions import YEAR_FOLDER
    from .layout import blocks_for_file, doc_stats, read_file
    from .pdfsource import page_count

    if args.debug_image and args.page is None:
        raise HakushoError("--debug-image needs --page N: the page to draw")
    if args.page is not None:  # checked before the whole file is read (the page's blocks depend on every page)
        total = page_count(args.path, args.engine)
        if not 1 <= args.page <= total:
            raise HakushoError(f"{args.path}: page {args.page} does not exist (the file has {total} pages)")
    pages = read_file(
        args.path, jobs=args.jobs, progress=_progress(args), page_timeout=args.page_timeout, engine=args.engine
    )
    edition = args.path.parent.name if YEAR_FOLDER.match(args.path.parent.name) else ""
    blocks = blocks_for_file(pages, edition, args.path.name, doc_stats(pages))
    if args.page is not None:
        blocks = [b for b in blocks if any(part["page"] == args.page for part in b["parts"])]
    if args.debug_image:
        draw_page(args.path, args.page, blocks, args.debug_image)
        if not args.quiet:
            print(args.debug_image)
        return 0
    for block in blocks:
        print(json.dumps(block, ensure_ascii=False))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import extract_build

    writable_folder(args.build, "--build")
    for year, decision in extract_build(args.build, progress=_progress(args), jobs=args.jobs):
        _say(args, decision.line(f"extract {year}"))
        if not args.quiet:
            print(args.build / year / "tables")
    return 0


def cmd_dataset(args: argparse.Namespace) -> int:
    from .dataset import build_dataset

    writable_folder(args.output, "--output")
    decisions = _decisions_file(args)
    build_dataset(args.build, args.output, quiet=args.quiet, decisions_file=decisions)
    _decisions_summary(args, decisions)
    return 0


def _decisions_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--decisions", type=Path, help="the review decisions to apply (default: SOURCES/decisions.csv)")


# hakusho review's command that removes decisions (its others are the decisions' actions: schema.ACCEPT…).
FORGET = "forget"


def _review_options(parser: argparse.ArgumentParser) -> None:
    """``hakusho review [options] [ACTION …]``; the options are taken before or after the action."""
    _review_where(parser, sources=DEFAULT_SOURCES, output=DEFAULT_OUTPUT)
    parser.add_argument("--edition", help="the edition whose open items are listed (default: the newest)")
    after = argparse.ArgumentParser(add_help=False)
    _review_where(after, sources=argparse.SUPPRESS, output=argparse.SUPPRESS, decisions=argparse.SUPPRESS)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    for name, what in (
        (ACCEPT, "rows or changes checked and right"),
        (REJECT, "rows that are wrong: they leave the tables"),
        (CORRECT, "one cell of a row takes a new value"),
        (ADD, "a row the rules missed"),
        (FORGET, "remove every decision about rows from the file"),
    ):
        sub = actions.add_parser(name, parents=[after], help=what)
        if name == CORRECT:
            sub.add_argument("id", metavar="ID")
            sub.add_argument("column", metavar="COLUMN")
            sub.add_argument("value", metavar="VALUE")
        elif name == ADD:
            sub.add_argument("table", metavar="TABLE")
            sub.add_argument("--field", action="append", default=[], metavar="COLUMN=VALUE", help="a column of the row")
        else:
            sub.add_argument("ids", nargs="+", metavar="ID")
        if name != FORGET:
            sub.add_argument("--reason", default="", help="why (required, but for accept)")
            sub.add_argument("--date", help="the day of the decision, YYYY-MM-DD (default: today)")


def _review_where(parser: argparse.ArgumentParser, *, sources, output, decisions=None) -> None:
    parser.add_argument("--sources", type=Path, default=sources, help="the sources folder (default: sources/sample)")
    parser.add_argument("--decisions", type=Path, default=decisions, help="default: SOURCES/decisions.csv")
    parser.add_argument("--output", type=Path, default=output, help="the published dataset (default: output)")


def _decisions_file(args: argparse.Namespace) -> Path:
    from .review import decisions_path

    return decisions_path(args.sources, args.decisions)


def _decisions_summary(args: argparse.Namespace, decisions: Path) -> None:
    """The decisions left stale by what was published: one warning each, every run (even --quiet) until
    they are updated or removed; then how many were applied."""
    from .review import decisions_summary

    warnings, line = decisions_summary(args.output, decisions)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if line:
        _say(args, line)


def cmd_diff(args: argparse.Namespace) -> int:
    from .diff import diff_editions

    if (args.old is None) != (args.new is None):
        raise HakushoError("give two editions (hakusho diff 2024 2025) or none (every consecutive pair)")
    writable_folder(args.output, "--output")
    written = diff_editions(args.output, args.old, args.new)
    for path in written:
        if not args.quiet:
            print(path)
    if not written:
        _say(args, f"diff: {args.output}/ holds one edition, nothing to compare; nothing written")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """The whole pipeline: layout, extract, dataset, diff (what ``make extract`` runs).

    Each stage runs only when its key changed (``pipeline/cache.py``) and says why, one line per stage
    (per edition for layout and extract). The dataset and the diff are published together, as one
    batch (``pipeline/publish.py``): OUTPUT holds the previous run's files or this run's, never a mix.
    """
    from .dataset import dataset_stage
    from .diff import diff_stage
    from .editions import find_editions
    from .extract import extract_edition
    from .package import publish_batch
    from .publish import Batch, recover

    editions = find_editions(args.sources)
    writable_folder(args.build, "--build")
    writable_folder(args.output, "--output")
    _check_sources(editions, args)
    recover(args.output)
    for edition in editions:
        _layout(edition, args)
        decision = extract_edition(
            args.build / edition.name, force=args.force, progress=_progress(args), jobs=args.jobs
        )
        _say(args, decision.line(f"extract {edition.name}"))
    decisions = _decisions_file(args)
    with Batch(args.output) as batch:
        years = [e.name for e in editions]
        decision, _ = dataset_stage(args.build, years, batch, force=args.force, decisions_file=decisions)
        _say(args, decision.line("dataset"))
        decision, _ = diff_stage(batch, force=args.force)
        _say(args, decision.line("diff"))
        publish_batch(batch)
    _decisions_summary(args, decisions)
    if not args.quiet:
        print(run_summary([edition.name for edition in editions], args.output))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from .review import run

    return run(args)


def run_summary(years: list[str], output: Path) -> str:
    """The last line of ``hakusho run``: what it left in OUTPUT, the newest report by name when there is one."""
    editions = f"{len(years)} edition{'' if len(years) == 1 else 's'}"
    if len(years) < 2:
        return f"{editions} → {output}/: the dataset; no diff, timeline or report (they compare two editions)"
    diffs = f"{len(years) - 1} diff{'' if len(years) == 2 else 's'}"
    report = output / "diff" / f"{years[-2]}-{years[-1]}" / "report.html"
    return f"{editions} → {output}/: the dataset, {diffs} and the timeline; report: {report}"


def cmd_fetch(args: argparse.Namespace) -> int:
    from .fetch import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hakusho",
        description="Defense White Paper (防衛白書) PDFs → provenance-carrying tables and a year-over-year diff.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="all stages on a sources folder (what `make extract` runs)")
    run.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="one sub-folder per edition year")
    run.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the dataset lands (default: output)")
    _decisions_option(run)
    _layout_options(run)
    _common(run)
    run.set_defaults(func=cmd_run)

    layout = sub.add_parser("layout", help="PDF pages → build/<edition>/blocks.jsonl")
    layout.add_argument(
        "path", type=Path, nargs="?", default=DEFAULT_SOURCES, help="a sources folder, an edition folder, or one PDF"
    )
    layout.add_argument("--page", type=int, help="with a PDF: only this page (1-based)")
    layout.add_argument("--debug-image", type=Path, help="with a PDF and --page: draw the blocks found over the page")
    _layout_options(layout)
    _common(layout)
    layout.set_defaults(func=cmd_layout)

    extract = sub.add_parser("extract", help="blocks → keywords, agreements, events, acronyms, review tables")
    _build_option(extract)
    _jobs_option(extract, "large editions")
    _common(extract)
    extract.set_defaults(func=cmd_extract)

    dataset = sub.add_parser("dataset", help="collect, validate and publish the tables (CSV, Parquet, datapackage)")
    _build_option(dataset)
    dataset.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the dataset lands")
    dataset.add_argument(
        "--sources", type=Path, default=DEFAULT_SOURCES, help="where the decisions file is (default: sources/sample)"
    )
    _decisions_option(dataset)
    _common(dataset)
    dataset.set_defaults(func=cmd_dataset)

    diff = sub.add_parser("diff", help="what changed between two editions (default: every consecutive pair)")
    diff.add_argument("old", nargs="?", help="the earlier edition year")
    diff.add_argument("new", nargs="?", help="the later edition year")
    diff.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the dataset folder (default: output)")
    _common(diff)
    diff.set_defaults(func=cmd_diff)

    review = sub.add_parser("review", help="what is left to review; accept, reject, correct or add rows")
    _review_options(review)
    review.set_defaults(func=cmd_review)

    fetch = sub.add_parser("fetch", help="download an edition's PDFs from the Ministry of Defense")
    from .fetch import add_arguments

    add_arguments(fetch)
    fetch.set_defaults(func=cmd_fetch)
    return parser


def main(argv: list[str] | None = None, *, exiting: bool = False) -> int:
    """Run the command of ``argv``; the exit status. ``exiting``: the process ends right after (``entry``)."""
    args = build_parser().parse_args(argv)
    pressed: list[float] = []

    def on_ctrl_c(signum, frame):
        # Remembered: Python drops the exception when it lands in a weakref callback. Raised again only if
        # the run is still going REPEAT_GRACE_S after the first press; a press while the first one is being
        # handled (workers stopped, temporaries removed) would only interrupt the cleanup.
        pressed.append(time.monotonic())
        if len(pressed) == 1 or pressed[-1] - pressed[0] > REPEAT_GRACE_S:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        code = args.func(args)
        return _interrupted() if pressed else code
    except HakushoError as exc:
        print(f"hakusho: error: {in_callers_words(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as exc:
        if _caused_by_ctrl_c(exc):  # libraries that wrap what they catch (frictionless's SchemaError)
            return _interrupted()
        raise
    finally:
        # When the process is about to exit, a late Ctrl-C must not print a traceback from the interpreter's
        # shutdown: ignore it. Called as a function (tests, other programs), put the handler back.
        signal.signal(signal.SIGINT, signal.SIG_IGN if exiting else previous)


def entry() -> None:
    """The ``hakusho`` command (and ``python -m pipeline``)."""
    try:
        code = main(exiting=True)
        sys.stdout.flush()
    except BrokenPipeError:  # what reads our output stopped early (hakusho review | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        code = 0
    sys.exit(code)


# make's variables for the options they set (the Makefile passes them to hakusho run).
MAKE_VARIABLES = {"--sources": "SOURCES", "--output": "OUTPUT", "--build": "BUILD", "--jobs": "JOBS"}


def in_callers_words(message: str) -> str:
    """The message with options named as the user gave them: ``--jobs 1`` under make is ``JOBS=1``.

    The Makefile sets ``HAKUSHO_MAKE_FLAGS`` to the name of its variable for other options
    (``HAKUSHO_FLAGS`` for ``make extract``, ``FETCH_FLAGS`` for ``make fetch``).
    """
    flags = os.environ.get("HAKUSHO_MAKE_FLAGS")
    if not flags:
        return message

    def make_words(match: re.Match) -> str:
        option, value = match.group("option"), match.group("value") or ""
        if option in MAKE_VARIABLES:
            return f"{MAKE_VARIABLES[option]}={value or '…'}"
        return f"{flags}={option}" + (f"={value}" if value else "")

    options = sorted(_option_names(), key=len, reverse=True)
    pattern = rf"(?<![\w-])(?P<option>{'|'.join(map(re.escape, options))})(?![\w-])(?:[ =](?P<value>\d+))?"
    return re.sub(pattern, make_words, message)


def _option_names() -> set[str]:
    """Every --option of every command (other programs' options in a message, qpdf's --pages, stay)."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices.values()
    return {
        name
        for command in commands
        for action in command._actions
        for name in action.option_strings
        if name.startswith("--")
    }


def _interrupted() -> int:
    print("hakusho: interrupted; files written before now are intact, nothing was half-written", file=sys.stderr)
    return 130


def _caused_by_ctrl_c(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
