"""Invitations to answer at home, in the staff area: making a patient's personal link on their page (shown to
copy, as a QR code to print, or sent by e-mail when ``SCREENER_SMTP_URL`` is set), the patient's invitations
so far, and the mark of a submission answered at home.

The link's token is shown in this staff session only, until the clinician leaves the patient's page; it is never
stored (the database keeps its hash).
"""

from __future__ import annotations

from datetime import tzinfo

import streamlit as st

from app.staff import formatting as fmt
from app.staff import staff_texts
from app.staff.session import Clock, Staff, flash
from screener import config
from screener.invitations import MailError, home_link, invitation_email, qr_svg, send, until_words
from screener.language.i18n import LANGUAGE_NAMES
from screener.storage import InvitationSummary, Patient, StorageError, Store
from screener.storage.invitations import DEFAULT_HOURS, INVITATION_SENT, MAX_HOURS

LINK_SHOWN = "staff_invitation_link"
HOURS_KEY, LANGUAGE_KEY = "staff-invite-hours", "staff-invite-language"
HOME_KINDS = {"home": staff_texts.HOME_BADGE, "home_checked": staff_texts.HOME_CHECKED_BADGE}
HOME_BADGE_LOOK = ("blue", ":material/home:")


def home_badge(visit_kind: str) -> None:
    """The mark of a submission answered at home (or checked at the clinic after); nothing for the tablet's."""
    if visit_kind in HOME_KINDS:
        colour, icon = HOME_BADGE_LOOK
        st.badge(HOME_KINDS[visit_kind], color=colour, icon=icon)


def _make(patient: Patient, public_url: str, staff: str, store: Store, clock: Clock) -> None:
    state = st.session_state
    try:
        made = store.invitations.make(patient.full_name, patient.date_of_birth, by=staff, at=clock(),
                                      hours=int(state[HOURS_KEY]), language=state[LANGUAGE_KEY], patient_id=patient.id)
    except StorageError as exc:
        flash("error", str(exc))
        return
    state[LINK_SHOWN] = (patient.id, made, home_link(public_url, made.token))


def _send(patient: Patient, staff: str, store: Store, clock: Clock) -> None:
    _, made, link = st.session_state[LINK_SHOWN]
    try:
        mail, clinic = config.mail_server(), config.clinic_name()
        until = until_words(made.expires_at, config.time_zone(), made.language)
        send(invitation_email(to=patient.email, sender=mail.sender, link=link, clinic=clinic, until=until,
                              language=made.language), mail)
        store.record_event(staff=staff, action=INVITATION_SENT, at=clock(), detail=f"invitation {made.id}: by e-mail")
    except (config.ConfigError, MailError, StorageError) as exc:
        flash("error", str(exc))
        return
    flash("success", staff_texts.INVITATION_SENT_TO.format(address=patient.email))


def _shown_link(patient: Patient, staff: Staff, store: Store, clock: Clock, zone: tzinfo) -> None:
    _, made, link = st.session_state[LINK_SHOWN]
    with st.container(border=True, key="staff-invitation-link"):
        st.caption(staff_texts.INVITATION_COPY)
        st.code(link, language=None, wrap_lines=True)
        st.image(qr_svg(link), width=200, caption=staff_texts.INVITATION_QR)
        st.caption(staff_texts.INVITATION_VALID.format(until=fmt.moment(made.expires_at, zone, clock())))
        try:
            mail = config.mail_server()
        except config.ConfigError as exc:
            st.error(fmt.literal_markdown(staff_texts.INVITATION_MAIL_SETTING.format(problem=exc)))
            return
        if mail is None:
            st.caption(staff_texts.INVITATION_NO_MAIL)
        elif not patient.email:
            st.caption(staff_texts.INVITATION_NO_ADDRESS)
        else:
            st.button(staff_texts.INVITATION_SEND.format(address=patient.email), key="staff-invitation-send",
                      on_click=_send, args=(patient, staff.username, store, clock), icon=":material/mail:")


def _status(item: InvitationSummary, now) -> str:
    if item.used_at is not None:
        return staff_texts.INVITATION_USED
    if item.expires_at <= now:
        return staff_texts.INVITATION_EXPIRED
    return staff_texts.INVITATION_DRAFTED if item.has_draft else staff_texts.INVITATION_OPEN


def invite_box(patient: Patient, staff: Staff, store: Store, clock: Clock, zone: tzinfo) -> None:
    """On a patient's page: make a personal link to answer at home, and this patient's invitations so far."""
    st.subheader(staff_texts.INVITATION_HEADING, anchor=False)
    st.caption(staff_texts.INVITATION_INTRO)
    try:
        public_url = config.public_url()
    except config.ConfigError as exc:
        st.error(fmt.literal_markdown(staff_texts.INVITATION_URL_SETTING.format(problem=exc)))
        return
    if public_url is None:
        st.info(staff_texts.INVITATION_NO_URL, icon=":material/link_off:")
        return
    hours, language = st.columns(2)
    hours.number_input(staff_texts.INVITATION_HOURS.format(most=MAX_HOURS), min_value=1, max_value=MAX_HOURS,
                       value=DEFAULT_HOURS, step=1, key=HOURS_KEY)
    language.selectbox(staff_texts.INVITATION_LANGUAGE, list(LANGUAGE_NAMES), key=LANGUAGE_KEY,
                       format_func=LANGUAGE_NAMES.get)
    st.button(staff_texts.INVITATION_BUTTON, key="staff-invite", on_click=_make,
              args=(patient, public_url, staff.username, store, clock), icon=":material/add_link:")
    shown = st.session_state.get(LINK_SHOWN)
    if shown is not None and shown[0] == patient.id:
        _shown_link(patient, staff, store, clock, zone)
    now = clock()
    for item in store.invitations.for_patient(patient.id):
        st.text(staff_texts.INVITATION_ROW.format(made=fmt.moment(item.created_at, zone, now),
                                                  until=fmt.moment(item.expires_at, zone, now),
                                                  status=_status(item, now)))
