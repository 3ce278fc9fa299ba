"""What the submission view computes and how it writes things, without Streamlit.

- Under the current rules there is nothing to compare; under older rules the current
  assessment is computed on the stored day, and added, removed and changed flags, a
  changed decision and changed exclusions are all named.
- Text bound for ``st.markdown`` has every punctuation mark escaped; times are local.
"""

from __future__ import annotations

import string
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer

from app.staff import formatting as fmt
from screener import RULES_VERSION, assess
from screener.clinical.reassess import compare, reassess


def _intake(**answers):
    data = healthy_answers()
    for path, value in answers.items():
        data = with_answer(data, path.replace("__", "."), value)
    return intake_of(data)


def test_an_assessment_under_the_current_rules_is_not_reassessed():
    intake = intake_of(everything_answers())
    assert reassess(intake, assess(intake, AS_OF)) is None


def test_older_rules_are_compared_with_the_current_ones_on_the_stored_day():
    intake = _intake(reproductive__breastfeeding=True, skin__current_tan=True)
    current = assess(intake, AS_OF)
    breastfeeding, tan = (next(flag for flag in current.flags if flag.rule_id == rule)
                          for rule in ("BREASTFEEDING", "CURRENT-TAN"))
    retired = tan.model_copy(update={"rule_id": "RETIRED-RULE"})
    reworded = tan.model_copy(update={"severity": "relative", "action": "Older words."})
    stored = current.model_copy(update={"rules_version": "2020.01.01-1", "decision": "eligible_with_precautions",
                                        "flags": [reworded, retired], "excluded_agents": ["polidocanol"]})
    change = reassess(intake, stored)
    assert change.current == current and change.current.rules_version == RULES_VERSION
    assert change.current.assessed_on == AS_OF
    assert change.decision_changed and change.differs
    assert [flag.rule_id for flag in change.added] == [breastfeeding.rule_id]
    assert [flag.rule_id for flag in change.removed] == ["RETIRED-RULE"]
    [changed] = change.changed
    assert (changed.stored, changed.current, changed.fields) == (reworded, tan, ("severity", "action"))
    assert change.agents_removed == ("polidocanol",) and change.agents_added == ()


def test_the_same_result_under_new_rules_has_no_differences():
    intake = intake_of(everything_answers())
    current = assess(intake, AS_OF)
    change = compare(current.model_copy(update={"rules_version": "old"}), current)
    assert not change.differs


def test_the_reassessment_uses_the_stored_day_not_today():
    intake = _intake(veins__prior_treatments=["sclerotherapy"], veins__last_sclerotherapy_date="2026-11-01")
    on_the_day = assess(intake, AS_OF)
    assert "SESSION-INTERVAL" in [flag.rule_id for flag in on_the_day.flags]
    change = reassess(intake, on_the_day.model_copy(update={"rules_version": "old"}))
    assert not change.differs, "42 days later the interval rule would not fire; the stored day is used"


def test_markdown_bound_text_has_every_punctuation_mark_escaped():
    for mark in string.punctuation:
        assert fmt.literal_markdown(f"a{mark}b") == f"a\\{mark}b"
    assert fmt.literal_markdown("Zoë 王秀英 42") == "Zoë 王秀英 42"


def test_times_are_local_and_today_is_named():
    zone = ZoneInfo("Europe/Berlin")
    now = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
    assert fmt.moment(datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc), zone, now) == "Today, 10:30"
    assert fmt.moment(datetime(2026, 11, 20, 23, 30, tzinfo=timezone.utc), zone, now) == "Today, 00:30"
    assert fmt.moment(datetime(2025, 10, 16, 13, 0, tzinfo=timezone.utc), zone, now) == "16 October 2025, 15:00"
    assert fmt.day(date(1984, 3, 9)) == "9 March 1984"


def test_an_unknown_browser_zone_falls_back_to_the_servers():
    assert fmt.zone_named("Not/AZone").utcoffset(datetime.now()) == datetime.now().astimezone().utcoffset()
    assert fmt.zone_named("Asia/Tokyo") == ZoneInfo("Asia/Tokyo")
