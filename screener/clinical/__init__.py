"""The clinical core a reviewer audits: the intake and its questions, the assessment, the rules and the
engine, the rule card, and reassessment under changed rules. It imports nothing outside itself but the
standard library and pydantic (tests/test_rooms.py holds it to that)."""
