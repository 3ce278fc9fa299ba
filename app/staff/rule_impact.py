"""For administrators on the queue: how many stored submissions the current rules would screen
differently (``screener.clinical.impact``), counted on request, and the same report as the ``reassess`` command.

The count reads every stored submission, so it runs only when asked and is kept for this
sign-in in session state (cleared with everything else at sign-out), never in ``st.cache_*``,
which every session shares. The report is made only on Download and audited, like a PDF.
"""

from __future__ import annotations

import streamlit as st

from app.staff import downloads
from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.session import Clock, flash
from screener.clinical.impact import ImpactSummary, impact_report_csv, impact_summary
from screener.clinical.questionnaire import DECISION_LABELS
from screener.clinical.rules import RULES_VERSION
from screener.storage import StorageError, Store

COUNTED = "staff_rule_impact"


def _count(store: Store, clock: Clock) -> None:
    try:
        st.session_state[COUNTED] = (impact_summary(store), clock())
    except StorageError as exc:
        flash("error", str(exc))


def _moves(summary: ImpactSummary) -> list[str]:
    return [staff_texts.IMPACT_MOVE.format(stored=DECISION_LABELS[before], current=DECISION_LABELS[after], count=count)
            if before != after else staff_texts.IMPACT_FLAGS_ONLY.format(count=count)
            for (before, after), count in sorted(summary.moves.items())]


def show(store: Store, clock: Clock, zone) -> None:
    """The count (once asked for), a button to count (again) and the report's download."""
    with st.container(border=True, key="staff-rule-impact"):
        st.subheader(staff_texts.IMPACT_HEADING, anchor=False)
        counted = st.session_state.get(COUNTED)
        if counted is None:
            st.write(staff_texts.IMPACT_NOT_COUNTED.format(version=RULES_VERSION))
        else:
            summary, at = counted
            st.write(staff_texts.IMPACT_COUNT.format(changed=summary.changed, read=summary.read, version=RULES_VERSION,
                                               invalid=summary.invalid, when=fmt.moment(at, zone, clock())))
            for line in _moves(summary):
                st.markdown(f"- {fmt.literal_markdown(line)}")
        with st.container(horizontal=True):
            st.button(staff_texts.IMPACT_COUNT_BUTTON if counted is None else staff_texts.IMPACT_RECOUNT_BUTTON,
                      key="staff-impact-count", on_click=_count, args=(store, clock), icon=":material/calculate:")
            downloads.offer_download(staff_texts.IMPACT_DOWNLOAD, f"rule-impact-{RULES_VERSION}.csv", "text/csv",
                                     lambda: impact_report_csv(store), staff_texts.IMPACT_DOWNLOADED, submission_id=None,
                                     key="staff-download-impact", icon=":material/table_view:")
