"""Ctrl-C pressed several times, while worker processes read pages or extract tables, or while the dataset is
published: the run always ends (exit 130, one line, no traceback), and every file is the old one or complete.

A terminal sends SIGINT to the whole foreground process group, workers included; so do these tests. They
wait for a place in the run (a worker process exists; a given file was rewritten), not for a time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from pipeline.publish import STAGING_PREFIX

# Every edition read and extracted in worker processes, however small: pages one by one, runs of 2 blocks.
SMALL_TASKS = (
    "import functools, pipeline.layout as L, pipeline.extract as E;"
    "L.read_file = functools.partial(L.read_file, min_parallel_pages=1, pages_per_task=1);"
    "E.extract_blocks = functools.partial(E.extract_blocks, blocks_per_task=2);"
    "from pipeline.cli import entry; entry()"
)
EDITIONS = ("2016", "2023")  # several headings each: extracted in several runs, so in workers
INTERRUPTED = "hakusho: interrupted; files written before now are intact, nothing was half-written"
# Seconds after which a run that has not ended is a hang (it ends in about one when it works).
HANG_S = 60


def _working(pid: int) -> bool:
    """Whether the process has a worker process running and is not starting one just now.

    While a worker starts, the main process ignores SIGINT for a few milliseconds (pipeline/workers.py):
    a press then is lost, by design. Linux /proc tells both.
    """
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        workers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        ignored = next(
            line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("SigIgn")
        )
    except (FileNotFoundError, ProcessLookupError):
        return False
    return bool(workers) and not int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1))


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A sources folder and the BUILD and OUTPUT of a complete run on it."""
    root = tmp_path_factory.mktemp("interrupts")
    for year in EDITIONS:
        (root / "src" / year).mkdir(parents=True)
        for pdf in (SAMPLE / year).glob("*.pdf"):
            (root / "src" / year / pdf.name).write_bytes(pdf.read_bytes())
    subprocess.run(_command(root), cwd=ROOT, check=True, capture_output=True)
    return root


def _command(root: Path) -> list[str]:
    paths = ["--sources", root / "src", "--build", root / "b", "--output", root / "o"]
    return [sys.executable, "-c", SMALL_TASKS, "run", *map(str, paths), "--quiet", "--jobs", "2"]


def _wait_for(run: subprocess.Popen, place: str, root: Path) -> None:
    """Until the run is at ``place``: workers reading pages / extracting, or the dataset being staged."""
    while run.poll() is None:
        layout_done = all((root / "b" / year / "layout.json").exists() for year in EDITIONS)
        if place == "layout" and _working(run.pid) and not layout_done:
            return
        if place == "extract" and _working(run.pid) and layout_done:
            return
        if place == "dataset" and any((root / "o").glob(f"{STAGING_PREFIX}*")):
            return
        time.sleep(0.002)
    pytest.fail(f"the run ended before it reached {place}")


@pytest.mark.slow
@pytest.mark.parametrize("presses", [2, 3])
@pytest.mark.parametrize("place", ["layout", "extract", "dataset"])
def test_ctrl_c_pressed_again_and_again_ends_the_run(finished, tmp_path, place, presses):
    root = tmp_path
    for name in ("src", "b", "o"):
        subprocess.run(["cp", "-a", finished / name, root / name], check=True)
    complete = _files(root)
    if place != "dataset":  # the editions are read and extracted again
        for year in EDITIONS:
            (root / "b" / year / "layout.json").unlink()
            (root / "b" / year / "tables" / "extract.json").unlink()
    command = _command(root) + (["--force"] if place == "dataset" else [])
    run = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        _wait_for(run, place, root)
        for press in range(presses):
            os.killpg(run.pid, signal.SIGINT)
            time.sleep(0.05 * press)  # the second press lands during the first one's cleanup
        _, err = run.communicate(timeout=HANG_S)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert (run.returncode, err.decode().strip().splitlines()) == (130, [INTERRUPTED])
    after = _files(root)
    assert not set(after) - set(complete), "no temporary file left behind"
    assert {p.name for p in set(complete) - set(after)} <= STAGE_MARKS, "only a stage's mark may be missing"
    assert all(after[p] == complete[p] for p in after), "every file is the old one or the same bytes again"
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # a plain re-run finishes the job
    assert _files(root) == complete


# Files a stage writes last (and extract removes before it rewrites the tables it vouches for): when one is
# missing, the next run redoes that stage.
STAGE_MARKS = {"layout.json", "extract.json"}
