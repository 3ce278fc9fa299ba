"""Same-day triage in the staff area (AppTest).

- An urgent submission waiting for review is listed first in the queue, with an "Urgent" marker,
  whatever its time; once reviewed it takes its place by time and loses the marker.
- Every signed-in staff page shows a banner counting the urgent submissions waiting ("1 urgent
  submission waiting"), with no name in it; none when there are none.
- A submission signed before version 2 shows which questions it was never asked.
"""

from __future__ import annotations

import json
from datetime import timedelta

from factories import healthy_answers, with_answer
from staff_driver import clock, store  # noqa: F401  (fixtures)
from staff_driver import SUBMITTED, click, save, signed_in_app

from app.staff import staff_texts
from screener.storage.schema import submissions

CLOT = with_answer(healthy_answers(), "clotting.vte_history", "current")
BLEEDING = with_answer(healthy_answers(), "symptoms.bleeding_vein", True)


def _banner(at) -> list[str]:
    return [element.value for element in at.error if "urgent submission" in element.value]


URGENT_MARK = f":red-badge[:material/emergency: {staff_texts.URGENT_BADGE}]"


def _badges(at) -> list[str]:
    return [element.value for element in at.markdown if "-badge[" in element.value]


def _queue_order(at) -> list[str]:
    return [element.value for element in at.text if element.value.startswith("Patient ")]


def test_an_urgent_submission_waiting_is_first_in_the_queue_with_its_marker(store, clock):
    save(store, "Patient Newest", at=SUBMITTED + timedelta(hours=2))
    urgent = save(store, "Patient Oldest Urgent", answers=CLOT, at=SUBMITTED)
    save(store, "Patient Middle", at=SUBMITTED + timedelta(hours=1))
    at = signed_in_app(store, clock)
    assert _queue_order(at) == ["Patient Oldest Urgent", "Patient Newest", "Patient Middle"]
    assert _badges(at).count(URGENT_MARK) == 1
    store.mark_reviewed(urgent, staff="ada", note="", expected_version=0, at=clock())
    at = click(at, "staff-to-queue")
    assert _queue_order(at) == ["Patient Newest", "Patient Middle", "Patient Oldest Urgent"]
    assert URGENT_MARK not in _badges(at)


def test_the_banner_counts_urgent_submissions_waiting_and_names_nobody(store, clock):
    at = signed_in_app(store, clock)
    assert _banner(at) == []
    save(store, "Patient Clot Today", answers=CLOT)
    at = at.run()
    [banner] = _banner(at)
    assert banner.startswith(f"**{staff_texts.URGENT_WAITING_ONE}**") and "Clot Today" not in banner
    save(store, "Patient Bleeding Today", answers=BLEEDING)
    at = at.run()
    assert _banner(at)[0].startswith("**2 urgent submissions waiting")


def test_the_banner_is_on_every_staff_screen_and_leads_back_to_the_queue(store, clock):
    sid = save(store, "Patient Clot Today", answers=CLOT)
    at = signed_in_app(store, clock)
    at = click(at, f"staff-open-{sid}")
    assert _banner(at) and URGENT_MARK in _badges(at)
    at = click(at, "staff-urgent-show")
    assert any(element.value == staff_texts.QUEUE_TITLE for element in at.header)


def test_a_version_1_submission_says_which_questions_it_was_never_asked(store, clock):
    sid = save(store, "Patient Version One")
    with store._engine.begin() as conn:  # as signed before version 2: without the two new answers
        stored = json.loads(conn.execute(submissions.select().where(submissions.c.id == sid)).one().intake_json)
        del stored["veins"]["bulging"], stored["clotting"]["reduced_mobility"]
        conn.execute(submissions.update().where(submissions.c.id == sid).values(intake_json=json.dumps(stored)))
    at = click(signed_in_app(store, clock), f"staff-open-{sid}")
    shown = " ".join(element.value for element in at.markdown)
    assert staff_texts.NOT_ASKED_HEADING in shown
    assert "Does any of your veins bulge above the skin or look like a rope" in shown.replace("\\", "")
    assert "Not asked (signed before this question was added)" in [element.value for element in at.text]
