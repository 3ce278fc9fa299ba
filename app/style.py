"""The tablet look: one static stylesheet, and taking the patient to where the screen begins."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLESHEET = Path(__file__).with_name("tablet.css")

# Static code: it never contains anything the patient typed, only a counter and a target.
_SCROLL = """<script>
/* move {number} */
setTimeout(() => {{
  const problem = {to_problem} && document.querySelector('[data-testid="stAlertContentError"]');
  if (problem) problem.scrollIntoView({{block: "center"}});
  else for (const element of [document.querySelector('[data-testid="stMain"]'), document.scrollingElement]) {{
    if (element) element.scrollTo(0, 0);
  }}
}}, 50);
</script>"""


# The root font size of each text size a patient may choose: every size on the page is in rem.
TEXT_SCALES = {"standard": "100%", "large": "120%", "largest": "140%"}


# Static code: a message under a text field goes as soon as the field holds something, while the
# patient types (Streamlit hears of a text field's value only on Enter or when it loses focus; the
# answer itself is checked again, on the server, at the next Next).
_MESSAGES_FOLLOW_TYPING = """<script>
if (!window.screenerMessagesFollowTyping) {
  window.screenerMessagesFollowTyping = true;
  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!field.matches || !field.matches('input[type="text"], textarea')) return;
    const question = field.closest('[class*="-question"]');
    if (!question) return;
    for (const message of question.querySelectorAll('[data-testid="stAlert"]')) {
      message.hidden = field.value.trim() !== "";
    }
  }, true);
}
</script>"""


def apply() -> None:
    st.html(STYLESHEET)
    st.html(_MESSAGES_FOLLOW_TYPING, unsafe_allow_javascript=True, width="content")


def text_size(size: str) -> None:
    """Scale the whole page's text (and the targets sized with it) to the patient's choice."""
    st.html(f"<style>html {{ font-size: {TEXT_SCALES[size]}; }}</style>")


# Static code: the page's language, for screen readers and the browser's hyphenation and fonts.
_LANGUAGE = """<script>document.documentElement.lang = "{language}";</script>"""


def language(code: str) -> None:
    """Tell the browser which language the page is in (``code`` is one of the shipped languages)."""
    st.html(_LANGUAGE.format(language=code), unsafe_allow_javascript=True, width="content")


def scroll(number: int, target: str) -> None:
    """Show a new screen from its top, or the first problem after a check, once per ``number``.

    Streamlit keeps the scroll position between reruns, so a new step would otherwise open
    halfway down, and a message under a question could be off screen.
    """
    script = _SCROLL.format(number=number, to_problem="true" if target == "problem" else "false")
    st.html(script, unsafe_allow_javascript=True, width="content")
