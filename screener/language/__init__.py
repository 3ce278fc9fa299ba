"""The patient's language: gettext catalogs, the wizard's screen texts, validation messages in the
patient's words, dates, numbers and units by the language's conventions, and the wording version."""
