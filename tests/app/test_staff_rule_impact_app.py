"""After a rule change, on the queue, through AppTest (issue 15's staff side).

- Administrators see a box that counts, when asked, the stored submissions the current
  rules would screen differently (nothing is read before), with how the decisions move;
  clinicians do not see it.
- The count is kept for the sign-in, and counted again on request.
- The report is exactly ``impact_report_csv`` of the store, made only on Download and
  audited; it is refused after sign-out.
"""

from __future__ import annotations

import pytest
from factories import AS_OF, healthy_answers, intake_of, with_answer
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import (
    STAFF, SUBMITTED, click, download_button, keys_on_screen, press_download, recorded_downloads, save,
    signed_in_app,
)

from app.staff import staff_texts
from app.staff.downloads import DownloadRefused
from screener import assess
from screener.clinical.impact import impact_report_csv
from screener.clinical.rules import RULES_VERSION
from screener.storage import Store


def _stored_under_older_rules(store: Store, name: str) -> str:
    """A submission whose stored assessment (eligible, no flags, an old version) the current rules would change."""
    intake = intake_of(with_answer(with_answer(healthy_answers(), "reproductive.breastfeeding", True),
                                   "patient.full_name", name))
    older = assess(intake, AS_OF).model_copy(update={"rules_version": "2020.01.01-1", "decision": "eligible",
                                                     "flags": []})
    return store.save_submission(intake, older, SUBMITTED)


def _box_words(at) -> str:
    return " ".join([element.value for element in at.markdown] + [element.value for element in at.subheader])


def test_admins_count_on_request_the_submissions_the_current_rules_would_screen_differently(store, clock):
    _stored_under_older_rules(store, "Changed One")
    _stored_under_older_rules(store, "Changed Two")
    save(store, "Unchanged Patient")
    at = signed_in_app(store, clock)
    assert "staff-rule-impact" in keys_on_screen(at)
    assert staff_texts.IMPACT_NOT_COUNTED.format(version=RULES_VERSION) in _box_words(at), "nothing read before asked"
    at = click(at, "staff-impact-count")
    shown = _box_words(at)
    assert "2 of 3 stored submissions would now be screened differently, and 0 can no longer be assessed" in shown
    assert "Eligible → Clinician review: 2" in shown.replace("\\", "")
    _stored_under_older_rules(store, "Changed Three")
    assert "2 of 3" in _box_words(at.run()), "kept for the sign-in, not counted on every rerun"
    assert "3 of 4" in _box_words(click(at, "staff-impact-count")), "counted again on request"


def test_clinicians_do_not_see_the_rule_change_box(store, clock):
    _stored_under_older_rules(store, "Changed One")
    at = signed_in_app(store, clock, username="cleo", role="clinician")
    assert "staff-rule-impact" not in keys_on_screen(at)
    assert not any(element.key == "staff-download-impact" for element in at.get("download_button"))


def test_the_report_is_made_only_on_download_exactly_as_the_library_gives_it_and_audited(store, clock,
                                                                                         monkeypatch):
    _stored_under_older_rules(store, "Changed One")
    with recorded_downloads(monkeypatch) as offered:
        at = signed_in_app(store, clock)
        assert not store.audit_events(action=staff_texts.IMPACT_DOWNLOADED), "nothing made before Download"
        report = press_download(at, offered, "staff-download-impact")
        [event] = store.audit_events(action=staff_texts.IMPACT_DOWNLOADED)
        file_id = download_button(at, "staff-download-impact").proto.deferred_file_id
        offered_before = offered[file_id]
        click(at, "staff-sign-out")
        with pytest.raises(DownloadRefused):
            offered_before()
    assert report == impact_report_csv(store) and b"Changed One" in report
    assert offered.files[file_id] == ("text/csv", f"rule-impact-{RULES_VERSION}.csv")
    assert event.detail == f"rule-impact-{RULES_VERSION}.csv"
    assert (event.staff, event.submission_id) == (STAFF, None)
    assert len(store.audit_events(action=staff_texts.IMPACT_DOWNLOADED)) == 1
