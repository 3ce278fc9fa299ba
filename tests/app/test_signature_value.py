"""What the signature pad sends is taken only when it is a drawn signature: a PNG ``data:`` URL of a
sensible size, in bytes and in pixels. Anything else arriving (a crafted message on the clinic network,
a decompression bomb, text) is not a signature, and the patient is asked to sign."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest

from app.patient.signing import MAX_PNG_BYTES, MAX_PNG_SIDE, png_of
from factories import SIGNATURE_DATA_URL, SIGNATURE_PNG


def _data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _declaring(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + b"IHDR" + header
            + struct.pack(">I", zlib.crc32(b"IHDR" + header)))


def test_a_drawn_signature_is_taken_as_its_png():
    assert png_of(SIGNATURE_DATA_URL) == SIGNATURE_PNG


@pytest.mark.parametrize("value", [
    None, "", 42, "<img src=x onerror=alert(1)>", "data:image/png;base64,not base64!",
    _data_url(b"GIF89a not a png"), "data:text/html;base64," + base64.b64encode(SIGNATURE_PNG).decode(),
    _data_url(SIGNATURE_PNG + b"\0" * MAX_PNG_BYTES),
    _data_url(_declaring(MAX_PNG_SIDE + 1, 200)), _data_url(_declaring(600, 100_000)), _data_url(_declaring(0, 10)),
])
def test_anything_else_is_not_a_signature(value):
    assert png_of(value) is None
