"""The public examples of SCREENING.md section 7, through the API and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from screener import InvalidIntake, assess, parse_intake

PROJECT = Path(__file__).resolve().parents[2]
EXAMPLES = PROJECT / "tests" / "examples"
SHARED_EXAMPLES = PROJECT.parent / "shared" / "examples"
CASES = sorted(path.name.removesuffix(".expected.json") for path in EXAMPLES.glob("*.expected.json"))


def load(name: str) -> tuple[bytes, dict]:
    return (EXAMPLES / f"{name}.json").read_bytes(), json.loads((EXAMPLES / f"{name}.expected.json").read_text())


def check(assessment: dict, expected: dict) -> None:
    ids = [flag["rule_id"] for flag in assessment["flags"]]
    assert assessment["decision"] == expected["decision"]
    assert set(expected["flags_present"]) <= set(ids)
    assert not set(expected["flags_absent"]) & set(ids)
    assert assessment["excluded_agents"] == expected["excluded_agents"]
    assert assessment["excluded_techniques"] == expected["excluded_techniques"]
    assert assessment["assessed_on"] == expected["as_of"]


def test_there_are_examples():
    assert len(CASES) >= 7


@pytest.mark.skipif(not SHARED_EXAMPLES.is_dir(), reason="shared/ is not beside this checkout")
def test_copies_match_the_shared_examples():
    for shared in SHARED_EXAMPLES.glob("*.json"):
        assert (EXAMPLES / shared.name).read_bytes() == shared.read_bytes(), shared.name


@pytest.mark.parametrize("name", CASES)
def test_example_through_the_api(name):
    text, expected = load(name)
    as_of = date.fromisoformat(expected["as_of"])
    if expected.get("invalid"):
        with pytest.raises(InvalidIntake) as caught:
            parse_intake(text, as_of)
        assert any(expected["error_mentions"] in str(problem) for problem in caught.value.problems)
    else:
        check(assess(parse_intake(text, as_of), as_of).model_dump(mode="json"), expected)


@pytest.mark.parametrize("name", CASES)
def test_example_through_the_cli(name):
    _, expected = load(name)
    result = subprocess.run(
        [sys.executable, "-m", "screener", "assess", str(EXAMPLES / f"{name}.json"), "--as-of", expected["as_of"]],
        capture_output=True, text=True, cwd=PROJECT, timeout=60,
    )
    assert "Traceback" not in result.stderr
    if expected.get("invalid"):
        assert result.returncode == 2 and result.stdout == ""
        assert expected["error_mentions"] in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        check(json.loads(result.stdout), expected)
