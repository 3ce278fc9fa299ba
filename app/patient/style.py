"""The tablet look: one static stylesheet, and taking the patient to where the screen begins."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from app.patient import widgets

STYLESHEET = Path(__file__).with_name("tablet.css")

# Static code: it never contains anything the patient typed, only a counter and a target. After a
# check every message the server shows is shown, even one hidden while its field was typed in
# (the browser may keep the same message element across the check, hidden attribute and all); but
# a message hidden by typing after this screen was drawn stays hidden: the 50 ms wait (for the rest
# of the screen to be drawn) can end after the patient has started typing on a slow tablet.
# The move is noted as under way on the page until it is done (the browser tests wait for it: a
# tap while the screen still jumps would land on whatever then lies under it).
_SCROLL = """<script>
/* move {number} */
window.screenerMove = {number};
window.screenerMoving = true;
setTimeout(() => {{
  try {{
    for (const message of document.querySelectorAll('[data-testid="stAlert"][hidden]')) {{
      if (!(Number(message.dataset.hiddenAtMove) >= {number})) message.hidden = false;
    }}
    const problem = {to_problem} && document.querySelector('[data-testid="stAlertContentError"]');
    if (problem) problem.scrollIntoView({{block: "center"}});
    else for (const element of [document.querySelector('[data-testid="stMain"]'), document.scrollingElement]) {{
      if (element) element.scrollTo(0, 0);
    }}
  }} finally {{
    if (window.screenerMove === {number}) window.screenerMoving = false;
  }}
}}, 50);
</script>"""


# The root font size of each text size a patient may choose: every size on the page is in rem.
TEXT_SCALES = {"standard": "100%", "large": "120%", "largest": "140%"}


# Static code: a question's message goes while the patient types an answer the server will accept
# (Streamlit hears of a field's value only on Enter or when it loses focus), and comes back when
# the answer no longer would. A text field counts once it holds something. A height or weight
# counts as the server's Decimal check (app.patient.answers) decides: a number in some box (an empty box
# beside it counts as 0), none negative, and the sum of each box times its size inside the range,
# compared exactly in BigInt decimals (JavaScript spells a number as Python's repr does, so both
# read the same decimal; where the server's 28-digit Decimal would round a sum onto a bound, this
# keeps the message). MEASURES is static data from screener.language.units and the model's bounds, never
# anything typed. The answer itself is checked again, on the server, at the next Next.
_MESSAGES_FOLLOW_TYPING = r"""<script>
if (!window.screenerMessagesFollowTyping) {
  window.screenerMessagesFollowTyping = true;
  const MEASURES = /* measures */;
  const keyOf = (element) => [...element.classList].find((name) => name.startsWith("st-key-"))?.slice(7);
  // "30.48" as [3048n, 2], "1e-7" as [1n, 7]: digits and places after the point, exactly.
  const decimal = (text) => {
    const [, whole, fraction = "", power = "0"] = /^(\d+)(?:\.(\d+))?(?:e([-+]?\d+))?$/.exec(text);
    const places = fraction.length - Number(power);
    const digits = BigInt(whole + fraction);
    return places >= 0 ? [digits, places] : [digits * 10n ** BigInt(-places), 0];
  };
  const atPlaces = ([digits, places], wanted) => digits * 10n ** BigInt(wanted - places);
  const accepted = (measure, question) => {
    const terms = [];
    for (const box of question.querySelectorAll('input[type="number"]')) {
      if (box.value === "") continue;
      const number = Number.parseFloat(box.value);
      const size = measure.sizes[keyOf(box.closest('[class*="st-key-"]'))];
      if (!Number.isFinite(number) || number < 0 || !size) return false;
      const [digits, places] = decimal(String(number)), [sizeDigits, sizePlaces] = decimal(size);
      terms.push([digits * sizeDigits, places + sizePlaces]);
    }
    const low = decimal(measure.low), high = decimal(measure.high);
    const places = Math.max(low[1], high[1], ...terms.map((term) => term[1]));
    const total = terms.reduce((sum, term) => sum + atPlaces(term, places), 0n);
    return terms.length > 0 && atPlaces(low, places) <= total && total <= atPlaces(high, places);
  };
  document.addEventListener("input", (event) => {
    const field = event.target;
    const question = field.closest && field.closest('[class*="-question"]');
    if (!question) return;
    const measure = MEASURES[keyOf(question)];
    let answered;
    if (field.matches('input[type="text"], textarea')) answered = field.value.trim() !== "";
    else if (measure && field.matches('input[type="number"]')) answered = accepted(measure, question);
    else return;
    for (const message of question.querySelectorAll('[data-testid="stAlert"]')) {
      message.hidden = answered;
      message.dataset.hiddenAtMove = String(window.screenerMove ?? 0);
    }
  }, true);
}
</script>""".replace("/* measures */", json.dumps(widgets.measure_ranges()))


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
