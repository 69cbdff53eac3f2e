"""Publishing into OUTPUT as a whole: a run leaves either the previous files or the new ones, never a mix.

Why this design (of three: a sibling folder swapped in, a manifest of checksums written last, or this):
OUTPUT is the user's folder (they put the editions' PDFs next to the reports, a reviewer's notes in a
pair folder), so it cannot be swapped for another folder; and a manifest only tells a reader that
files are mixed, it does not prevent it. So:

1. Every file of the publication is written into a staging folder inside OUTPUT (same file system:
   a rename is atomic), validated there, nothing in OUTPUT touched. An error or Ctrl-C here removes
   the staging folder and OUTPUT is as it was.
2. ``commit`` writes a journal (``OUTPUT/.hakusho-publish.json``: the staging folder, the files to move
   and the files to remove), then renames every file into place with Ctrl-C held back: a Ctrl-C
   pressed meanwhile takes effect once the last rename is done (the run then exits 130, with the new
   files all in place). Then the journal is removed.
3. Only a hard stop (power loss, ``kill -9``) can fall between two renames. The journal is still there
   then, and the next stage that opens OUTPUT (``recover``) finishes the renames before anything else.

``datapackage.json`` is renamed last and carries each table's SHA-256, so a reader can also check the
files themselves (``frictionless validate OUTPUT/datapackage.json``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import HakushoError
from .files import write_bytes, write_text

JOURNAL = ".hakusho-publish.json"
STAGING_PREFIX = ".hakusho-staging-"


class Batch:
    """The files of one publication, staged in a folder inside OUTPUT until ``commit``.

    Paths are relative to OUTPUT (``keywords.csv``, ``diff/2024-2025/report.html``). ``path(name)`` is
    where a reader of the publication finds a file: staged if it was, else in OUTPUT.
    """

    def __init__(self, output: Path):
        self.output = Path(output)
        recover(self.output)
        try:
            self.output.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.output))
        except OSError as exc:
            raise HakushoError(
                f"{self.output}: cannot write here ({exc.strerror}); choose a writable --output folder"
            ) from exc
        self.staged: list[str] = []
        self.removed: list[str] = []
        # What made the staged files: {stage: its cache record} (pipeline/cache.py), kept with them.
        self.records: dict[str, dict] = {}
        self.committed = False

    def write_bytes(self, name: str, data: bytes) -> None:
        write_bytes(self.staging / name, data)
        self._stage(name)

    def write_text(self, name: str, text: str) -> None:
        write_text(self.staging / name, text)
        self._stage(name)

    def _stage(self, name: str) -> None:
        if name in self.removed:
            self.removed.remove(name)
        if name not in self.staged:
            self.staged.append(name)

    def remove(self, name: str) -> None:
        """Remove ``OUTPUT/name`` when the batch is committed (if it is there then)."""
        if name in self.staged:
            self.staged.remove(name)
            (self.staging / name).unlink()
        if name not in self.removed:
            self.removed.append(name)

    def path(self, name: str) -> Path:
        """Where the file ``name`` of OUTPUT will be read from: its staged copy, or OUTPUT's."""
        return self.staging / name if name in self.staged else self.output / name

    def names(self) -> list[str]:
        """Every file OUTPUT will hold once the batch is committed (hidden files and folders left out)."""
        present = {
            path.relative_to(self.output).as_posix()
            for path in self.output.rglob("*")
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(self.output).parts)
        }
        return sorted((present - set(self.removed)) | set(self.staged))

    def exists(self, name: str) -> bool:
        """Whether OUTPUT will hold ``name`` once the batch is committed."""
        return name in self.staged or (name not in self.removed and (self.output / name).is_file())

    def commit(self, last: tuple[str, ...] = ()) -> None:
        """Move every staged file into OUTPUT (``last`` after the others) and remove the files marked removed.

        From the moment the journal is written the publication is decided: a failure in between leaves
        the journal and the staging folder for ``recover`` to finish.
        """
        order = [name for name in self.staged if name not in last] + [name for name in last if name in self.staged]
        journal = {"staging": self.staging.name, "files": order, "remove": self.removed}
        with ctrl_c_held_back():
            write_text(self.output / JOURNAL, json.dumps(journal, ensure_ascii=False, indent=1) + "\n")
            self.committed = True
            try:
                _apply(self.output, journal)
            except OSError as exc:
                raise HakushoError(
                    f"{self.output}: publishing stopped halfway ({exc}); run the same command again to finish it"
                ) from exc

    def discard(self) -> None:
        """Forget the batch, unless its commit began: the staging folder goes, OUTPUT is untouched."""
        if not self.committed:
            shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self.discard()  # after an error or Ctrl-C before the commit, the staged files go


def recover(output: Path) -> None:
    """Finish a publication cut short (a journal left in ``output``) and remove stale staging folders."""
    output = Path(output)
    journal_path = output / JOURNAL
    if journal_path.is_file():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            staging, files, removed = journal["staging"], journal["files"], journal["remove"]
        except (ValueError, KeyError, TypeError) as exc:
            raise HakushoError(
                f"{journal_path}: unreadable ({exc}); a publication was cut short: remove the file and run "
                "`hakusho run --force` to publish everything again"
            ) from exc
        with ctrl_c_held_back():
            _apply(output, {"staging": staging, "files": files, "remove": removed})
    if output.is_dir():
        for stale in output.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)


def _apply(output: Path, journal: dict) -> None:
    """Do what the journal says (again, if need be: a file already moved is skipped), then drop it."""
    staging = output / journal["staging"]
    folders = {output}
    for name in journal["files"]:
        source = staging / name
        if source.exists():
            (output / name).parent.mkdir(parents=True, exist_ok=True)
            _move(source, output / name)
            folders.add((output / name).parent)
    for name in journal["remove"]:
        (output / name).unlink(missing_ok=True)
        _remove_empty_parents(output, output / name)
    for folder in sorted(folders):
        _sync(folder)
    (output / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    """One rename of the publication (atomic: same file system)."""
    os.replace(source, target)


def _remove_empty_parents(output: Path, path: Path) -> None:
    """Remove the folders of ``path`` that are left empty, up to (not including) ``output``."""
    folder = path.parent
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _sync(folder: Path) -> None:
    """Make the renames in ``folder`` durable before the journal that describes them goes."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def ctrl_c_held_back() -> Iterator[None]:
    """Run the block to its end even if Ctrl-C is pressed; the interruption is raised after it.

    The Python-level handler is swapped (not the signal mask), so it works whatever thread the
    operating system delivers the signal to.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
