"""``consent-form``, ``consent record-paper`` and ``consent verify`` as a subprocess, on the app's database.

- ``consent-form --lang es -o form.pdf`` writes the blank paper consent in Spanish; an unknown language
  exits 2 naming ``--lang``.
- ``consent record-paper`` records the form as signed and countersigned by the clinician named (audited
  under them): the patient may then be treated; an unknown submission or account exits 2; a declined
  form is kept and not countersigned; questions need the clinician's answer; a scan that is not a PDF,
  PNG or JPEG exits 2.
- ``consent verify`` says OK (exit 0) for the stored PDF, and CHANGED (exit 1) once one byte of it changed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from cli_driver import run_on
from factories import AS_OF, healthy_answers, intake_of, with_answer
from screener import assess
from screener.clinical.consent import GROUPS
from screener.language.i18n import Words
from screener.storage import Store
from screener.storage.consents import PAPER_CONSENT_RECORDED
from screener.storage.schema import consents
from staff_driver import add_account

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def clinic(tmp_path):
    data = tmp_path / "data"
    with Store(Store.default_url(data)) as store:
        add_account(store, "ada", "clinician")
        intake = intake_of(with_answer(healthy_answers(), "patient.full_name", "Rosa <Núñez> & Co"))
        submission = store.save_submission(intake, assess(intake, AS_OF), T0)
        store.patients.add_from_submission(submission, by="ada", at=T0)
    return data, submission


cli = run_on


def _text(path) -> str:
    return "".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(path.read_bytes())).pages).split())


def test_the_blank_form_is_written_in_the_language_asked_and_an_unknown_one_exits_2(tmp_path):
    form = tmp_path / "form.pdf"
    run = cli(tmp_path / "data", "consent-form", "--lang", "es", "-o", str(form))
    assert run.returncode == 0, run.stderr
    say = Words("es", "consent")
    assert all("".join(say(group.title).split()) in _text(form) for group in GROUPS)
    refused = cli(tmp_path / "data", "consent-form", "--lang", "fr", "-o", str(tmp_path / "fr.pdf"))
    assert refused.returncode == 2 and "--lang" in refused.stderr and not (tmp_path / "fr.pdf").exists()


def test_a_paper_consent_is_recorded_countersigned_audited_and_verified(clinic):
    data, submission = clinic
    run = cli(data, "consent", "record-paper", submission, "--by", "ada", "--lang", "es")
    assert run.returncode == 0, run.stderr
    consent_id = run.stdout.strip()
    with Store(Store.default_url(data)) as store:
        kept = store.consents.get(consent_id)
        assert kept.kind == "paper" and kept.language == "es" and kept.valid
        assert kept.countersigned_by == "Ada Example (ada)" and kept.typed_name == "Rosa <Núñez> & Co"
        assert store.consents.standing(store.get_submission(submission).patient_id) == "valid"
        [event] = [event for event in store.audit_events() if event.action == PAPER_CONSENT_RECORDED]
        assert event.staff == "Ada Example (ada)" and event.submission_id == submission
    verified = cli(data, "consent", "verify", consent_id)
    assert verified.returncode == 0 and verified.stdout.startswith("OK:"), verified.stdout
    with Store(Store.default_url(data)) as store:
        with store._writer.begin() as conn:
            pdf = conn.scalar(select(consents.c.pdf).where(consents.c.id == consent_id))
            conn.execute(update(consents).where(consents.c.id == consent_id)
                         .values(pdf=pdf[:-10] + bytes([pdf[-10] ^ 1]) + pdf[-9:]))
    changed = cli(data, "consent", "verify", consent_id)
    assert changed.returncode == 1 and changed.stdout.startswith("CHANGED:") and "has changed" in changed.stdout


@pytest.mark.parametrize("options, field", [
    (["--by", "nobody"], "--by"),
    (["--by", "ada", "--lang", "fr"], "--lang"),
    (["--by", "ada", "--decision", "questions", "--questions", "Can I swim?"], "--answer"),
])
def test_each_refusal_exits_2_with_its_field_and_records_nothing(clinic, options, field):
    data, submission = clinic
    run = cli(data, "consent", "record-paper", submission, *options)
    assert run.returncode == 2 and run.stderr.startswith(field), run.stderr
    with Store(Store.default_url(data)) as store:
        assert store.consents.for_submission(submission) is None


def test_an_unknown_submission_or_consent_exits_2(clinic):
    data, _ = clinic
    for args in (["record-paper", "0" * 32, "--by", "ada"], ["verify", "0" * 32]):
        run = cli(data, "consent", *args)
        assert run.returncode == 2 and "0" * 32 in run.stderr


def test_a_declined_form_is_kept_not_countersigned_and_a_scan_must_be_a_document(clinic, tmp_path):
    data, submission = clinic
    not_a_scan = tmp_path / "scan.pdf"
    not_a_scan.write_bytes(b"MZ\x90\x00 not a document")
    refused = cli(data, "consent", "record-paper", submission, "--by", "ada", "--scan", str(not_a_scan))
    assert refused.returncode == 2 and refused.stderr.startswith("--scan")
    declined = cli(data, "consent", "record-paper", submission, "--by", "ada", "--decision", "declined")
    assert declined.returncode == 0, declined.stderr
    with Store(Store.default_url(data)) as store:
        kept = store.consents.get(declined.stdout.strip())
        assert kept.decision == "declined" and kept.countersigned_at is None and not kept.valid
    unsigned = cli(data, "consent", "verify", kept.id)
    assert unsigned.returncode == 1 and "not countersigned" in unsigned.stdout
