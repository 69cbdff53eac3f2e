"""pipeline.fetch against a real HTTP server on 127.0.0.1 (tests/httpserver.py); no other network."""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import time
from pathlib import Path

import pytest
from httpserver import FixtureServer

from pipeline.errors import HakushoError
from pipeline.fetch import ALLOWED_HOSTS, add_arguments, fetch_edition, load_editions, run

REPO = Path(__file__).resolve().parents[1]
PDF_BYTES = 200_000
NAME = "R07zenpen.pdf"


def make_pdf(seed: int = 0, size: int = PDF_BYTES) -> bytes:
    """A tiny file that passes the PDF check, padded with seeded random bytes to ``size``."""
    head, tail = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", b"\ntrailer\n<<>>\n%%EOF\n"
    return head + random.Random(seed).randbytes(size - len(head) - len(tail)) + tail


def write_editions(path: Path, year: int, urls: list[str], verified: bool = True) -> Path:
    files = ", ".join(json.dumps(u) for u in urls)
    path.write_text(
        f'[editions.{year}]\ntitle = "令和7年版"\nverified = {str(verified).lower()}\nfiles = [{files}]\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Keep urllib from sending loopback requests to a proxy configured in the environment."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def server():
    with FixtureServer() as fixture:
        yield fixture


@pytest.fixture
def edition(tmp_path, server):
    """An edition 2025 with one file on the loopback server; returns (fetch, dest, lock path)."""
    server.files["/" + NAME] = make_pdf()
    editions = write_editions(tmp_path / "editions.toml", 2025, [server.url("/" + NAME)])
    lock = tmp_path / "editions.lock"
    fetch = functools.partial(
        fetch_edition,
        2025,
        editions_file=editions,
        dest_root=tmp_path / "pdf",
        lock_file=lock,
        progress=False,
        timeout=2.0,
        retries=2,
        backoff=0.01,
        allowed_hosts=("127.0.0.1",),
        allow_http=True,
    )
    return fetch, tmp_path / "pdf" / "2025" / NAME, lock


def assert_nothing_left(dest: Path) -> None:
    assert not dest.exists()
    assert not dest.with_name(dest.name + ".part").exists()


# ------------------------------------------------------------------------------------------- editions


def test_editions_file_lists_recent_editions_with_era_titles():
    editions = load_editions(REPO / "sources" / "editions.toml")
    assert editions[2025].urls == ("https://www.mod.go.jp/j/press/wp/wp2025/pdf/R07zenpen.pdf",)
    assert [y for y, e in editions.items() if e.verified] == [2025]
    for year, edition in editions.items():
        era, n = ("令和", year - 2018) if year >= 2019 else ("平成", year - 1988)
        assert edition.title == f"{era}{'元' if n == 1 else n}年版"
        for url in edition.urls:
            assert url.startswith("https://") and url.split("/")[2] in ALLOWED_HOSTS


def test_load_editions_orders_files_by_name_and_rejects_duplicates(tmp_path):
    base = "https://www.clearing.mod.go.jp/hakusho_data/2016/pdf/"
    path = write_editions(tmp_path / "e.toml", 2016, [base + "02.pdf", base + "01.pdf", base + "10.pdf"])
    assert load_editions(path)[2016].urls == (base + "01.pdf", base + "02.pdf", base + "10.pdf")
    write_editions(path, 2016, [base + "01.pdf", base.replace("2016", "x") + "01.pdf"])
    with pytest.raises(HakushoError, match=r"e\.toml.*both be saved as 01\.pdf"):
        load_editions(path)
    write_editions(path, 2016, [base])
    with pytest.raises(HakushoError, match=r"does not end in a \.pdf file name"):
        load_editions(path)


def test_unknown_year_lists_known_years(edition):
    fetch, dest, _ = edition
    with pytest.raises(HakushoError, match=r"editions\.toml: no edition 1999; known years: 2025"):
        fetch_edition(1999, **fetch.keywords)


# ------------------------------------------------------------------------------------------- success


def test_success_puts_file_in_place_and_writes_lock(edition, server):
    fetch, dest, lock = edition
    assert fetch() == [dest]
    body = server.files["/" + NAME]
    assert dest.read_bytes() == body
    assert not dest.with_name(NAME + ".part").exists()
    document = json.loads(lock.read_text(encoding="utf-8"))
    assert document == {
        "format": 1,
        "editions": {
            "2025": {
                NAME: {
                    "sha256": hashlib.sha256(body).hexdigest(),
                    "size": len(body),
                    "url": server.url("/" + NAME),
                }
            }
        },
    }
    assert lock.read_text(encoding="utf-8") == json.dumps(document, indent=2, sort_keys=True) + "\n"


def test_multi_file_edition_returns_paths_in_name_order(tmp_path, server):
    server.files["/b.pdf"], server.files["/a.pdf"] = make_pdf(1, 3000), make_pdf(2, 3000)
    editions = write_editions(tmp_path / "e.toml", 2016, [server.url("/b.pdf"), server.url("/a.pdf")])
    paths = fetch_edition(
        2016,
        editions_file=editions,
        dest_root=tmp_path,
        lock_file=tmp_path / "lock",
        progress=False,
        allowed_hosts=("127.0.0.1",),
        allow_http=True,
    )
    assert [p.name for p in paths] == ["a.pdf", "b.pdf"]
    assert paths[1].read_bytes() == server.files["/b.pdf"]


def test_present_and_verified_file_makes_no_request(edition, server):
    fetch, dest, lock = edition
    fetch()
    server.requests.clear()
    before = lock.stat().st_mtime_ns
    assert fetch() == [dest]
    assert server.requests == []
    assert lock.stat().st_mtime_ns == before


# -------------------------------------------------------------------------------------- server faults


def test_404_fails_at_once_naming_the_address(edition, server):
    fetch, dest, lock = edition
    server.files.clear()
    with pytest.raises(HakushoError) as info:
        fetch()
    message = str(info.value)
    assert server.url("/" + NAME) in message and "404 Not Found" in message and "editions.toml" in message
    assert len(server.requests) == 1  # not retried
    assert_nothing_left(dest)
    assert not lock.exists()


def test_html_page_instead_of_pdf_is_refused(edition, server):
    fetch, dest, lock = edition
    server.files["/" + NAME] = b"<!DOCTYPE html>\n<html><body>Page moved</body></html>\n"
    with pytest.raises(HakushoError, match=r"127\.0\.0\.1.*R07zenpen\.pdf: the server sent an HTML page"):
        fetch()
    assert_nothing_left(dest)
    assert not lock.exists()


def test_connection_cut_mid_file_is_resumed_with_range(edition, server):
    fetch, dest, _ = edition
    body = server.files["/" + NAME]
    server.script = ["cut"]
    fetch()
    assert dest.read_bytes() == body
    assert len(server.requests) == 2
    assert "range" not in server.requests[0]
    assert server.requests[1]["range"] == f"bytes={len(body) // 2}-"


def test_server_answering_200_to_range_starts_over(edition, server):
    fetch, dest, _ = edition
    server.script = ["cut", "serve-ignoring-range"]
    fetch()
    assert server.requests[1]["range"]  # it asked to resume ...
    assert dest.read_bytes() == server.files["/" + NAME]  # ... and did not append a full copy


def test_server_errors_are_retried_then_reported(edition, server):
    fetch, dest, _ = edition
    server.script = ["error-500", "error-500"]
    fetch()
    assert len(server.requests) == 3 and dest.read_bytes() == server.files["/" + NAME]

    dest.unlink()
    server.script = ["error-500"] * 3
    with pytest.raises(HakushoError, match=r"R07zenpen\.pdf: download failed after 3 attempt.*500"):
        fetch()
    assert_nothing_left(dest)


def test_silent_server_times_out_quickly(edition, server):
    fetch, dest, _ = edition
    server.script = ["hang", "hang"]
    started = time.monotonic()
    with pytest.raises(HakushoError, match=r"R07zenpen\.pdf: download failed after 2 attempt.*timed out"):
        fetch(timeout=0.5, retries=1)
    assert time.monotonic() - started < 5
    assert_nothing_left(dest)


# ------------------------------------------------------------------------------------------ the lock


def test_checksum_differing_from_lock_is_refused_unless_accepted(edition, server, tmp_path):
    fetch, dest, lock = edition
    fetch()
    old_lock = lock.read_text(encoding="utf-8")
    server.files["/" + NAME] = make_pdf(seed=99)  # the Ministry re-published the file

    fresh = tmp_path / "checkout"  # a fresh checkout: lock committed, PDFs not
    fresh_dest = fresh / "2025" / NAME
    with pytest.raises(HakushoError) as info:
        fetch(dest_root=fresh)
    message = str(info.value)
    assert NAME in message and "checksum differs from" in message and str(lock) in message
    assert "--accept-new" in message
    assert_nothing_left(fresh_dest)
    assert lock.read_text(encoding="utf-8") == old_lock

    assert fetch(dest_root=fresh, accept_new=True) == [fresh_dest]
    assert fresh_dest.read_bytes() == server.files["/" + NAME]
    entry = json.loads(lock.read_text(encoding="utf-8"))["editions"]["2025"][NAME]
    assert entry["sha256"] == hashlib.sha256(server.files["/" + NAME]).hexdigest()


def test_refused_download_leaves_the_old_local_file(edition, server):
    fetch, dest, _ = edition
    fetch()
    local = make_pdf(seed=7)  # a local copy that no longer matches the lock
    dest.write_bytes(local)
    server.files["/" + NAME] = make_pdf(seed=8)  # and the server has yet another version
    with pytest.raises(HakushoError, match=rf"{NAME} from .*checksum differs.*left as it was"):
        fetch()
    assert dest.read_bytes() == local
    assert not dest.with_name(NAME + ".part").exists()


def test_damaged_local_file_is_replaced_by_the_locked_version(edition, server):
    fetch, dest, _ = edition
    fetch()
    dest.write_bytes(b"%PDF-damaged")
    server.requests.clear()
    fetch()
    assert len(server.requests) == 1
    assert dest.read_bytes() == server.files["/" + NAME]


# ------------------------------------------------------------------------------------------ allowlist


@pytest.mark.parametrize(
    "url",
    [
        "http://www.mod.go.jp/j/press/wp/wp2025/pdf/R07zenpen.pdf",
        "https://www.mod.go.jp.example.com/R07zenpen.pdf",
        "https://attacker@www.mod.go.jp/R07zenpen.pdf",
        "ftp://www.mod.go.jp/R07zenpen.pdf",
    ],
)
def test_non_https_or_foreign_host_is_refused(tmp_path, url):
    editions = write_editions(tmp_path / "e.toml", 2025, [url])
    with pytest.raises(HakushoError, match="refused") as info:
        fetch_edition(2025, editions_file=editions, dest_root=tmp_path / "pdf", lock_file=tmp_path / "lock")
    assert url in str(info.value)
    assert not (tmp_path / "pdf").exists()


def test_redirect_to_foreign_host_is_refused(edition, server):
    fetch, dest, _ = edition
    target = f"http://localhost:{server.port}/{NAME}"
    server.script = [f"redirect:{target}"]
    with pytest.raises(HakushoError, match=rf"{target}: refused.*redirected .*127\.0\.0\.1"):
        fetch()
    assert len(server.requests) == 1
    assert_nothing_left(dest)


# ------------------------------------------------------------------------------------------------ CLI


def test_run_prints_checksum_and_path(tmp_path, capsys):
    body = make_pdf(size=2000)
    url = "https://www.mod.go.jp/j/press/wp/wp2025/pdf/R07zenpen.pdf"
    editions = write_editions(tmp_path / "e.toml", 2025, [url])
    dest = tmp_path / "pdf" / "2025" / NAME
    dest.parent.mkdir(parents=True)
    dest.write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    lock = tmp_path / "editions.lock"
    entry = {"sha256": digest, "size": len(body), "url": url}
    lock.write_text(json.dumps({"format": 1, "editions": {"2025": {NAME: entry}}}), encoding="utf-8")

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    common = ["--editions", str(editions), "--dest", str(tmp_path / "pdf"), "--lock", str(lock)]
    assert run(parser.parse_args(["2025", *common])) == 0  # present and locked: no network needed
    assert capsys.readouterr().out == f"{digest}  {dest}\n"
    assert run(parser.parse_args(["2025", "--quiet", *common])) == 0
    assert capsys.readouterr().out == ""
    with pytest.raises(HakushoError, match="known years: 2025"):
        run(parser.parse_args(["2024", *common]))


def test_refetch_notices_a_file_republished_under_the_same_address(edition, server):
    """Without --refetch a local file matching the lock is trusted; with it the server's copy is checked."""
    fetch, dest, lock = edition
    fetch()
    original = dest.read_bytes()
    server.requests.clear()
    assert fetch(refetch=True) == [dest]  # unchanged on the server: fine, nothing changes
    assert len(server.requests) >= 1 and dest.read_bytes() == original
    server.files["/" + NAME] = make_pdf(seed=42)  # re-published
    assert fetch() == [dest]  # not noticed without --refetch
    with pytest.raises(HakushoError, match=rf"{NAME} from .*checksum differs.*--accept-new.*left as it was"):
        fetch(refetch=True)
    assert dest.read_bytes() == original and not dest.with_name(NAME + ".part").exists()
    assert fetch(refetch=True, accept_new=True) == [dest]
    assert dest.read_bytes() == server.files["/" + NAME]
    entry = json.loads(lock.read_text(encoding="utf-8"))["editions"]["2025"][NAME]
    assert entry["sha256"] == hashlib.sha256(dest.read_bytes()).hexdigest()
