"""``rules_version`` must change whenever the rule set's logic or wording changes.

The fingerprint covers the files that decide flags and their words: the rules, the
tests their conditions are made of, and the engine. After changing any of them, bump ``RULES_VERSION`` in screener/rules.py and record the new fingerprint
printed by the failing test in tests/rules_fingerprints.json.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from screener import RULES_VERSION

ROOT = Path(__file__).parent.parent
RULE_FILES = ["screener/rules.py", "screener/engine.py", "screener/conditions.py"]
RECORDED = Path(__file__).parent / "rules_fingerprints.json"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(name.encode())
        digest.update((ROOT / name).read_text(encoding="utf-8").replace("\r\n", "\n").encode())
    return digest.hexdigest()


def test_rules_version_matches_the_rule_files():
    recorded = json.loads(RECORDED.read_text())
    current = fingerprint()
    assert RULES_VERSION in recorded, (
        f"RULES_VERSION {RULES_VERSION!r} is not recorded: add \"{RULES_VERSION}\": \"{current}\" to {RECORDED.name}"
    )
    assert recorded[RULES_VERSION] == current, (
        f"The rule files changed but RULES_VERSION is still {RULES_VERSION!r}: bump it in screener/rules.py "
        f"and record the new fingerprint {current} in {RECORDED.name}"
    )


def test_each_recorded_version_has_its_own_fingerprint():
    recorded = json.loads(RECORDED.read_text())
    assert len(set(recorded.values())) == len(recorded)
