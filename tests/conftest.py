"""Shared fixtures: paths to the committed PDFs, and layouts computed once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sources" / "sample"
FIXTURE_PDFS = ROOT / "tests" / "fixtures" / "pdf"
GOLDEN = ROOT / "tests" / "golden"

sys.path.insert(0, str(Path(__file__).parent))  # tests/httpserver.py and friends


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
