"""The clinic tablet: the patient wizard, and the staff area at /staff."""

import streamlit as st

from app import runtime
from app.patient import style, wizard
from app.settings import SettingsError
from screener.storage import StorageError

st.set_page_config(page_title="Before your vein treatment", page_icon=":material/assignment:", layout="centered",
                   initial_sidebar_state="collapsed")
style.apply()

try:
    settings = runtime.settings()
    runtime.store(settings.database_url)
except (SettingsError, StorageError) as exc:
    st.error(f"This screener cannot start: {exc} Please ask a member of staff.", icon=":material/error:")
    st.stop()


def patient_wizard() -> None:
    wizard.render(settings)


def staff_area() -> None:
    from app import staff  # loaded on the staff page only: nothing of it can stop the patient wizard

    staff.render()


st.navigation(
    [st.Page(patient_wizard, title="Questions", default=True), st.Page(staff_area, title="Staff", url_path="staff")],
    position="hidden",
).run()
