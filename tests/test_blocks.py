"""The layout → extract contract (pipeline/blocks.py): layout writes Block records, extract reads them back checked."""

from __future__ import annotations

import json

import pytest
from conftest import sample_pdf

from pipeline.blocks import Block, PageReport, read_blocks, read_pages
from pipeline.errors import HakushoError
from pipeline.files import write_jsonl


def test_layout_writes_exactly_the_declared_fields_and_extract_reads_them_back(blocks, tmp_path):
    written = blocks(sample_pdf("2025"))
    assert written and all(list(block) == list(Block.__annotations__) for block in written)  # in declared order
    write_jsonl(tmp_path / "blocks.jsonl", written)
    assert read_blocks(tmp_path / "blocks.jsonl") == written


BAD_LINES = (
    ('{"edition": "2025"}', r"line 2: not a Block record \(fields \['edition'\], expected \["),
    ("[1, 2]", r"line 2: not a Block record \(fields list, expected"),
    ('{"edition": ', r"line 2: not JSON \(Expecting value\)"),
)


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_a_record_that_is_not_a_block_is_a_one_line_error(blocks, tmp_path, line, message):
    good = json.dumps(blocks(sample_pdf("2025"))[0], ensure_ascii=False)
    path = tmp_path / "blocks.jsonl"
    path.write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(HakushoError, match=rf"blocks.jsonl: {message}.*run `hakusho layout --force`"):
        read_blocks(path)


def test_a_block_with_a_field_renamed_is_refused(blocks, tmp_path):
    block = dict(blocks(sample_pdf("2025"))[0])
    block["text_"] = block.pop("text")
    write_jsonl(tmp_path / "blocks.jsonl", [block])
    with pytest.raises(HakushoError, match="line 1: not a Block record"):
        read_blocks(tmp_path / "blocks.jsonl")


def test_page_reports(tmp_path):
    page = PageReport(file="a.pdf", page=3, status="no_text", reason="no text layer", glyphs=0, garbled=0)
    write_jsonl(tmp_path / "pages.jsonl", [page])
    assert read_pages(tmp_path / "pages.jsonl") == [page]
    with pytest.raises(HakushoError, match=r"pages.jsonl: missing; run `hakusho layout --force`"):
        read_pages(tmp_path / "nothing" / "pages.jsonl")
