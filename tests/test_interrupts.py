"""Ctrl-C, pressed once at any point of a run, or several times while worker processes read pages or extract
tables, or while the dataset is published: the run always ends (exit 130, one line, no traceback), and every
file is the old one or complete. (Ctrl-C while the staged publication is renamed into OUTPUT: test_publish.py.)

A terminal sends SIGINT to the whole foreground process group, workers included; so do these tests. They
wait for a place in the run (a worker process exists; a given file was rewritten), not for a time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest
from conftest import ROOT, SAMPLE, copy_sample, files_in, run_args

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


def _old_or_complete(before: dict[str, bytes], after: dict[str, bytes], marks: set[str]) -> None:
    """What an interrupted run leaves (``files_in`` before and after it): no new file (no temporary), none
    missing but a stage's mark among ``marks`` (the next run redoes that stage), every file the same bytes."""
    assert not set(after) - set(before), "no temporary file left behind"
    assert {PurePosixPath(name).name for name in set(before) - set(after)} <= marks, "only a stage's mark is missing"
    assert all(after[name] == before[name] for name in after), "every file is the old one or the same bytes again"


@pytest.mark.slow
@pytest.mark.parametrize(
    "landmark",
    ["b/2017/layout.json", "b/2023/tables/agreements.csv", "o/.hakusho-staging-*"],
    ids=["during-layout", "during-extract", "during-dataset-and-diff"],
)
def test_ctrl_c_at_any_point_leaves_no_half_written_file(tmp_path, landmark):
    """Interrupt a full run (SIGINT, as Ctrl-C does) just after it rewrote ``landmark`` (or, for a pattern, once
    it appeared: the publication being staged), early, midway and late in the run (a place in the run, not a
    time: this machine's speed drifts): every file is complete."""
    args = [sys.executable, "-m", "pipeline", *run_args(SAMPLE, tmp_path / "b", tmp_path / "o")]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    before = files_in(tmp_path)
    if "*" in landmark:
        folder, pattern = (tmp_path / landmark).parent, (tmp_path / landmark).name

        def reached():
            return any(folder.glob(pattern))
    else:
        watched = tmp_path / landmark
        written = watched.stat().st_mtime_ns

        def reached():
            return watched.stat().st_mtime_ns != written

    run = subprocess.Popen(args + ["--force"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while run.poll() is None and not reached():
        time.sleep(0.001)
    assert run.poll() is None, f"the run ended before it rewrote {landmark}"
    run.send_signal(signal.SIGINT)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130, err
    assert err.decode().strip().endswith("nothing was half-written")
    # extract's mark, written last and removed before it rewrites the tables it vouches for
    _old_or_complete(before, files_in(tmp_path), {"extract.json"})
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)  # a plain re-run finishes the job
    assert files_in(tmp_path) == before


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A sources folder and the BUILD and OUTPUT of a complete run on it."""
    root = tmp_path_factory.mktemp("interrupts")
    for year in EDITIONS:
        copy_sample(root / "src", year)
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
    complete = files_in(root)
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
    _old_or_complete(complete, files_in(root), STAGE_MARKS)
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # a plain re-run finishes the job
    assert files_in(root) == complete


# Files a stage writes last (and extract removes before it rewrites the tables it vouches for; this test
# removed both before the run): when one is missing, the next run redoes that stage.
STAGE_MARKS = {"layout.json", "extract.json"}
