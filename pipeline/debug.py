"""``hakusho layout FILE.pdf --page N --debug-image out.png``: the blocks drawn over the page.

A reviewer checks the layout stage by eye: each block's frame in a colour for its kind, with its
reading-order number and kind written at its top-left corner.
"""

from __future__ import annotations

from pathlib import Path

from PIL import ImageDraw

from .files import atomic_open

RESOLUTION_DPI = 100
KIND_COLOURS = {
    "body": (0, 90, 200),
    "heading": (200, 0, 120),
    "box": (220, 110, 0),
    "caption": (0, 150, 90),
    "footnote": (120, 60, 180),
    "header": (120, 120, 120),
    "footer": (120, 120, 120),
}


def draw_page(pdf_path: Path, page_number: int, blocks: list[dict], out: Path) -> None:
    """Render one page and draw the parts of ``blocks`` that lie on it; write a PNG atomically."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_number - 1]
        image = page.to_image(resolution=RESOLUTION_DPI).original.convert("RGB")
    scale = RESOLUTION_DPI / 72
    draw = ImageDraw.Draw(image, "RGBA")
    for index, block in enumerate(blocks, start=1):
        colour = KIND_COLOURS.get(block["kind"], (0, 0, 0))
        for part in block["parts"]:
            if part["page"] != page_number:
                continue
            x0, top, x1, bottom = (v * scale for v in part["bbox"])
            draw.rectangle((x0 - 2, top - 2, x1 + 2, bottom + 2), outline=colour + (255,), width=2)
            draw.rectangle((x0 - 2, top - 12, x0 + 110, top - 2), fill=colour + (200,))
            label = f"{index} {block['kind']} c{block['column']}"
            draw.text((x0 + 1, top - 12), label, fill=(255, 255, 255, 255))
    with atomic_open(out, "wb") as handle:
        image.save(handle, format="PNG")
