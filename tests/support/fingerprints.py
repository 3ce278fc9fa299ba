"""A version tied to a fingerprint of what it names, recorded in a JSON file beside the tests."""

from __future__ import annotations

import json
from pathlib import Path


def assert_version_recorded(name: str, version: str, current: str, recorded_file: Path, bump_in: str) -> None:
    """``version`` is recorded in ``recorded_file`` with the fingerprint ``current``; the message says how to fix it."""
    recorded = json.loads(recorded_file.read_text())
    assert version in recorded, (
        f"{name} {version!r} is not recorded: add \"{version}\": \"{current}\" to {recorded_file.name}"
    )
    assert recorded[version] == current, (
        f"What {name} names changed but {name} is still {version!r}: bump it in {bump_in} "
        f"and record the new fingerprint {current} in {recorded_file.name}"
    )


def assert_fingerprints_distinct(recorded_file: Path) -> None:
    recorded = json.loads(recorded_file.read_text())
    assert len(set(recorded.values())) == len(recorded)
