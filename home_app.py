"""A patient's own device: the pages an invitation's link opens, and nothing else.

Run it as its own process, beside the clinic's app, for the reverse proxy to publish (docs/home-answering.md):

    streamlit run home_app.py --server.port 8502 --server.address 127.0.0.1 --server.baseUrlPath home

This script has no other page: whatever a browser asks its websocket for, it runs this page, so neither the
tablet's wizard nor the staff area can be reached through it.
"""

import logging

import streamlit as st

from app import runtime
from app.home import page
from app.patient import style
from app.settings import SettingsError
from screener import config
from screener.storage import StorageError

st.set_page_config(page_title="Before your vein treatment", page_icon=":material/assignment:", layout="centered",
                   initial_sidebar_state="collapsed")
style.apply()

try:
    if st.get_option("server.baseUrlPath").strip("/") != config.HOME_PATH.strip("/"):
        raise SettingsError(f"home_app.py must run with --server.baseUrlPath {config.HOME_PATH.strip('/')}.")
    settings = runtime.settings()
    store = runtime.store(settings.database_url)
    clinic = config.clinic_name()
except (SettingsError, StorageError, config.ConfigError) as exc:
    logging.getLogger(__name__).error("The home pages cannot start: %s", exc)
    st.error("These pages cannot be opened just now. Please contact the clinic.", icon=":material/error:")
    st.stop()

page.render(settings, store, clinic)
