"""The whole pipeline end to end: `make extract` on the seed edition, determinism, parallel reading."""

from __future__ import annotations

import base64
import subprocess

import pytest
from conftest import (
    FIXTURE_PDFS,
    ROOT,
    SAMPLE,
    SEED_AGREEMENTS,
    SEED_NOTES,
    copy_sample,
    files_in,
    make_extract,
    read_rows,
    run_args,
)

from pipeline.cli import main
from pipeline.layout import blocks_for_file, doc_stats, read_file


@pytest.mark.slow
def test_make_extract_gives_the_seed_rows(tmp_path):
    """The acceptance check of the KEY WORD issue, through `make extract` as a user runs it."""
    sources = copy_sample(tmp_path / "sources", "2025")
    run = make_extract(sources, tmp_path / "out", tmp_path / "build", "HAKUSHO_FLAGS=--quiet")
    assert run.returncode == 0, run.stderr
    rows = read_rows(tmp_path / "out" / "agreements.csv")
    got: dict = {}
    for row in rows:
        got.setdefault((row["agreement"], row["abbr"]), []).append((row["iso3"], row["status"]))
        assert (row["edition"], row["as_of"], row["page"]) == ("2025", "2025-04", "1")
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in SEED_AGREEMENTS.items()}
    notes = {(r["agreement"], r["iso3"]): r["note"] for r in rows if r["note"]}
    assert notes == {("防衛装備品・技術移転協定", iso3): note for iso3, note in SEED_NOTES.items()}
    assert [k["term"] for k in read_rows(tmp_path / "out" / "keywords.csv")] == [
        "円滑化協定",
        "物品役務相互提供協定",
        "防衛装備品・技術移転協定",
    ]


@pytest.mark.slow
def test_same_inputs_give_byte_identical_outputs(tmp_path):
    assert main(run_args(SAMPLE, tmp_path / "b1", tmp_path / "o1")) == 0
    assert main(run_args(SAMPLE, tmp_path / "b2", tmp_path / "o2")) == 0
    first, second = files_in(tmp_path / "o1"), files_in(tmp_path / "o2")
    assert first == second
    assert any(name.endswith(".parquet") for name in first)
    assert files_in(tmp_path / "b1") == files_in(tmp_path / "b2")


def test_rerun_with_nothing_changed_reads_nothing(tmp_path, monkeypatch):
    args = run_args(SAMPLE, tmp_path / "b", tmp_path / "o")
    assert main(args) == 0
    import pipeline.dataset as dataset
    import pipeline.diff as diff
    import pipeline.extract as extract
    import pipeline.layout as layout
    import pipeline.publish as publish

    def must_not_run(*a, **k):
        raise AssertionError("work was redone although nothing changed")

    with monkeypatch.context() as patch:
        for module, name in (
            (layout, "read_file"),
            (extract, "extract_blocks"),
            (dataset, "stage_dataset"),
            (diff, "stage_diff"),
            (publish, "_move"),
        ):
            patch.setattr(module, name, must_not_run)
        before = files_in(tmp_path / "o")
        assert main(args) == 0
        assert files_in(tmp_path / "o") == before

    # a changed table (here: one edition's extraction redone by hand) publishes again
    table = tmp_path / "b" / "2025" / "tables" / "review.csv"
    table.write_text(table.read_text(encoding="utf-8") + "2025,pages,no_text,x.pdf,9,,by hand\n", encoding="utf-8")
    assert main(args) == 0
    assert "by hand" in (tmp_path / "o" / "review.csv").read_text(encoding="utf-8")


def test_run_says_why_each_stage_runs_or_is_skipped(tmp_path, capsys):
    sources = copy_sample(copy_sample(tmp_path / "sources", "2016"), "2017")
    args = run_args(sources, tmp_path / "b", tmp_path / "o", quiet=False)
    assert main(args) == 0
    stages = ["layout 2016", "extract 2016", "layout 2017", "extract 2017", "dataset", "diff"]
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"{stage}: run, no earlier result" for stage in stages]
    report = tmp_path / "o" / "diff" / "2016-2017" / "report.html"
    assert out == f"2 editions → {tmp_path / 'o'}/: the dataset, 1 diff and the timeline; report: {report}\n"
    assert report.is_file()
    assert main(args) == 0
    assert capsys.readouterr().err.splitlines() == [f"{stage}: skipped, nothing changed" for stage in stages]
    assert main(args + ["--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(args + ["--engine", "pypdfium2"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "layout 2016: re-run, engine pdfminer → pypdfium2"
    assert lines[1] == "extract 2016: re-run, blocks.jsonl changed"  # this engine's blocks differ a little


def test_a_one_edition_run_says_what_it_wrote(tmp_path, capsys):
    """It writes the dataset and no diff: it says so, and names no report folder it did not write."""
    output = tmp_path / "o"
    args = run_args(copy_sample(tmp_path / "sources", "2017"), tmp_path / "b", output, quiet=False)
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out == f"1 edition → {output}/: the dataset; no diff, timeline or report (they compare two editions)\n"
    assert err.splitlines()[-1] == "diff: nothing to compare, 1 edition"
    assert not (output / "diff").exists() and not (output / "agreement_timeline.csv").exists()
    assert main(["diff", "--output", str(output)]) == 0
    assert capsys.readouterr() == ("", f"diff: {output}/ holds one edition, nothing to compare; nothing written\n")


def test_worker_processes_give_the_same_blocks_as_one_process():
    pdf = FIXTURE_PDFS / "layout-synthetic-2025.pdf"
    single = read_file(pdf, jobs=1, progress=False, page_timeout=0)
    parallel = read_file(pdf, jobs=2, progress=False, page_timeout=0, min_parallel_pages=1, pages_per_task=1)
    assert blocks_for_file(parallel, "", pdf.name, doc_stats(parallel)) == blocks_for_file(
        single, "", pdf.name, doc_stats(single)
    )


def test_progress_bar_is_off_when_not_a_terminal(tmp_path, capsys):
    args = ["layout", str(SAMPLE), "--build", str(tmp_path / "b"), "--jobs", "1"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "page/s" not in captured.err and "%|" not in captured.err
    assert captured.out.splitlines()[0].endswith("2016/blocks.jsonl")


def test_pages_are_closed_after_use(monkeypatch):
    """Memory stays flat only if every page is closed once its glyphs are copied out."""
    import pdfplumber.page

    closed = []
    original = pdfplumber.page.Page.close
    monkeypatch.setattr(pdfplumber.page.Page, "close", lambda self: (closed.append(self.page_number), original(self)))
    read_file(FIXTURE_PDFS / "layout-synthetic-2025.pdf", jobs=1, progress=False, page_timeout=0)
    assert closed[:3] == [1, 2, 3]  # each page closed as soon as it is read (pdf.close() may close again)


def test_debug_image_is_drawn(tmp_path):
    from PIL import Image

    out = tmp_path / "page2.png"
    assert (
        main(
            ["layout", str(FIXTURE_PDFS / "layout-synthetic-2025.pdf"), "--page", "2", "--debug-image", str(out), "-q"]
        )
        == 0
    )
    image = Image.open(out).convert("RGB")
    assert image.size[0] > 700
    box_colour = (220, 110, 0)
    assert sum(1 for pixel in image.get_flattened_data() if pixel == box_colour) > 500  # the spanning box's frame


def test_worker_processes_give_the_same_tables_as_one_process():
    """Runs of blocks cut before headings are extracted in workers; rows are merged in reading order."""
    from pipeline.extract import extract_blocks

    years = ("2016", "2019", "2023", "2025")
    blocks = [b for year in years for b in blocks_of_sample(year)]
    single = extract_blocks("2099", blocks, [], jobs=1, blocks_per_task=3)
    parallel = extract_blocks("2099", blocks, [], jobs=2, blocks_per_task=3)
    assert parallel.rows == single.rows
    assert len(single.rows["agreement_events"]) > 10 and len(single.rows["agreements"]) == 27
    # country lists and mentions are scanned in the runs and assembled for the whole edition
    assert single.rows["country_lists"] and single.rows["country_mentions"]
    one_run = extract_blocks("2099", blocks, [], jobs=1, blocks_per_task=len(blocks))
    assert one_run.rows == single.rows  # acronyms: first definition per edition, not per run
    per_year = [{row["abbr"] for row in extract_blocks(y, blocks_of_sample(y), []).rows["acronyms"]} for y in years]
    assert set.intersection(*per_year[2:]), "an abbreviation defined in two runs, kept once"


def blocks_of_sample(year):
    from conftest import blocks_of, sample_pdf

    return blocks_of(sample_pdf(year))


def test_a_worker_that_cannot_read_the_file_is_a_clear_error(tmp_path):
    """A worker dying (out of memory, a crash, the file gone) ends the run with one line, not a traceback."""
    from pipeline.errors import HakushoError
    from pipeline.layout import _read_in_workers
    from pipeline.pdfsource import Document

    with Document(FIXTURE_PDFS / "layout-synthetic-2025.pdf") as document:
        document.path = tmp_path / "gone.pdf"  # what the workers will try to open
        with pytest.raises(HakushoError, match=r"gone\.pdf: a worker process stopped .* --jobs 1"):
            _read_in_workers(document, 2, 0, 1, bar=None)


class _KillsTheWorker:
    """Unpickled in a worker process, ends it at once (as the out-of-memory killer would)."""

    def __reduce__(self):
        import os

        return (os._exit, (1,))


def test_an_extract_worker_that_dies_is_a_clear_error():
    from pipeline.errors import HakushoError
    from pipeline.extract import extract_blocks

    blocks = [b for year in ("2016", "2019", "2023", "2025") for b in blocks_of_sample(year)]  # several runs
    blocks[-1] = {**blocks[-1], "poison": _KillsTheWorker()}
    with pytest.raises(HakushoError, match=r"edition 2099: a worker process stopped .* --jobs 1"):
        extract_blocks("2099", blocks, [], jobs=2, blocks_per_task=3)


@pytest.mark.slow
def test_make_extract_on_the_sample_editions_gives_country_lists_and_mentions(tmp_path):
    """`make extract` on the bundled sample editions writes both tables, per edition and published."""
    run = make_extract(None, tmp_path / "out", tmp_path / "build", "HAKUSHO_FLAGS=--quiet")
    assert run.returncode == 0, run.stderr
    for year in ("2016", "2017", "2019", "2023", "2025"):
        for table in ("country_lists", "country_mentions"):
            assert (tmp_path / "build" / year / "tables" / f"{table}.csv").is_file()
    lists = read_rows(tmp_path / "out" / "country_lists.csv")
    acsa = [(r["subject"], r["role"], r["country"], r["iso3"]) for r in lists if r["edition"] == "2019"]
    assert acsa == [
        ("物品役務相互提供協定", "作成", "オーストラリア", "AUS"),
        ("物品役務相互提供協定", "作成", "カナダ", "CAN"),
        ("物品役務相互提供協定", "作成", "フランス", "FRA"),
        ("物品役務相互提供協定", "作成", "英国", "GBR"),
    ]
    foip = {r["iso3"] for r in lists if r["edition"] == "2025" and r["subject"] == "FOIP"}
    assert foip == {"USA", "AUS", "IND", "GBR", "FRA", "DEU", "ITA", "CAN", "NZL"}
    mentions = read_rows(tmp_path / "out" / "country_mentions.csv")
    assert {r["edition"] for r in mentions} == {"2016", "2017", "2019", "2023", "2025"}
    chapter = "4 新たな日米物品役務相互提供協定(ACSA)などの締結"
    counts = {r["party"]: int(r["mentions"]) for r in mentions if r["edition"] == "2019" and r["chapter"] == chapter}
    assert {party: counts[party] for party in ("カナダ", "フランス", "英国", "オーストラリア")} == {
        "カナダ": 2,  # カナダ及びフランス, 日加ACSA
        "フランス": 2,  # カナダ及びフランス, 日仏ACSA
        "英国": 1,
        "オーストラリア": 1,
    }
    package = (tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8")
    assert '"country_lists"' in package and '"country_mentions"' in package and '"mention_shares"' in package
    # the diff: each edition's shares (Japan left out), and their chart embedded in every report
    rows = read_rows(tmp_path / "out" / "mention_shares.csv")
    shares = {(r["edition"], r["party"]): r["share_percent"] for r in rows}
    assert shares[("2019", "米国")] == "62.5" and ("2019", "日本") not in shares  # 10 of the 16 mentions of 2019
    chart = (tmp_path / "out" / "diff" / "mention_shares_by_edition.png").read_bytes()
    assert chart.startswith(b"\x89PNG") and (tmp_path / "out" / "diff" / "mention_shares_by_edition.svg").is_file()
    for pair in ("2016-2017", "2017-2019", "2019-2023", "2023-2025"):
        report = (tmp_path / "out" / "diff" / pair / "report.html").read_text(encoding="utf-8")
        assert f'src="data:image/png;base64,{base64.b64encode(chart).decode("ascii")}"' in report, pair
        assert "Share moved most" in report


def test_the_command_line_is_parsed_without_loading_the_table_libraries():
    """Every command builds the whole parser first (hakusho fetch, hakusho layout x.pdf, --help): it must not
    import pandas or pyarrow (half a second and 100 MB), which only the stages that read tables need."""
    import sys

    code = "import sys; from pipeline.cli import build_parser; build_parser(); print(*sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert {"pipeline.cli", "argparse"} <= set(done.stdout.split())
    assert not {"pandas", "pyarrow"} & set(done.stdout.split())
