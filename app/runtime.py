"""The process-wide resources: the settings and the store. Neither holds any patient data."""

from __future__ import annotations

import logging
import os

import streamlit as st

from app.settings import PASSWORD_HASH_SECRET, Settings, load
from screener.storage import Store, data_privacy_warning

ENVIRONMENT = ("SCREENER_DATABASE_URL", "SCREENER_DATA_DIR", "SCREENER_IDLE_MINUTES",
               "SCREENER_STAFF_PASSWORD_HASH", "SCREENER_STAFF_IDLE_MINUTES", "SCREENER_STAFF_REQUIRE_TOTP",
               "SCREENER_TIMEZONE", "SCREENER_LANGUAGES")
SECRETS = (PASSWORD_HASH_SECRET,)


@st.cache_resource(show_spinner=False)
def _settings(values: tuple[tuple[str, str], ...], secret_values: tuple[tuple[str, str], ...] = ()) -> Settings:
    return load(dict(values), dict(secret_values))


def _secrets() -> tuple[tuple[str, str], ...]:
    # Probing first: without a secrets file, reading st.secrets raises (and may say so on screen).
    if not st.secrets.load_if_toml_exists():
        return ()
    # A value that is not text (a TOML table, a number) becomes its type's name and fails the staff check.
    return tuple((name, value if isinstance(value, str) else type(value).__name__)
                 for name in SECRETS if (value := st.secrets.get(name)) is not None)


def settings() -> Settings:
    """The settings of this process; SettingsError when a value cannot be used."""
    return _settings(tuple((name, os.environ[name]) for name in ENVIRONMENT if name in os.environ), _secrets())


@st.cache_resource(show_spinner=False)
def store(database_url: str) -> Store:
    """The one store of this database, opened (and its schema created) on first use; StorageError if it cannot be.

    A data folder or database file that other users can read is logged once here (not changed)."""
    opened = Store(database_url)
    warning = data_privacy_warning(database_url)
    if warning:
        logging.getLogger(__name__).warning(warning)
    return opened
