"""Shared fixtures: paths to the committed PDFs, and layouts computed once per session."""

from __future__ import annotations

import os
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
