"""One submission in the staff area through AppTest: its downloads, its language, the patient's own words.

- The PDF summary, the FHIR bundle and the patient's handout are each made only when
  Download is pressed, are exactly what the library gives for the stored record (the PDF
  with its capture, the bundle in the clinic's time zone, the handout in the patient's
  language), and each download is on the audit trail with its own action.
- A handout language the handout is not written in falls back to English, and the screen
  says so.
- A download offered before sign-out, idle expiry or leaving the submission gives nothing.
- The view says which language the patient answered in, shows the consent they signed in
  that language with the English beside it, their own words as typed in a box at the top,
  and heights as they entered them.
- Administrators are told when others can read the data folder; clinicians are not.
- The audit trail's details read as words, also for listings recorded before.
"""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from factories import everything_answers, with_answer
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import (
    STAFF, Clock, click, download_button, messages, press_download, recorded_downloads, save,
    settings_for, signed_in_app, texts, walk,
)

from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.downloads import DownloadRefused
from app.staff.submission import handout_language
from screener import render_handout, render_pdf
from screener.fhir import submission_bundle_json
from screener.clinical.questionnaire import CONSENT_STATEMENT, OWN_WORDS_TITLE
from screener.storage import Capture, Store
from screener.language.wording import capture_for

CLINIC_ZONE = "America/Los_Angeles"
SPANISH_MEDICINES = "Ibuprofeno 400 mg y «té» de manzanilla <cada noche> & más"
CHINESE_ALLERGIES = "对青霉素过敏 & <花粉>"


def _spanish_submission(store: Store) -> str:
    answers = with_answer(everything_answers(), "medications.other", SPANISH_MEDICINES)
    answers = with_answer(answers, "allergies.other", CHINESE_ALLERGIES)
    return save(store, "Lucía Pérez", answers=answers,
                capture=capture_for("es", {"patient.height_cm": "5 ft 6 in"}))


def _opened(store: Store, clock: Clock, submission: str, **settings):
    settings = dataclasses.replace(settings_for(), timezone=CLINIC_ZONE, **settings)
    return click(signed_in_app(store, clock, settings), f"staff-open-{submission}")


def _actions(store: Store) -> list[str]:
    return [event.action for event in store.audit_events()]


DOWNLOADS = {
    "staff-download": ("pdf_downloaded", lambda kept: render_pdf(kept.intake, kept.assessment, kept.capture)),
    "staff-download-fhir": ("fhir_downloaded", lambda kept: submission_bundle_json(kept, zone=ZoneInfo(CLINIC_ZONE))),
    "staff-download-handout": ("handout_downloaded", lambda kept: render_handout(kept.intake, kept.assessment, "es")),
}


@pytest.mark.parametrize("key", DOWNLOADS)
def test_each_download_is_made_only_on_download_exactly_as_the_library_gives_it_and_audited(store, clock,
                                                                                            monkeypatch, key):
    action, expected = DOWNLOADS[key]
    submission = _spanish_submission(store)
    with recorded_downloads(monkeypatch) as offered:
        at = _opened(store, clock, submission)
        assert not set(_actions(store)) & {audited for audited, _ in DOWNLOADS.values()}, "nothing made before"
        made = press_download(at, offered, key)
        [event] = store.audit_events(action=action)
    assert made == expected(store.get_submission(submission))
    _, file_name = offered.files[download_button(at, key).proto.deferred_file_id]
    assert (event.staff, event.submission_id, event.detail) == (STAFF, submission, file_name)
    assert _actions(store)[0] == action


def test_the_fhir_bundle_is_served_as_fhir_json_and_the_handout_in_the_patients_language(store, clock,
                                                                                          monkeypatch):
    submission = _spanish_submission(store)
    with recorded_downloads(monkeypatch) as offered:
        at = _opened(store, clock, submission)
    fhir, handout = download_button(at, "staff-download-fhir"), download_button(at, "staff-download-handout")
    assert offered.files[fhir.proto.deferred_file_id] == ("application/fhir+json",
                                                          f"screening-{submission[:8]}.fhir.json")
    assert offered.files[handout.proto.deferred_file_id] == ("application/pdf", f"handout-{submission[:8]}-es.pdf")
    assert handout.proto.label == "Download patient handout (Spanish)"


def test_a_language_without_a_handout_gets_the_english_handout_and_the_screen_says_so(store, clock, monkeypatch):
    capture = Capture(language="fr", wording_version="2027.01.01-1", consent_statement="Je confirme.")
    submission = save(store, capture=capture)
    with recorded_downloads(monkeypatch) as offered:
        at = _opened(store, clock, submission)
        made = press_download(at, offered, "staff-download-handout")
    stored = store.get_submission(submission)
    assert made == render_handout(stored.intake, stored.assessment, "en")
    assert download_button(at, "staff-download-handout").proto.label == "Download patient handout (English)"
    assert fmt.literal_markdown(staff_texts.HANDOUT_IN_ENGLISH.format(language="fr")) in messages(at, "caption")
    assert handout_language("zh-Hans") == "zh-Hans" and handout_language("fr") == "en"


@pytest.mark.parametrize("ending", ["sign out", "back to the queue", "idle expiry"])
@pytest.mark.parametrize("key", ["staff-download-fhir", "staff-download-handout"])
def test_a_new_download_offered_before_the_session_ended_gives_nothing(store, clock, monkeypatch, key, ending):
    submission = save(store)
    with recorded_downloads(monkeypatch) as offered:
        at = _opened(store, clock, submission)
        offered_before = offered[download_button(at, key).proto.deferred_file_id]
        if ending == "sign out":
            click(at, "staff-sign-out")
        elif ending == "back to the queue":
            click(at, "staff-back")
        else:
            clock.advance(minutes=15, seconds=1)
        with pytest.raises(DownloadRefused):
            offered_before()
    assert DOWNLOADS[key][0] not in _actions(store)


def test_the_view_names_the_language_shows_both_consents_and_the_own_words_first_as_typed(store, clock):
    at = _opened(store, clock, _spanish_submission(store))
    shown = texts(at)
    markdown = [element.value for element in at.markdown]
    assert fmt.literal_markdown(staff_texts.ANSWERED_IN.format(language="Spanish, Español")) in markdown
    assert capture_for("es").consent_statement in shown and CONSENT_STATEMENT in shown
    assert fmt.literal_markdown("Statement shown, in Spanish") in " ".join(markdown)
    assert SPANISH_MEDICINES in shown and CHINESE_ALLERGIES in shown
    own_box = next(node for node in walk(at.main) if getattr(node, "key", None) == "staff-own-words")
    boxed = [node.value for node in walk(own_box) if type(node).__name__ == "Text"]
    assert boxed == [CHINESE_ALLERGIES, SPANISH_MEDICINES] or boxed == [SPANISH_MEDICINES, CHINESE_ALLERGIES]
    assert [element.value for element in at.subheader][0] == OWN_WORDS_TITLE, "the own words come first"
    assert any(text.endswith("(entered as 5 ft 6 in)") for text in shown)


def test_the_patients_name_is_the_screens_heading_shown_literally(store, clock):
    name = "Zoë *bold* <b>&amp;</b> :red[x]"
    at = _opened(store, clock, save(store, name))
    assert [element.value for element in at.header][0] == fmt.literal_markdown(name)


def test_admins_are_told_when_others_can_read_the_data_folder_and_clinicians_are_not(tmp_path, clock):
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with Store(Store.default_url(folder)) as store:
        warning = store.privacy_warning()
        assert warning and "chmod 700" in warning
        shown = messages(signed_in_app(store, clock), "warning")
        assert staff_texts.DATA_FOLDER_OPEN.format(warning=warning) in shown
        clinician = messages(signed_in_app(store, Clock(), username="cleo", role="clinician"), "warning")
        assert not any("chmod" in text for text in clinician)
    with Store(Store.default_url(tmp_path / "private")) as store:
        assert store.privacy_warning() is None
        assert not any("chmod" in text for text in messages(signed_in_app(store, clock), "warning"))


def test_audit_details_read_as_words_also_for_listings_recorded_before(store, clock):
    store.record_event(staff="old", action=staff_texts.QUEUE_VIEWED, at=clock(),
                       detail="decision=not_eligible; status=any; name search=yes; page 2")
    at = click(signed_in_app(store, clock), "staff-to-audit")
    details = list(at.dataframe[0].value["Detail"])
    assert "Not eligible · any review status · a name searched (not recorded) · page 2" in details
    assert "All decisions · any review status · no name search · page 1" in details
    assert not any("=" in detail for detail in details if detail)
