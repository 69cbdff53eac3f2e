"""Character sources: the default pdfminer engine must give pdfplumber's records exactly; pypdfium2 the same facts."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_PDFS, SAMPLE, sample_pdf

from pipeline.errors import HakushoError
from pipeline.layout import DEFAULT_ENGINE, blocks_for_file, doc_stats, read_file
from pipeline.pdfsource import read_pages

BAD_FILES = {"empty.pdf", "encrypted.pdf", "not-a-pdf.pdf", "truncated.pdf"}
DAMAGED_PAGE = "damaged-page.pdf"  # pdfminer cannot read its page 2 (pdfium can)
EVERY_PDF = sorted(
    p for p in [*FIXTURE_PDFS.rglob("*.pdf"), *SAMPLE.rglob("*.pdf")] if p.name not in BAD_FILES | {DAMAGED_PAGE}
)


def _records(path, engine):
    return list(read_pages(path, engine=engine))


def test_the_default_engine_is_the_fast_reading_of_pdfminer():
    assert DEFAULT_ENGINE == "pdfminer"


@pytest.mark.parametrize("path", EVERY_PDF, ids=lambda p: p.name)
def test_pdfminer_engine_gives_pdfplumbers_records_exactly(path):
    """Every glyph (text, box to the last bit, size, font), frame and image count, on every PDF we have:
    Chromium and reportlab producers, CID and TrueType fonts, scanned pages, figures, shifted media boxes."""
    reference = _records(path, "pdfplumber")
    assert reference
    assert _records(path, "pdfminer") == reference


def test_the_engine_cases_fixture_exercises_what_the_pdfminer_engine_computes_itself():
    """Guard against a vacuous comparison above: the cases are really in the file."""
    (page,) = _records(FIXTURE_PDFS / "engine-cases.pdf", "pdfminer")
    text = "".join(g.text for g in page.glyphs)
    vertical = [g for g in page.glyphs if g.font == "HeiseiMin-W3"]  # the only font with vertical writing
    assert "".join(g.text for g in vertical) == "縦書きの文字"
    assert len({g.x0 for g in vertical}) == 1  # stacked in one column, top to bottom
    assert [g.top for g in vertical] == sorted(g.top for g in vertical)
    assert text.count("フォームの中の文字") == 2  # the form XObject drawn twice
    assert "回転した文字" not in text and "斜体" not in text  # not upright: pdfplumber leaves them out too
    assert "risen" in text and "拡大" in text
    assert page.image_count == 2  # an XObject image and an inline image
    assert {f.shape for f in page.frames} == {"rect", "curve"}
    assert sum(f.shape == "rect" for f in page.frames) == 4  # two drawn, one in each drawing of the form


def test_a_media_box_off_the_origin_gives_the_same_boxes_as_one_at_the_origin():
    """pdfplumber measures from the media box's corner; page 1 is the same content on a box at (0, 0)."""
    for engine in ("pdfplumber", "pdfminer"):
        first, shifted, rotated = _records(FIXTURE_PDFS / "engine-media-box.pdf", engine)
        for ours, control in [
            *zip(shifted.glyphs, first.glyphs, strict=True),
            *zip(shifted.frames, first.frames, strict=True),
        ]:
            box, control_box = (
                (ours.x0, ours.top, ours.x1, ours.bottom),
                (control.x0, control.top, control.x1, control.bottom),
            )
            assert box == pytest.approx(control_box, abs=1e-9)
        assert first.glyphs[0].text == "J" and first.glyphs[0].x0 == 60.0
        assert (rotated.width, rotated.height) == (first.height, first.width)


@pytest.mark.parametrize("fixture", sorted(BAD_FILES))
def test_every_engine_refuses_a_bad_file_with_the_same_message(fixture):
    messages = set()
    for engine in ("pdfminer", "pdfplumber", "pypdfium2"):
        with pytest.raises(HakushoError) as error:
            read_file(FIXTURE_PDFS / fixture, jobs=1, progress=False, page_timeout=0, engine=engine)
        messages.add(str(error.value).split(" (")[0])
    assert len(messages) == 1


def test_pdfminer_and_pdfplumber_fail_on_the_same_damaged_page():
    messages = set()
    for engine in ("pdfminer", "pdfplumber"):
        with pytest.raises(HakushoError) as error:
            _records(FIXTURE_PDFS / DAMAGED_PAGE, engine)
        messages.add(str(error.value).split(" (")[0])
    assert messages == {f"{FIXTURE_PDFS / DAMAGED_PAGE}: page 2: cannot be read"}


@pytest.mark.parametrize(
    "pdf", [sample_pdf("2025"), FIXTURE_PDFS / "layout-synthetic-2025.pdf"], ids=["chromium", "reportlab"]
)
def test_pypdfium2_engine_gives_the_same_facts(pdf):
    """pypdfium2 is not the default (its blocks differ in spaces and box edges), but on the seed chapter
    it must give the same keywords and partner rows as the reference engine."""
    from pipeline.extract import extract_blocks

    tables = {}
    for engine in ("pdfplumber", "pypdfium2"):
        pages = read_file(pdf, jobs=1, progress=False, page_timeout=0, engine=engine)
        tables[engine] = extract_blocks("2025", blocks_for_file(pages, "", pdf.name, doc_stats(pages)), [])
    for table in ("keywords", "agreements"):
        assert tables["pypdfium2"].rows[table] == tables["pdfplumber"].rows[table]


def test_the_type3_fixture_has_type3_text_and_a_rotated_label():
    path = FIXTURE_PDFS / "engine-type3.pdf"
    assert b"/Subtype /Type3" in path.read_bytes() and b"/TrueType" not in path.read_bytes()
    (page,) = _records(path, "pdfminer")
    assert "Acquisition and Cross-Servicing Agreement" in "".join(g.text for g in page.glyphs)
    assert page.sideways == len("ACSA partners")
