"""Shared fixtures: paths to the committed PDFs, layouts computed once per session, and the helpers of the
end-to-end tests (a sources folder, a run, the rows and files it leaves)."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Timing is for `make bench`, not tests: no per-example deadline (the first example loads spaCy), and
# CI runs the same examples every time so a failure there can be reproduced.
settings.register_profile("hakusho", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("hakusho"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "hakusho")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sources" / "sample"
FIXTURE_PDFS = ROOT / "tests" / "fixtures" / "pdf"
GOLDEN = ROOT / "tests" / "golden"

sys.path.insert(0, str(Path(__file__).parent))  # tests/httpserver.py and friends


# The seed chapter's three KEY WORD boxes (2025 edition, 第III部第3章), as the issue states them:
# (agreement, abbr) → [(iso3, status)] in the order the box lists them.
SEED_AGREEMENTS = {
    ("円滑化協定", "RAA"): [("AUS", "concluded"), ("GBR", "concluded"), ("PHL", "signed")],
    ("物品役務相互提供協定", "ACSA"): [(c, "concluded") for c in ("USA", "AUS", "GBR", "CAN", "FRA", "IND", "DEU")]
    + [("ITA", "signed")],
    ("防衛装備品・技術移転協定", ""): [
        (c, "concluded") for c in "USA GBR AUS IND PHL FRA DEU MYS ITA IDN VNM THA SWE SGP ARE MNG".split()
    ],
}
SEED_NOTES = {"USA": "対米武器・武器技術供与取極", "GBR": "日英武器・武器技術移転協定"}


def sample_pdf(year: str) -> Path:
    """The one PDF of a bundled sample edition (third-party rendered, from ../shared/fixtures)."""
    (pdf,) = sorted((SAMPLE / year).glob("*.pdf"))
    return pdf


_blocks_cache: dict[Path, list[dict]] = {}


def blocks_of(pdf: Path) -> list[dict]:
    """Blocks of one PDF, as the layout stage writes them (cached for the session)."""
    if pdf not in _blocks_cache:
        from pipeline.layout import blocks_for_file, doc_stats, read_file

        pages = read_file(pdf, jobs=1, progress=False, page_timeout=0)
        _blocks_cache[pdf] = blocks_for_file(pages, "", pdf.name, doc_stats(pages))
    return _blocks_cache[pdf]


@pytest.fixture(scope="session")
def blocks():
    return blocks_of


# --- sources, runs and what they leave: shared by the tests of the whole pipeline ----------------------------


def copy_sample(sources: Path, year: str, folder: str | None = None) -> Path:
    """Copy the sample edition ``year`` (its PDF) into ``sources/<folder or year>/``; ``sources``."""
    target = sources / (folder or year)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample_pdf(year), target)
    return sources


def run_args(sources: Path, build: Path, output: Path, *extra: str, quiet: bool = True) -> list[str]:
    """The arguments of ``hakusho run`` on ``sources`` in one process (``--jobs 1``), quiet unless told not to."""
    paths = ["--sources", str(sources), "--build", str(build), "--output", str(output)]
    return ["run", *paths, *(["--quiet"] if quiet else []), "--jobs", "1", *extra]


def hakusho_run(root: Path, capsys, *extra: str, sources: Path | None = None, output: Path | None = None):
    """``hakusho run`` in this process, from ``root/sources`` (or ``sources``) into ``root/build`` and
    ``root/output`` (or ``output``): (its exit status, the lines it wrote on stderr)."""
    from pipeline.cli import main

    code = main(run_args(sources or root / "sources", root / "build", output or root / "output", *extra))
    return code, capsys.readouterr().err.strip().splitlines()


def make_extract(sources: Path | None, output: Path, build: Path, *variables: str) -> subprocess.CompletedProcess:
    """``make extract`` as a user runs it (``sources`` None: make's default, the sample editions), with more of
    make's ``variables`` (``JOBS=1``, ``HAKUSHO_FLAGS=…``)."""
    where = ([f"SOURCES={sources}"] if sources else []) + [f"OUTPUT={output}", f"BUILD={build}"]
    command = ["make", "-s", "extract", *where, *variables]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV hakusho wrote, as Python's csv module reads them (every value a string)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (its path relative to it, with /) and its bytes: a snapshot to compare."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
