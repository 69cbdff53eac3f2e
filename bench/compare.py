"""Before/after: the cold run and the extract stage of two checkouts on the bench's two editions.

    .venv/bin/python bench/compare.py BEFORE AFTER [--repeat N]

BEFORE and AFTER are checkouts with their own ``.venv`` (``make setup`` in each). Both read the same PDFs
(``bench/work/2099/synthetic.pdf`` and ``bench/work/2025/book-style.pdf``: run ``make bench`` first), in
turns, ``--repeat`` times (default 3), and the medians are printed as a Markdown table: this machine's
speed drifts over minutes, and taking turns spreads a drift over both versions. Work files go to
``bench/work/compare/``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PDFS = {
    "synthetic": ("2099", BENCH / "work/2099/synthetic.pdf"),
    "book-style": ("2025", BENCH / "work/2025/book-style.pdf"),
}
WORK = BENCH / "work/compare"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system of the children) of a command."""
    wall, before = os.times().elapsed, os.times()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return after.elapsed - wall, cpu


def one_round(versions: dict[str, Path], results: dict) -> None:
    for name, (year, pdf) in PDFS.items():
        for version, root in versions.items():
            base = WORK / f"{name}-{version}"
            src = base / "src" / year
            src.mkdir(parents=True, exist_ok=True)
            if not (src / pdf.name).exists():
                (src / pdf.name).symlink_to(pdf)
            hakusho = str(root / ".venv/bin/hakusho")
            build, out = base / "build", base / "out"
            shutil.rmtree(build, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            run = [hakusho, "run", "--sources", str(base / "src"), "--build", str(build), "--output", str(out)]
            cold = timed([*run, "--quiet", "--force"])
            (build / year / "tables" / "extract.json").unlink()
            extract = timed([hakusho, "extract", "--build", str(build), "--quiet"])
            results.setdefault((name, version), []).append((*cold, *extract))
            print(f"{name} {version}: cold {cold[0]:.1f} s (CPU {cold[1]:.1f} s),", end=" ")
            print(f"extract {extract[0]:.1f} s (CPU {extract[1]:.1f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    missing = [str(pdf) for _, pdf in PDFS.values() if not pdf.exists()]
    if missing:
        parser.error(f"{missing[0]} is missing: run make bench first")
    versions = {"before": args.before.resolve(), "after": args.after.resolve()}
    results: dict = {}
    for _ in range(args.repeat):
        one_round(versions, results)
    print("\n| edition | code | cold wall s | cold CPU s | extract wall s | extract CPU s |")
    print("|---|---|---:|---:|---:|---:|")
    for (name, version), runs in results.items():
        medians = [statistics.median(run[i] for run in runs) for i in range(4)]
        print(f"| {name} | {version} | " + " | ".join(f"{m:.1f}" for m in medians) + " |")


if __name__ == "__main__":
    main()
