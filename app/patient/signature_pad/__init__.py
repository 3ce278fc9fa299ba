"""A drawn signature: a canvas the patient signs with a finger, as a small Streamlit component of our own.

Written out rather than taken from ``streamlit-drawable-canvas``: that package's last release (2023) reads
Streamlit internals that later versions moved, and a signature needs only a canvas, pointer events and a
Clear button (``index.html``, about 70 lines, no build step, nothing fetched from the network). The value
is the drawing as a PNG ``data:`` URL, "" once cleared, or None before anything is drawn (``app.patient.signing.png_of`` checks
and decodes it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import streamlit.components.v1 as components

_PAD = components.declare_component("signature_pad", path=str(Path(__file__).parent))


def signature_pad(label: str, clear_label: str, language: str, key: str) -> Optional[str]:
    """Draw the pad; its value (a PNG data URL, "" once cleared, or None) as the browser last sent it."""
    return _PAD(label=label, clear_label=clear_label, language=language, key=key, default=None)
