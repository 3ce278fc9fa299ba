"""`python -m screener` as a user runs it: a subprocess, its exit code, its two streams."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli_driver import run, write
from factories import everything_answers, healthy_answers, with_answer
from screener.clinical.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]


def test_assess_prints_the_assessment_json(tmp_path):
    result = run("assess", str(write(tmp_path, everything_answers())), "--as-of", "2026-11-21")
    assert result.returncode == 0 and result.stderr == b""
    assessment = json.loads(result.stdout)
    assert assessment["decision"] == "not_eligible" and assessment["assessed_on"] == "2026-11-21"
    assert len(assessment["flags"]) == 46


def test_assess_reads_standard_input():
    result = run("assess", "-", "--as-of", "2026-11-21", stdin=json.dumps(healthy_answers()).encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["decision"] == "eligible"


def test_as_of_defaults_to_today(tmp_path):
    from datetime import date

    result = run("assess", str(write(tmp_path, healthy_answers())))
    assert json.loads(result.stdout)["assessed_on"] == date.today().isoformat()


def test_an_invalid_intake_exits_2_naming_every_problem(tmp_path):
    answers = with_answer(healthy_answers(), "patient.full_name", " ")
    answers = with_answer(answers, "skin.fitzpatrick_type", "4")
    answers = with_answer(answers, "veins.prior_sclerotherapy_reactions", ["allergic"])
    answers["lifestyle"]["pets"] = True
    result = run("assess", str(write(tmp_path, answers)), "--as-of", "2026-11-21")
    assert result.returncode == 2 and result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert lines == [
        "patient.full_name: This cannot be left blank.",
        "veins.prior_sclerotherapy_reactions: Reactions to sclerotherapy can only be given after earlier sclerotherapy.",
        "skin.fitzpatrick_type: Enter a whole number.",
        'lifestyle.pets: "pets" is not a known field; remove it.',
    ]


def test_a_date_checked_against_as_of(tmp_path):
    path = write(tmp_path, with_answer(healthy_answers(), "patient.date_of_birth", "2026-11-22"))
    assert run("assess", str(path), "--as-of", "2026-11-22").returncode == 0
    result = run("assess", str(path), "--as-of", "2026-11-21")
    assert result.returncode == 2 and b"patient.date_of_birth:" in result.stderr


@pytest.mark.parametrize(("text", "where"), [('{"patient": ', "line 1 column 12"), ("{\n\n  oops\n}", "line 3 column 3")])
def test_malformed_json_exits_2_with_line_and_column(tmp_path, text, where):
    result = run("assess", str(write(tmp_path, text)))
    assert result.returncode == 2
    assert where in result.stderr.decode() and "not valid JSON" in result.stderr.decode()


def test_malformed_json_on_standard_input():
    result = run("assess", "-", stdin=b"not json")
    assert result.returncode == 2 and b"not valid JSON" in result.stderr


def test_a_file_that_is_not_utf8_exits_2(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(healthy_answers()).replace("Alex", "Zo\u00eb").encode("latin-1"))
    result = run("assess", str(path))
    assert result.returncode == 2 and b"UTF-8" in result.stderr


def test_a_missing_file_exits_2():
    result = run("assess", "no/such/intake.json")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "no/such/intake.json: No such file."


@pytest.mark.parametrize("as_of", ["21-11-2026", "2026-02-30", "today", "2026-1-1"])
def test_a_malformed_as_of_exits_2(tmp_path, as_of):
    result = run("assess", str(write(tmp_path, healthy_answers())), "--as-of", as_of)
    assert result.returncode == 2 and result.stderr.decode().startswith("--as-of: ")


def test_unknown_command_exits_2_without_traceback():
    assert run("frobnicate").returncode == 2


def test_non_ascii_output_is_utf8_whatever_the_locale(tmp_path):
    answers = with_answer(healthy_answers(), "patient.full_name", "王秀英")
    result = subprocess.run([sys.executable, "-m", "screener", "assess", str(write(tmp_path, answers))],
                            capture_output=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"}, timeout=60)
    assert result.returncode == 0, result.stderr


def test_rules_lists_every_rule_with_severity_title_and_source():
    result = run("rules")
    assert result.returncode == 0
    rows = [line.split("\t") for line in result.stdout.decode().splitlines()[1:]]
    assert [row[0] for row in rows] == [rule.rule_id for rule in ALL_RULES]
    for row, rule in zip(rows, ALL_RULES):
        assert row == [rule.rule_id, rule.severity, rule.title, rule.source]


@pytest.mark.parametrize("as_of", ["2026-W47-6", "٢٠٢٦-١١-٢١", "20261121"])
def test_as_of_must_be_exactly_yyyy_mm_dd(tmp_path, as_of):
    result = run("assess", str(write(tmp_path, healthy_answers())), "--as-of", as_of)
    assert result.returncode == 2 and result.stderr.decode().startswith("--as-of: ")


def test_a_pdf_that_cannot_be_written_fails_with_one_line(tmp_path):
    result = run("pdf", str(write(tmp_path, healthy_answers())), "-o", str(tmp_path / "no" / "such" / "dir.pdf"))
    assert result.returncode == 1
    assert len(result.stderr.decode().strip().splitlines()) == 1 and b"cannot be written" in result.stderr
