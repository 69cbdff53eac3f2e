"""Download editions of the Defense White Paper (防衛白書) so that every run reads the same bytes.

Design
------
* **Editions.** ``sources/editions.toml`` has one ``[editions.YEAR]`` table per edition: its printed
  title, whether the addresses have been checked (``verified``), and a list of PDF addresses. An
  edition may be one full volume or several per-section files; each is saved as
  ``<dest>/<YEAR>/<file name>`` and the files of an edition are handled in file-name order.
* **Allowlist.** Only ``https://`` addresses on :data:`ALLOWED_HOSTS` are fetched. Every address is
  checked before the first connection, and every redirect is checked before it is followed (so a
  redirect cannot lead to another host or downgrade to plain HTTP).
* **Streaming.** The body is read in :data:`CHUNK_BYTES` pieces into ``<name>.part`` beside the
  destination, with a tqdm progress bar on an interactive stderr; nothing is held in memory.
* **Resume and retries.** Connection errors, socket timeouts, bodies shorter than their
  Content-Length and 5xx/408/429 answers are retried up to ``retries`` times, waiting
  ``backoff * 2**n`` seconds (capped at :data:`MAX_BACKOFF_S`). A retry continues the ``.part``
  file with ``Range: bytes=<size>-`` (with ``If-Range`` once the server has named a validator); a
  200 answer instead of 206 starts the file over. A 404 or other 4xx fails at once.
* **Checks before the rename.** The body must start with ``%PDF-`` and have ``%%EOF`` in its last
  :data:`EOF_WINDOW_BYTES` (an HTML error page saved as .pdf is refused). Only then is ``.part``
  renamed over the destination with ``os.replace``, so a final file is always complete.
* **Lock.** ``sources/editions.lock`` (JSON, sorted keys, written atomically) records, per year and
  file name, the SHA-256, size and address of what was accepted. A file already present whose
  SHA-256 matches the lock is not requested again. A download whose SHA-256 differs from the lock
  is refused and discarded (the file in place, if any, stays) unless ``accept_new`` is set, which
  updates the lock. The lock is written before the rename, so an interruption between the two
  leaves a state the next run repairs rather than one it refuses.

Limits
------
* ``timeout`` bounds each socket operation, not the whole download: a server that trickles bytes
  is not cut off.
* A ``.part`` left by an earlier, interrupted run is resumed without knowing whether the file on
  the server changed in between. The PDF check and, once a file is in the lock, the checksum catch
  such mix-ups; the very first download of a file has nothing to compare against.
* A file present and matching the lock is never re-requested, so a re-publication by the Ministry
  is noticed only when the file is downloaded again (fresh checkout, or after deleting it).
* The lock is read, updated and rewritten without an inter-process lock: run one fetch at a time.
* The PDF check looks at the container only; it cannot tell whether it is the right edition.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import ssl
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from tqdm import tqdm

from .editions import EDITION_YEAR, Edition
from .errors import HakushoError
from .files import sha256_file, write_text

ALLOWED_HOSTS = ("www.mod.go.jp", "www.clearing.mod.go.jp")

DEFAULT_EDITIONS_FILE = Path("sources/editions.toml")
DEFAULT_LOCK_FILE = Path("sources/editions.lock")
DEFAULT_DEST = Path("sources/pdf")

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF_S = 1.0
MAX_BACKOFF_S = 60.0
CHUNK_BYTES = 64 * 1024

PDF_MAGIC = b"%PDF-"
PDF_EOF_MARKER = b"%%EOF"
EOF_WINDOW_BYTES = 1024  # the PDF specification puts %%EOF within the last 1024 bytes
HEAD_SNIFF_BYTES = 1024
SNIPPET_CHARS = 40

PART_SUFFIX = ".part"
LOCK_FORMAT = 1
RETRY_STATUSES = frozenset({408, 429})  # plus every 5xx
USER_AGENT = "hakusho-fetch/0.1 (Defense White Paper research pipeline; Python urllib)"


class _Retryable(Exception):
    """A transient failure of one attempt; the message says what happened."""


# --------------------------------------------------------------------------------------------- editions


def file_name(url: str) -> str | None:
    """The local file name for ``url`` (last path segment, percent-decoded), or None if unusable."""
    name = urllib.parse.unquote(PurePosixPath(urllib.parse.urlsplit(url).path).name)
    if name in ("", ".", "..") or "/" in name or "\\" in name or not name.lower().endswith(".pdf"):
        return None
    return name


def load_editions(path: Path) -> dict[int, Edition]:
    """Read ``editions.toml`` into ``{year: Edition}``; malformed entries raise HakushoError."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise HakushoError(f"{path}: not found; run from the repository root or pass --editions") from None
    except OSError as exc:
        raise HakushoError(f"{path}: cannot read it ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise HakushoError(f"{path}: not valid TOML ({exc}); fix the syntax") from exc
    tables = data.get("editions")
    if not isinstance(tables, dict) or not tables:
        raise HakushoError(f"{path}: no [editions.YEAR] tables; add one per edition")
    editions: dict[int, Edition] = {}
    for key, table in tables.items():
        where = f"{path}: [editions.{key}]"
        if not re.fullmatch(EDITION_YEAR, key) or not isinstance(table, dict):
            raise HakushoError(f"{where}: expected a table named by a four-digit year, e.g. [editions.2025]")
        title, verified, files = table.get("title"), table.get("verified", False), table.get("files")
        if not isinstance(title, str) or not title.strip():
            raise HakushoError(f'{where}: needs title = "…年版"')
        if not isinstance(verified, bool):
            raise HakushoError(f"{where}: verified must be true or false")
        if not isinstance(files, list) or not files or not all(isinstance(u, str) for u in files):
            raise HakushoError(f"{where}: files must be a non-empty list of PDF addresses")
        names: dict[str, str] = {}
        for url in files:
            name = file_name(url)
            if name is None:
                raise HakushoError(f"{where}: {url} does not end in a .pdf file name; fix the address")
            if name in names:
                raise HakushoError(f"{where}: {names[name]} and {url} would both be saved as {name}")
            names[name] = url
        ordered = tuple(names[name] for name in sorted(names))
        editions[int(key)] = Edition(int(key), title=title, urls=ordered, verified=verified)
    return editions


# ------------------------------------------------------------------------------------------------- lock


def read_lock(path: Path) -> dict[str, dict[str, dict]]:
    """The lock's ``{year: {file name: {"sha256", "size", "url"}}}``; empty if the file is absent."""
    path = Path(path)
    remedy = "restore it from version control, or delete it to accept whatever is downloaded next"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise HakushoError(f"{path}: cannot read it ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HakushoError(f"{path}: not valid JSON ({exc}); {remedy}") from exc
    if not (isinstance(data, dict) and data.get("format") == LOCK_FORMAT and isinstance(data.get("editions"), dict)):
        raise HakushoError(f"{path}: not a format-{LOCK_FORMAT} edition lock; {remedy}")
    editions = data["editions"]
    for year, entries in editions.items():
        ok = isinstance(entries, dict) and all(
            isinstance(e, dict)
            and isinstance(e.get("sha256"), str)
            and isinstance(e.get("size"), int)
            and isinstance(e.get("url"), str)
            for e in entries.values()
        )
        if not ok:
            raise HakushoError(f"{path}: the entry for {year} is malformed; {remedy}")
    return editions


def _record(path: Path, year: int, name: str, entry: dict) -> dict[str, dict[str, dict]]:
    """Set one entry in the lock (re-read just before writing) and write it atomically."""
    editions = read_lock(path)
    editions.setdefault(str(year), {})[name] = entry
    document = {"format": LOCK_FORMAT, "editions": editions}
    write_text(Path(path), json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return editions


# ------------------------------------------------------------------------------------------- addresses


def _check_address(url: str, hosts: Iterable[str], allow_http: bool, fix: str) -> None:
    """Raise HakushoError unless ``url`` is https (or http when allowed) on one of ``hosts``."""
    schemes = ("https", "http") if allow_http else ("https",)
    try:
        parts = urllib.parse.urlsplit(url)
        ok = parts.scheme.lower() in schemes and (parts.hostname or "") in hosts and not parts.username
    except ValueError:
        ok = False
    if not ok:
        wanted = " or ".join(f"{s}://" for s in schemes)
        allowed = ", ".join(hosts)
        raise HakushoError(f"{url}: refused; only {wanted} addresses on {allowed} are fetched; {fix}")


class _AllowlistRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only if its target passes the same allowlist as the original address."""

    def __init__(self, check: Callable[[str, str], None]) -> None:
        super().__init__()
        self._check = check

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            self._check(newurl, req.full_url)
        except HakushoError:
            fp.close()
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# -------------------------------------------------------------------------------------------- transfer


class _Transfer:
    """Fill one ``.part`` file with the body of one address, resuming and retrying."""

    def __init__(self, url, part, *, opener, timeout, retries, backoff, progress, editions_file):
        self.url, self.part, self.opener = url, part, opener
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.show_progress = progress and sys.stderr.isatty()
        self.editions_file = editions_file
        self.validator: str | None = None  # ETag or Last-Modified of the first full answer, for If-Range

    def run(self) -> None:
        """Download until complete; HakushoError once the retries are used up or on a definite failure."""
        attempts = self.retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF_S))
            try:
                self._attempt()
                return
            except _Retryable as exc:
                problem = str(exc)
        resume = ""
        if self.part.exists() and self.part.stat().st_size:
            resume = f"; {self.part} is kept and the next run resumes it"
        raise HakushoError(
            f"{self.url}: download failed after {attempts} attempt(s), last: {problem}; "
            f"check the network connection or try again later{resume}"
        )

    def _attempt(self) -> None:
        offset = self.part.stat().st_size if self.part.exists() else 0
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if self.validator:
                headers["If-Range"] = self.validator
        try:
            request = urllib.request.Request(self.url, headers=headers)
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            self._http_error(exc.code, exc.reason, offset)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise HakushoError(
                    f"{self.url}: the server's certificate could not be verified ({reason.verify_message}); "
                    "check the system clock and CA certificates"
                ) from exc
            raise _Retryable(self._describe(reason)) from exc
        with response:
            self._receive(response, offset)

    def _http_error(self, code: int, reason: str, offset: int) -> None:
        if code == 416 and offset:  # the .part is as long as the file or longer: it cannot be continued
            self.part.unlink(missing_ok=True)
            raise _Retryable("the partial download did not match the file on the server; starting over")
        if code == 404:
            raise HakushoError(f"{self.url}: 404 Not Found; check the address in {self.editions_file}")
        if code >= 500 or code in RETRY_STATUSES:
            raise _Retryable(f"server answered {code} {reason}")
        raise HakushoError(
            f"{self.url}: the server answered {code} {reason}; check the address in {self.editions_file}"
        )

    def _receive(self, response: http.client.HTTPResponse, offset: int) -> None:
        status = response.status
        if status == 206:
            start = _content_range_start(response.headers.get("Content-Range"))
            if start != offset:
                self.part.unlink(missing_ok=True)
                raise _Retryable(f"the server resumed at byte {start} instead of {offset}; starting over")
        elif status == 200:
            offset = 0  # a full answer (the server ignored or refused the Range): start the file over
            etag = response.headers.get("ETag")  # weak ETags may not be used in If-Range
            strong = etag if etag and not etag.startswith("W/") else None
            self.validator = strong or response.headers.get("Last-Modified")
        else:
            raise HakushoError(f"{self.url}: unexpected answer {status} {response.reason}; try again later")
        length = response.headers.get("Content-Length", "")
        expected = int(length) if length.isdigit() else None
        total = offset + expected if expected is not None else None
        received = 0
        try:
            with (
                open(self.part, "ab" if offset else "wb") as out,
                tqdm(
                    total=total,
                    initial=offset,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc=self.part.name.removesuffix(PART_SUFFIX),
                    leave=False,
                    disable=not self.show_progress,
                ) as bar,
            ):
                while chunk := response.read(CHUNK_BYTES):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
                out.flush()
                os.fsync(out.fileno())
        except (OSError, http.client.HTTPException) as exc:
            if isinstance(exc, OSError) and exc.filename:  # a local write problem, not the network
                raise HakushoError(
                    f"{exc.filename}: cannot write ({exc.strerror}); free some space or fix the permissions"
                ) from exc
            raise _Retryable(self._describe(exc)) from exc
        if expected is not None and received < expected:
            raise _Retryable(f"the connection closed after {offset + received} of {total} bytes")

    def _describe(self, reason: object) -> str:
        if isinstance(reason, TimeoutError):
            return f"timed out (no data for {self.timeout:g} s)"
        text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
        return f"connection problem ({text})"


def _content_range_start(value: str | None) -> int | None:
    """The first byte position of a ``Content-Range: bytes A-B/N`` header, or None."""
    match = re.fullmatch(r"\s*bytes\s+(\d+)-\d+/(\d+|\*)\s*", value or "")
    return int(match.group(1)) if match else None


def _check_pdf(part: Path, url: str, editions_file: Path) -> None:
    """Raise HakushoError unless ``part`` starts with %PDF- and ends with %%EOF."""
    size = part.stat().st_size
    with open(part, "rb") as handle:
        head = handle.read(HEAD_SNIFF_BYTES)
        handle.seek(max(0, size - EOF_WINDOW_BYTES))
        tail = handle.read()
    if not head:
        raise HakushoError(f"{url}: the server sent an empty answer, not a PDF; try again later")
    if not head.startswith(PDF_MAGIC):
        lowered = head.lower()
        kind = "an HTML page" if b"<html" in lowered or b"<!doctype" in lowered else "something"
        snippet = " ".join(head.decode("utf-8", "replace").split())[:SNIPPET_CHARS]
        raise HakushoError(
            f"{url}: the server sent {kind} (starting {snippet!r}) instead of a PDF; "
            f"open the address in a browser and correct it in {editions_file}"
        )
    if PDF_EOF_MARKER not in tail:
        raise HakushoError(f"{url}: the PDF is truncated (no %%EOF near the end of its {size} bytes); re-run the fetch")


# ----------------------------------------------------------------------------------------------- fetch


def fetch_edition(
    year: int,
    *,
    editions_file: Path,
    dest_root: Path,
    lock_file: Path,
    accept_new: bool = False,
    refetch: bool = False,
    progress: bool = True,
    timeout: float = DEFAULT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF_S,
    allowed_hosts: Iterable[str] = ALLOWED_HOSTS,
    allow_http: bool = False,
) -> list[Path]:
    """Download (or confirm) every file of edition ``year``; return their paths in file-name order.

    A local file that matches the lock is not downloaded again, unless ``refetch``: then the server's
    copy is compared with the lock, which tells whether the Ministry has re-published the file.
    """
    editions_file, dest_root, lock_file = Path(editions_file), Path(dest_root), Path(lock_file)
    if not timeout > 0 or retries < 0 or backoff < 0:
        raise HakushoError("fetch: --timeout must be positive and --retries zero or more")
    editions = load_editions(editions_file)
    edition = editions.get(year)
    if edition is None:
        known = ", ".join(str(y) for y in sorted(editions))
        raise HakushoError(
            f"{editions_file}: no edition {year}; known years: {known}; add an [editions.{year}] table first"
        )
    hosts = tuple(h.lower() for h in allowed_hosts)
    fix = f"fix the address in {editions_file}"
    for url in edition.urls:
        _check_address(url, hosts, allow_http, fix)

    def check_redirect(new_url: str, old_url: str) -> None:
        _check_address(new_url, hosts, allow_http, f"the server redirected {old_url} there; {fix}")

    opener = urllib.request.build_opener(_AllowlistRedirects(check_redirect))
    lock = read_lock(lock_file)
    paths = []
    for url in edition.urls:
        name = file_name(url)
        assert name is not None  # load_editions checked it
        dest = dest_root / str(year) / name
        entry = lock.get(str(year), {}).get(name)
        if not refetch and entry and dest.is_file() and sha256_file(dest) == entry["sha256"]:
            paths.append(dest)
            continue
        part = dest.with_name(name + PART_SUFFIX)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HakushoError(f"{dest.parent}: cannot create it ({exc.strerror}); choose another --dest") from exc
        _Transfer(
            url,
            part,
            opener=opener,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            progress=progress,
            editions_file=editions_file,
        ).run()
        try:
            _check_pdf(part, url, editions_file)
        except HakushoError:
            part.unlink(missing_ok=True)
            raise
        digest = sha256_file(part)
        if entry and entry["sha256"] != digest and not accept_new:
            part.unlink(missing_ok=True)
            kept = f"; {dest} was left as it was" if dest.exists() else ""
            raise HakushoError(
                f"{dest.name} from {url}: checksum differs from {lock_file} (the Ministry may have "
                f"re-published it); re-run with --accept-new to accept it{kept}"
            )
        new_entry = {"sha256": digest, "size": part.stat().st_size, "url": url}
        if entry != new_entry:
            lock = _record(lock_file, year, name, new_entry)
        os.replace(part, dest)
        paths.append(dest)
    return paths


# ------------------------------------------------------------------------------------------------- CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``hakusho fetch`` arguments to ``parser``."""
    parser.add_argument("year", type=int, help="edition year, e.g. 2025 for 令和7年版")
    parser.add_argument(
        "--dest",
        type=Path,
        default=DEFAULT_DEST,
        help="directory for the PDFs, saved as DEST/YEAR/<file> (default: %(default)s)",
    )
    parser.add_argument(
        "--editions",
        type=Path,
        default=DEFAULT_EDITIONS_FILE,
        help="list of editions and their addresses (default: %(default)s)",
    )
    parser.add_argument(
        "--lock", type=Path, default=DEFAULT_LOCK_FILE, help="checksums of accepted downloads (default: %(default)s)"
    )
    parser.add_argument(
        "--accept-new",
        action="store_true",
        help="accept a download whose checksum differs from the lock, and update the lock",
    )
    parser.add_argument(
        "--refetch",
        action="store_true",
        help="download again even files that match the lock, to notice a re-published file",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help="give up on a connection silent this long (default: %(default)s)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=DEFAULT_RETRIES,
        help="retries after a network error or server error (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no output on success")


def run(args: argparse.Namespace) -> int:
    """Run ``hakusho fetch``: print ``<sha256>  <path>`` per file (``sha256sum -c`` format) unless quiet."""
    edition = load_editions(args.editions).get(args.year)
    if edition is not None and not edition.verified and not args.quiet:
        print(
            f"hakusho: note: the addresses for {args.year} in {args.editions} have not been checked (verified = false)",
            file=sys.stderr,
        )
    paths = fetch_edition(
        args.year,
        editions_file=args.editions,
        dest_root=args.dest,
        lock_file=args.lock,
        accept_new=args.accept_new,
        refetch=args.refetch,
        progress=not args.quiet,
        timeout=args.timeout,
        retries=args.retries,
    )
    if not args.quiet:
        entries = read_lock(args.lock).get(str(args.year), {})
        for path in paths:
            print(f"{entries[path.name]['sha256']}  {path}")
    return 0
