"""Sources are checked before any work: a PDF that is not Japanese, that prints another edition than its
folder, or that sits under two years is an error; one that never prints 防衛白書 is a warning and a review
row. OUTPUT and BUILD are checked for writing before the first page is read. Messages use the words of the
interface the user called (make's variables under make)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_sample, hakusho_run, read_rows

from pipeline.cli import in_callers_words
from pipeline.identify import sample_pages

ENGLISH = (
    "The Ministry of Defense publishes this report every year to explain the security environment, "
    "defense policy and the activities of the Self-Defense Forces to the public and to other countries. "
)
JAPANESE = "わが国を取り巻く安全保障環境は一層厳しさを増しており、防衛力の抜本的な強化に取り組んでいる。"


def _pdf(path, lines: list[str], font: str = "Helvetica") -> None:
    """A plain PDF with ``lines`` on each of its 3 pages (reportlab: a dev dependency, no font file)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if font != "Helvetica":
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), invariant=1)
    for _ in range(3):
        canvas.setFont(font, 9)
        for i, line in enumerate(lines):
            canvas.drawString(40, 780 - 14 * i, line)
        canvas.showPage()
    canvas.save()


def test_an_english_pdf_is_not_an_edition(tmp_path, capsys):
    _pdf(tmp_path / "sources" / "2025" / "report.pdf", [ENGLISH[i : i + 90] for i in range(0, len(ENGLISH), 90)] * 4)
    code, err = hakusho_run(tmp_path, capsys)
    assert code == 1
    assert len(err) == 1 and "2025/report.pdf: its text is not Japanese" in err[0]
    assert not (tmp_path / "build" / "2025" / "blocks.jsonl").exists(), "refused before any page was laid out"


def test_a_pdf_of_another_edition_is_refused_unless_accepted(tmp_path, capsys):
    copy_sample(tmp_path / "sources", "2019")
    copy_sample(tmp_path / "sources", "2025", folder="2024")  # prints 令和7年版
    code, err = hakusho_run(tmp_path, capsys)
    assert code == 1
    assert len(err) == 1
    printed = "it prints 令和7年版, the edition of 2025, but it is in the folder of 2024"
    assert f"2024/part3-ch3-doshikoku.pdf: {printed}" in err[0]
    assert "--accept-mismatch" in err[0]
    assert not (tmp_path / "build" / "2019" / "blocks.jsonl").exists(), "nothing was read: the check comes first"
    code, err = hakusho_run(tmp_path, capsys, "--accept-mismatch")
    assert code == 0, err


def test_the_same_pdf_under_two_years_is_refused(tmp_path, capsys):
    copy_sample(tmp_path / "sources", "2025")
    copy_sample(tmp_path / "sources", "2025", folder="2024")
    code, err = hakusho_run(tmp_path, capsys, "--accept-mismatch")
    assert code == 1
    assert "2025/part3-ch3-doshikoku.pdf: same content as" in err[0] and "2024/part3-ch3-doshikoku.pdf" in err[0]


def test_a_japanese_pdf_without_white_paper_marks_is_a_warning_and_a_review_row(tmp_path, capsys):
    copy_sample(tmp_path / "sources", "2019")
    _pdf(tmp_path / "sources" / "2019" / "zz-other.pdf", [JAPANESE[:40], JAPANESE[40:]] * 5, font="HeiseiMin-W3")
    code, err = hakusho_run(tmp_path, capsys)
    assert code == 0
    assert err == ["warning: 2019/zz-other.pdf: no 防衛白書 in any running head or on the first page: is this the "
                   "white paper? (listed in review)"]  # fmt: skip
    rows = [row for row in read_rows(tmp_path / "output" / "review.csv") if row["table"] == "editions"]
    assert [(r["file"], r["page"], r["reason"]) for r in rows] == [
        ("zz-other.pdf", "1", "no 防衛白書 in any running head or on the first page: is this the white paper?")
    ]
    code, err = hakusho_run(tmp_path, capsys)  # a warm run says it again, from what it kept
    assert code == 0 and len(err) == 1


@pytest.mark.parametrize("which", ["--output", "--build"])
def test_an_output_that_is_a_file_is_refused_before_any_work(tmp_path, capsys, which):
    copy_sample(tmp_path / "sources", "2019")
    folder = {"--output": "output", "--build": "build"}[which]
    (tmp_path / folder).write_text("not a folder")
    code, err = hakusho_run(tmp_path, capsys)
    assert code == 1
    assert err == [f"hakusho: error: {tmp_path / folder}: is a file, not a folder; choose a folder for {which} "
                   "(it is created if missing)"]  # fmt: skip
    assert not (tmp_path / "build").is_dir() or not any((tmp_path / "build").rglob("blocks.jsonl"))


def test_an_output_that_cannot_be_created_is_refused_before_any_work(tmp_path, capsys):
    copy_sample(tmp_path / "sources", "2019")
    code, (err,) = hakusho_run(tmp_path, capsys, output=Path("/proc/hakusho/output"))
    assert code == 1
    assert err.startswith("hakusho: error: /proc/hakusho/output: cannot write here (")
    assert err.endswith("choose a writable folder for --output")
    assert not any((tmp_path / "build").rglob("blocks.jsonl"))


MAKE_WORDS = (
    ("run again with --jobs 1 to read it in one process", "run again with JOBS=1 to read it in one process"),
    ("choose a writable folder for --output", "choose a writable folder for OUTPUT=…"),
    ("raise --page-timeout or remove the page", "raise HAKUSHO_FLAGS=--page-timeout or remove the page"),
    ("or run again with --accept-mismatch", "or run again with HAKUSHO_FLAGS=--accept-mismatch"),
    ("(qpdf x.pdf --pages . 1,3-z -- out.pdf)", "(qpdf x.pdf --pages . 1,3-z -- out.pdf)"),  # not our option
)


@pytest.mark.parametrize(("message", "under_make"), MAKE_WORDS)
def test_messages_use_makes_words_under_make(monkeypatch, message, under_make):
    assert in_callers_words(message) == message
    monkeypatch.setenv("HAKUSHO_MAKE_FLAGS", "HAKUSHO_FLAGS")
    assert in_callers_words(message) == under_make


def test_a_few_pages_of_each_file_are_read():
    assert sample_pages(3) == [0, 1, 2]
    pages = sample_pages(550)
    assert pages[:6] == [0, 1, 2, 3, 4, 5] and len(pages) == 16 and pages[-1] > 500


def test_a_damaged_identification_cache_is_rewritten(tmp_path, capsys):
    """BUILD/<year>/sources.json is a cache: unreadable (here not UTF-8), it is made again, not a traceback."""
    copy_sample(tmp_path / "sources", "2019")
    assert hakusho_run(tmp_path, capsys)[0] == 0
    cache = tmp_path / "build" / "2019" / "sources.json"
    made = cache.read_bytes()
    cache.write_bytes(b"\xff\xfe not json")
    code, err = hakusho_run(tmp_path, capsys)
    assert code == 0, err
    assert cache.read_bytes() == made
