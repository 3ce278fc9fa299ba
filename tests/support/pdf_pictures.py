"""PDFs looked at as images: poppler's ``pdftoppm`` renders the pages, Pillow compares them."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pages_as_images(pdf: bytes, folder: Path, name: str, dpi: int = 50) -> list:
    from PIL import Image

    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / name)], check=True)
    return [Image.open(page).convert("L") for page in sorted(folder.glob(f"{name}-*.png"))]


def dark_marks_only_in(pdf: bytes, without: bytes, folder: Path) -> list[tuple[int, int]]:
    """The darkest grey (0 black, 255 white) of each page where ``pdf`` differs from ``without`` (the same
    document less one thing), as (page number, darkest): where that one thing shows, and how dark."""
    from PIL import ImageChops

    drawn, bare = pages_as_images(pdf, folder, "with"), pages_as_images(without, folder, "without")
    assert len(drawn) == len(bare), "the one thing moved the pages"
    found = []
    for number, (page, other) in enumerate(zip(drawn, bare), start=1):
        box = ImageChops.difference(page, other).getbbox()
        if box:
            found.append((number, page.crop(box).getextrema()[0]))
    return found
