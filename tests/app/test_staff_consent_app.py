"""The consent to the treatment in the staff area (issue 22), walked with AppTest.

- The queue tells the clinician of a consent that waits: questions to answer, declined, to countersign.
- A consent with questions shows them as typed, with the signature; countersigning without an answer is
  refused (nothing changes); with one, the consent is countersigned under the clinician's account, and the
  PDF offered is the stored one, byte for byte, whose SHA-256 the trail holds.
- A declined consent is shown as declined, kept, and offers no countersignature.
- A consent on older words says so and asks for a new one.
- A consent signed on paper is recorded from the form and countersigned in one step; without the name
  or the decision nothing is stored and the form says what is missing.
"""

from __future__ import annotations

from datetime import datetime, timezone

from factories import AS_OF, a_signed_consent, healthy_answers, intake_of, with_answer
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import NOW, click, messages, press_download, recorded_downloads, signed_in_app, texts, walk

from app.staff import staff_texts
from screener import assess
from screener.storage.consents import CONSENT_COUNTERSIGNED, sha256

SIGNED = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)
QUESTION = "Can I fly <home> & swim on \"Friday\"?"


def signed(store, decision="agreed", questions="", **more) -> str:
    intake = intake_of(with_answer(healthy_answers(), "patient.full_name", "Rosa Núñez"))
    return store.save_submission(intake, assess(intake, AS_OF), SIGNED,
                                 consent=a_signed_consent(decision=decision, questions=questions, **more))


def test_the_queue_marks_each_consent_that_waits_for_the_clinic(store, clock):
    waiting = {decision: signed(store, decision, "Why?" if decision == "questions" else "")
               for decision in ("questions", "declined", "agreed")}
    at = signed_in_app(store, clock)
    shown = [element.value for element in at.markdown]  # st.badge draws as Markdown
    for decision in waiting:
        assert any(staff_texts.TC_QUEUE_MARK[decision] in label for label in shown), decision


def test_questions_are_answered_before_countersigning_and_the_stored_pdf_is_offered(store, clock, monkeypatch):
    submission = signed(store, "questions", QUESTION)
    with recorded_downloads(monkeypatch) as offered:
        at = click(signed_in_app(store, clock), f"staff-open-{submission}")
        assert QUESTION in texts(at)
        shown = [element.proto.body for element in walk(at._tree) if getattr(element, "type", "") == "html"]
        assert any("data:image/png;base64," in body for body in shown), "the drawn signature is shown inline"
        assert not any(getattr(element, "type", "") == "image" for element in walk(at._tree)), "never a media file"
        at = click(at, "staff-countersign")
        assert any("write how they were answered" in text for text in messages(at, "error"))
        assert store.consents.for_submission(submission).countersigned_at is None
        at.text_area(key="staff-consent-answer").input("Yes to both, after 48 hours.")
        at = click(at.run(), "staff-countersign")
        kept = store.consents.for_submission(submission)
        assert kept.countersigned_by == "Ada Example (ada)" and kept.clinician_answer == "Yes to both, after 48 hours."
        assert staff_texts.TC_COUNTERSIGNED in messages(at, "success")
        pdf = press_download(at, offered, "staff-download-consent")
    assert pdf == kept.pdf and sha256(pdf) == kept.pdf_sha256
    [event] = [event for event in store.audit_events() if event.action == CONSENT_COUNTERSIGNED]
    assert kept.pdf_sha256 in event.detail and event.staff == "Ada Example (ada)"
    assert store.consents.verify(kept.id)[0]


def test_a_declined_consent_is_shown_kept_and_cannot_be_countersigned(store, clock):
    submission = signed(store, "declined")
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    assert staff_texts.TC_DECLINED in messages(at, "error")
    assert not any(button.key == "staff-countersign" for button in at.button)
    assert store.consents.for_submission(submission).decision == "declined"


def test_a_consent_on_older_words_says_so(store, clock):
    submission = signed(store, wording_version="2025.01.01-1")
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    assert any("older version of the consent's words" in text for text in messages(at, "warning"))


def test_a_paper_consent_is_recorded_from_the_form_and_countersigned(store, clock):
    intake = intake_of(with_answer(healthy_answers(), "patient.full_name", "Rosa Núñez"))
    submission = store.save_submission(intake, assess(intake, AS_OF), SIGNED)
    at = click(signed_in_app(store, clock), f"staff-open-{submission}")
    assert staff_texts.TC_NONE in [element.value for element in at.markdown]
    at = click(at, "staff-record-paper")
    shown = " ".join(messages(at, "error"))
    assert staff_texts.TC_PAPER_NAME_NEEDED in shown and staff_texts.TC_PAPER_DECISION_NEEDED in shown
    assert store.consents.for_submission(submission) is None
    at.selectbox(key="staff-paper-language").set_value("es")
    at.radio(key="staff-paper-decision").set_value("agreed")
    at.text_input(key="staff-paper-name").input("Rosa Núñez")
    at = click(at.run(), "staff-record-paper")
    kept = store.consents.for_submission(submission)
    assert kept.kind == "paper" and kept.language == "es" and kept.valid and kept.countersigned_at == NOW
    assert staff_texts.TC_PAPER_RECORDED in messages(at, "success")
