"""`python -m screener fhir questionnaire | fhir bundle | from-fhir` as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from factories import everything_answers, healthy_answers
from cli_driver import ROOT, run, write


def test_fhir_questionnaire_prints_a_valid_r4_questionnaire():
    result = run("fhir", "questionnaire")
    assert result.returncode == 0 and result.stderr == b""
    Questionnaire.model_validate(json.loads(result.stdout))


def test_fhir_bundle_then_from_fhir_gives_back_an_intake_that_assesses_the_same(tmp_path):
    intake_file = write(tmp_path, everything_answers())
    made = run("fhir", "bundle", str(intake_file), "--as-of", "2026-11-21")
    assert made.returncode == 0 and made.stderr == b""
    Bundle.model_validate(json.loads(made.stdout))
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_bytes(made.stdout)
    back = run("from-fhir", str(bundle_file), "--as-of", "2026-11-21")
    assert back.returncode == 0 and back.stderr == b""
    assert json.loads(back.stdout)["allergies"]["other"] == everything_answers()["allergies"]["other"]
    again = run("assess", "-", "--as-of", "2026-11-21", stdin=back.stdout)
    original = run("assess", str(intake_file), "--as-of", "2026-11-21")
    assert again.returncode == 0 and again.stdout == original.stdout


def test_fhir_bundle_writes_a_time_without_offset_in_the_clinics_zone(tmp_path):
    made = run("fhir", "bundle", str(write(tmp_path, healthy_answers())), "--as-of", "2026-11-21",
               "--timezone", "Asia/Tokyo")
    consent = next(entry["resource"] for entry in json.loads(made.stdout)["entry"]
                   if entry["resource"]["resourceType"] == "Consent")
    assert consent["dateTime"] == "2026-11-21T09:30:00+09:00"


def test_from_fhir_names_each_link_id_that_does_not_fit_and_exits_2(tmp_path):
    made = json.loads(run("fhir", "bundle", str(write(tmp_path, healthy_answers())), "--timezone", "UTC").stdout)
    response = next(entry["resource"] for entry in made["entry"]
                    if entry["resource"]["resourceType"] == "QuestionnaireResponse")
    groups = {group["linkId"]: group for group in response["item"]}
    groups["skin"]["item"].append({"linkId": "skin.freckles", "answer": [{"valueBoolean": True}]})
    groups["lifestyle"]["item"] = [item for item in groups["lifestyle"]["item"] if item["linkId"] != "lifestyle.smoker"]
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    result = run("from-fhir", str(path), "--as-of", "2026-11-21")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().splitlines() == [
        "skin.freckles: Not a question of this questionnaire (unknown linkId).",
        "lifestyle.smoker: This answer is required.",
    ]


def test_bad_input_to_the_fhir_commands_exits_2_in_plain_words(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2_000_001)
    cases = [
        (("from-fhir", str(tmp_path / "missing.json")), "missing.json: No such file."),
        (("from-fhir", "-"), "This is not valid JSON: Expecting value at line 1 column 1."),
        (("from-fhir", str(big)), "The file is larger than 2,000,000 bytes; this is not one response."),
        (("fhir", "bundle", str(write(tmp_path, healthy_answers())), "--timezone", "Atlantis/Capital"),
         "--timezone: Not a time zone name such as Europe/London: 'Atlantis/Capital'."),
        (("fhir", "bundle", "-", "--as-of", "21/11/2026"), "--as-of: Enter a date as YYYY-MM-DD, not '21/11/2026'."),
    ]
    for args, message in cases:
        result = run(*args, stdin=b"not json")
        assert result.returncode == 2, args
        assert result.stderr.decode().strip().endswith(message), result.stderr


def test_a_response_over_the_intakes_limit_is_read_to_its_own_2_mb_limit_from_a_file_and_from_standard_input(tmp_path):
    """One reader, one limit: a 423 KB bundle (padded with JSON white space) is read as a file and as
    standard input alike; the intake's 256 KB limit is not the response's."""
    made = run("fhir", "bundle", str(write(tmp_path, healthy_answers())), "--as-of", "2026-11-21")
    padded = made.stdout.replace(b"{", b"{" + b" " * 2000, 1)
    padded = padded + b" " * (423 * 1024 - len(padded))
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_bytes(padded)
    from_file = run("from-fhir", str(bundle_file), "--as-of", "2026-11-21")
    from_stdin = run("from-fhir", "-", "--as-of", "2026-11-21", stdin=padded)
    assert from_file.returncode == from_stdin.returncode == 0, from_file.stderr
    assert from_file.stdout == from_stdin.stdout


def test_from_fhir_with_standard_input_closed_exits_2_with_a_sentence():
    command = ("import os, subprocess, sys; child = subprocess.run([sys.executable, '-m', 'screener', 'from-fhir', '-'],"
               " capture_output=False, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(0));"
               " sys.stdout.write(str(child.returncode) + '|' + child.stderr.decode())")
    result = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, cwd=ROOT, timeout=60)
    code, stderr = result.stdout.split("|", 1)
    assert code == "2" and stderr == "-: Standard input is closed; pipe the intake in or give a file.\n"
