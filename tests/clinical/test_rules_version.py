"""``rules_version`` must change whenever the rule set's logic or wording changes.

The fingerprint covers the files that decide flags and their words: the rules, the
tests their conditions are made of, and the engine. After changing any of them, bump ``RULES_VERSION`` in screener/clinical/rules.py and record the new fingerprint
printed by the failing test in tests/rules_fingerprints.json.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fingerprints import assert_fingerprints_distinct, assert_version_recorded
from screener import RULES_VERSION

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = ["screener/clinical/rules.py", "screener/clinical/engine.py", "screener/clinical/conditions.py"]
RECORDED = Path(__file__).parent / "rules_fingerprints.json"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(name.encode())
        digest.update((ROOT / name).read_text(encoding="utf-8").replace("\r\n", "\n").encode())
    return digest.hexdigest()


def test_rules_version_matches_the_rule_files():
    assert_version_recorded("RULES_VERSION", RULES_VERSION, fingerprint(), RECORDED, "screener/clinical/rules.py")


def test_each_recorded_version_has_its_own_fingerprint():
    assert_fingerprints_distinct(RECORDED)
