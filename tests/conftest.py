"""Fixtures shared across test modules: one headless chromium for the whole session, and a
running app per module. (Defined once here: a session fixture imported into two modules
would start two Playwright drivers in one thread.)"""

from real_browser import app_server, browser  # noqa: F401
