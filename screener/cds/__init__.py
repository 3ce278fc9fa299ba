"""CDS Hooks 2.0 for booking and record systems: they ask at booking time, and the screener
answers with cards (the decision, same-day triage, one card per flag with its source).

:mod:`.hook` reads a call and answers it, :mod:`.cards` builds the cards (pure), :mod:`.tokens`
checks the caller's JWT against the keys of :mod:`.clients`, :mod:`.audit` records each call, and
:mod:`.service` is the HTTP service (``python -m screener serve-cds``).
"""
