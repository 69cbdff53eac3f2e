"""Bad input everywhere: a one-line error naming the file (and page) and what to do, exit status 1,
and nothing already written lost or half-written."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURE_PDFS, SAMPLE, files_in, hakusho_run
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import rowids
from pipeline.cli import main
from pipeline.errors import HakushoError
from pipeline.files import atomic_open, write_text
from pipeline.partners import looks_like_list, parse_list


def _sources(tmp_path, files: dict[str, str]):
    """A sources folder whose files are copies of fixture PDFs: {"2025/x.pdf": "empty.pdf"}."""
    root = tmp_path / "sources"
    for target, fixture in files.items():
        path = root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        if fixture is None:
            path.mkdir(exist_ok=True)
        else:
            shutil.copy(FIXTURE_PDFS / fixture if "/" not in fixture else SAMPLE / fixture, path)
    return root


BAD_FILES = (
    ("not-a-pdf.pdf", "an HTML page, not a PDF; download the edition again"),
    ("empty.pdf", "empty file (0 bytes); download it again"),
    ("truncated.pdf", "damaged or truncated PDF (the file ends before the PDF does: it was cut short)"),
    ("encrypted.pdf", "encrypted PDF (needs a password)"),
    ("scanned.pdf", "page 1: no text layer (a scanned image?)); OCR is needed"),
    ("cid-font.pdf", "unmapped (cid:NN) glyphs); OCR is needed"),
    (
        "damaged-page.pdf",
        "page 2: cannot be read (its structure cannot be read); the file may be damaged: download it again, "
        "or leave the page out (qpdf bad.pdf --pages . 1,3-z -- without-page-2.pdf)",
    ),
)


@pytest.mark.parametrize(("fixture", "message"), BAD_FILES)
def test_bad_pdf_is_a_one_line_error_and_earlier_output_survives(tmp_path, capsys, fixture, message):
    good = _sources(tmp_path, {"2025/part3.pdf": "2025/part3-ch3-doshikoku.pdf"})
    assert hakusho_run(tmp_path, capsys, sources=good)[0] == 0
    before = files_in(tmp_path / "output")
    bad = _sources(tmp_path / "second", {"2025/bad.pdf": fixture})
    code, err = hakusho_run(tmp_path, capsys, sources=bad)
    assert code == 1
    assert len(err) == 1 and err[0].startswith("hakusho: error: ")
    assert "bad.pdf" in err[0] and message in err[0]
    after = files_in(tmp_path / "output")
    assert after == before
    assert not [p for p in (tmp_path / "output").rglob("*.tmp")]


def test_mixed_scanned_pages_are_warned_and_listed_for_review(tmp_path, capsys):
    sources = _sources(tmp_path, {"2025/mixed.pdf": "mixed-scanned.pdf"})
    code, err = hakusho_run(tmp_path, capsys, sources=sources)
    assert code == 0
    assert any("mixed.pdf: page 2: no text layer" in line for line in err)
    review = (tmp_path / "output" / "review.csv").read_text(encoding="utf-8")
    assert "2025,pages,no_text,mixed.pdf,2," in review


def test_a_page_of_rotated_text_is_warned_and_listed_not_taken_for_blank(tmp_path, capsys):
    """Rotated characters are left out (as pdfplumber does); a page that only has those is not blank."""
    sources = _sources(
        tmp_path, {"2025/book.pdf": "layout-synthetic-2025.pdf", "2025/turned.pdf": "engine-media-box.pdf"}
    )
    code, err = hakusho_run(tmp_path, capsys, sources=sources)
    assert code == 0
    (warning,) = [line for line in err if "turned.pdf: page 3" in line]
    assert "all its text is rotated (74 characters)" in warning
    assert warning.endswith("(qpdf turned.pdf upright.pdf --rotate=+90:3, or -90)")
    review = (tmp_path / "output" / "review.csv").read_text(encoding="utf-8")
    assert "2025,pages,rotated,turned.pdf,3," in review
    assert "turned.pdf,1," not in review  # the upright pages are read


SOURCE_LAYOUTS = (
    ({"R07zenpen.pdf": "2025/part3-ch3-doshikoku.pdf"}, "not an edition folder; put each edition's PDFs in"),
    ({"2025-draft/a.pdf": "2025/part3-ch3-doshikoku.pdf"}, "edition folder name is not a year; rename it"),
    ({"2025": None}, "empty edition folder"),
    (
        {"2025/a.pdf": "2025/part3-ch3-doshikoku.pdf", "2025/b.pdf": "2025/part3-ch3-doshikoku.pdf"},
        "b.pdf: same content as a.pdf; remove one of the two copies",
    ),
)


@pytest.mark.parametrize(("layout", "message"), SOURCE_LAYOUTS)
def test_sources_folder_mistakes(tmp_path, capsys, layout, message):
    code, err = hakusho_run(tmp_path, capsys, sources=_sources(tmp_path, layout))
    assert code == 1 and len(err) == 1
    assert message in err[0]
    assert not (tmp_path / "output").exists()


def test_non_pdf_in_edition_folder(tmp_path, capsys):
    sources = _sources(tmp_path, {"2025/a.pdf": "2025/part3-ch3-doshikoku.pdf"})
    (sources / "2025" / "notes.txt").write_text("x")
    code, err = hakusho_run(tmp_path, capsys, sources=sources)
    assert code == 1 and "notes.txt: not a PDF" in err[0]


def test_the_decisions_file_belongs_in_sources_not_in_an_edition_folder(tmp_path):
    from pipeline.editions import find_editions

    sources = _sources(tmp_path, {"2025/a.pdf": "2025/part3-ch3-doshikoku.pdf"})
    (sources / "decisions.csv").write_text("table,row_id\n", encoding="utf-8")
    assert [edition.name for edition in find_editions(sources)] == ["2025"]
    (sources / "2025" / "decisions.csv").write_text("table,row_id\n", encoding="utf-8")
    with pytest.raises(HakushoError, match="2025/decisions.csv: not a PDF"):
        find_editions(sources)


def test_missing_sources_folder(tmp_path, capsys):
    code, err = hakusho_run(tmp_path, capsys, sources=tmp_path / "nowhere")
    assert code == 1 and "nowhere: no such folder" in err[0]


def test_output_directory_that_cannot_be_written(tmp_path, capsys):
    sources = _sources(tmp_path, {"2025/a.pdf": "2025/part3-ch3-doshikoku.pdf"})
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, err = hakusho_run(tmp_path, capsys, sources=sources, output=blocker / "out")
    assert code == 1 and len(err) == 1 and str(blocker) in err[0]


def test_pathologically_slow_page_hits_the_time_limit(tmp_path, capsys, monkeypatch):
    """Page 2 is made to take 5 s (in pure Python, where the alarm is delivered); the limit is 0.3 s."""
    import time

    import pipeline.layout as layout

    real = layout.read_page_lines

    def slow_on_page_2(raw):
        if raw.number == 2:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass
        return real(raw)

    monkeypatch.setattr(layout, "read_page_lines", slow_on_page_2)
    started = time.monotonic()
    code = main(["layout", str(FIXTURE_PDFS / "layout-synthetic-2025.pdf"), "--page-timeout", "0.3", "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "layout-synthetic-2025.pdf: page 2: took longer than 0.3 s to read" in err
    assert "--page-timeout" in err
    assert time.monotonic() - started < 4, "the limit stopped the page, it did not wait for it"


def test_interrupted_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "agreements.csv"
    write_text(target, "old\n")
    with pytest.raises(KeyboardInterrupt), atomic_open(target) as handle:
        handle.write("new, half")
        raise KeyboardInterrupt
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["agreements.csv"]


def test_keyboard_interrupt_exits_130(monkeypatch, capsys):
    import pipeline.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_layout", interrupted)
    assert main(["layout", "x"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_debug_image_needs_a_page(capsys):
    assert main(["layout", str(FIXTURE_PDFS / "letterspaced-latin.pdf"), "--debug-image", "x.png"]) == 1
    assert "--debug-image needs --page N" in capsys.readouterr().err


@pytest.mark.parametrize("page", ["9", "0", "-1"])
def test_a_page_the_file_does_not_have_is_an_error_naming_the_page_count(capsys, page):
    """Page 0 too: it is not "no page given" (which prints every page)."""
    pdf = FIXTURE_PDFS / "layout-synthetic-2025.pdf"
    assert main(["layout", str(pdf), "--page", page]) == 1
    assert capsys.readouterr().err.strip() == (
        f"hakusho: error: {pdf}: page {page} does not exist (the file has 3 pages)"
    )


def test_blocks_of_one_pdf_in_a_year_folder_carry_its_edition(tmp_path, capsys):
    import json

    for folder, edition in (("2019", "2019"), ("drafts", "")):
        pdf = tmp_path / folder / "acsa.pdf"
        pdf.parent.mkdir()
        pdf.write_bytes((SAMPLE / "2019" / "acsa-n25304000.pdf").read_bytes())
        assert main(["layout", str(pdf), "--page", "1", "--jobs", "1"]) == 0
        blocks = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert blocks and {b["edition"] for b in blocks} == {edition}


def test_errors_are_hakusho_errors_not_tracebacks():
    from pipeline.pdfsource import check_pdf_file

    with pytest.raises(HakushoError, match="empty file"):
        check_pdf_file(FIXTURE_PDFS / "empty.pdf")


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("2025年4月現在、米国英国との間で締結署名されている。(※とは)ＵＡＥ及びおよび ")),
        max_size=80,
    )
)
def test_rule_layer_never_crashes_on_random_list_like_text(text):
    looks_like_list(text)
    parsed = parse_list(text)
    assert all(row.status for row in parsed.rows)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_rule_layer_never_crashes_on_arbitrary_text(text):
    looks_like_list(text)
    parse_list(text)


def test_outputs_are_ordinary_files_not_private_temporaries(tmp_path):
    import os
    import stat

    target = tmp_path / "table.csv"
    write_text(target, "x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_ctrl_c_wrapped_by_a_library_is_still_an_interruption(monkeypatch, capsys):
    """frictionless turns a KeyboardInterrupt raised while it builds a schema into its own SchemaError."""
    import pipeline.cli as cli

    def wrapped(args):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error building validator") from exc

    monkeypatch.setattr(cli, "cmd_diff", wrapped)
    assert cli.main(["diff"]) == 130
    assert capsys.readouterr().err.strip().endswith("nothing was half-written")


def test_other_errors_are_not_mistaken_for_ctrl_c(monkeypatch):
    import pipeline.cli as cli

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "cmd_diff", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["diff"])


def test_an_edition_whose_pdfs_do_not_print_its_title_gets_the_title_of_its_year(tmp_path, capsys):
    """A chapter file without running heads (no 令和7年版 on any page): the dataset still publishes."""
    sources = _sources(tmp_path, {"2025/chapter.pdf": "engine-media-box.pdf"})
    code, _ = hakusho_run(tmp_path, capsys, sources=sources)
    assert code == 0
    editions = (tmp_path / "output" / "editions.csv").read_text(encoding="utf-8").splitlines()
    assert editions[1].startswith(rowids.digest("editions", "2025") + ",2025,令和7年版,3,chapter.pdf:")


def test_ctrl_c_that_something_swallowed_still_ends_as_an_interruption(monkeypatch, capsys):
    """CPython drops a KeyboardInterrupt raised inside a weakref callback (seen during an import); the run
    then finishes, but the user did press Ctrl-C: the exit status says so."""
    import os
    import signal

    import pipeline.cli as cli

    def swallowed(args):
        try:
            os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:
            pass  # as the interpreter does in a callback
        return 0

    monkeypatch.setattr(cli, "cmd_diff", swallowed)
    assert cli.main(["diff"]) == 130
    assert capsys.readouterr().err.strip().endswith("nothing was half-written")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


def test_output_cut_short_by_its_reader_is_not_an_error(tmp_path):
    """`hakusho layout x.pdf | head -1`: the reader goes away after one line; no BrokenPipe traceback."""
    import subprocess
    import sys

    from conftest import ROOT

    pdf = FIXTURE_PDFS / "layout-synthetic-2025.pdf"
    command = f"{sys.executable} -m pipeline layout {pdf} --jobs 1 --quiet | head -c 10"
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], cwd=ROOT, capture_output=True, text=True)
    assert done.stderr == "" and done.returncode == 0
    assert len(done.stdout) == 10
