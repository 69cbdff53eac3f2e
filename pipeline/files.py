"""Atomic file writes and content hashes: nothing is ever half-written."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import HakushoError

HASH_CHUNK_BYTES = 1 << 20


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO]:
    """Open a temporary sibling of ``path``; rename it over ``path`` only if the block succeeds.

    An exception (or Ctrl-C) inside the block removes the temporary file and leaves any earlier
    ``path`` untouched. The temporary name is chosen before the file is created, so that a Ctrl-C
    landing between its creation and the next line still finds it to remove.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")  # 64 random bits: a name nobody has
    encoding = None if "b" in mode else "utf-8"
    newline = None if "b" in mode else "\n"
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any file
        except OSError as exc:
            where = f"{path.parent}: cannot write here ({exc.strerror})"
            raise HakushoError(f"{where}; choose a writable directory") from exc
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def writable_folder(path: Path, option: str) -> None:
    """Make sure ``path`` is a folder we can write in (created if missing), before any work is done.

    ``option`` is how the user names it (``--output``): the message says what to change.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise HakushoError(f"{path}: is a file, not a folder; choose a folder for {option} (it is created if missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".hakusho-write-check-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise HakushoError(
            f"{path}: cannot write here ({exc.strerror}); choose a writable folder for {option}"
        ) from exc


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, LF) to ``path`` atomically."""
    with atomic_open(path, "w") as handle:
        handle.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """One JSON object per line, UTF-8, keys in a fixed order: byte-identical for the same rows; atomic."""
    write_text(path, "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows))


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(HASH_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()
