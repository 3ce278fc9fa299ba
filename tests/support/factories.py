"""Synthetic intakes for tests: a healthy baseline and helpers to change single answers."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

from screener import Intake

AS_OF = date(2026, 11, 21)

_HEALTHY: dict[str, Any] = {
    "patient": {"full_name": "Alex Example", "date_of_birth": "1984-03-09", "sex_at_birth": "female"},
    "veins": {"areas": ["legs"], "largest_vein": "under_1mm", "bulging": "no", "prior_treatments": [],
              "prior_sclerotherapy_reactions": []},
    "symptoms": {"leg_symptoms": [], "skin_changes": [], "bleeding_vein": False},
    "reproductive": {"pregnancy": "no", "breastfeeding": False, "gave_birth_last_3_months": False, "hormonal_medication": False},
    "clotting": {
        "vte_history": "none", "superficial_thrombophlebitis": "none", "clotting_disorder": False, "family_vte": False,
        "active_cancer": False, "recent_surgery_or_hospital_stay": False, "immobile": False,
        "reduced_mobility": False,
    },
    "health": {
        "arterial_disease": "none", "diabetes": "none", "heart_disease": False, "other_uncontrolled_illness": False,
        "acute_illness_or_fever": False, "infection_at_treatment_site": False,
    },
    "neurology": {"migraine": "none", "right_to_left_shunt": "none_known", "stroke_or_tia": False},
    "allergies": {
        "sclerosants": [], "anaphylaxis_history": False, "asthma": False, "lidocaine": False, "latex": False,
        "adhesive_tape": False,
    },
    "skin": {"fitzpatrick_type": 2, "pigmentation_history": False, "current_tan": False},
    "medications": {
        "anticoagulant": False, "antiplatelet": False, "minocycline": False, "disulfiram": False, "iron_supplement": False,
    },
    "lifestyle": {"smoker": False, "can_wear_compression": True, "long_travel_planned": False},
    "consent": {"answers_confirmed": True, "signature": "Alex Example", "signed_at": "2026-11-21T09:30:00"},
}

# Fires every rule that can fire together (ACUTE-VTE excludes VTE-HISTORY, PREGNANCY
# excludes PREGNANCY-POSSIBLE, and so on): the longest assessment there can be.
_EVERYTHING: dict[str, Any] = {
    "patient": {"full_name": "Zoë Ελένη Юлия 王秀英 <b>&amp;</b> \"Q\"", "date_of_birth": "2010-02-28",
                "sex_at_birth": "female", "height_cm": 160, "weight_kg": 95.5},
    "veins": {"areas": ["legs", "face", "other"], "largest_vein": "over_3mm", "bulging": "unsure",
              "prior_treatments": ["sclerotherapy", "laser_or_ipl", "surgery_or_ablation"],
              "last_sclerotherapy_date": "2026-11-01",
              "prior_sclerotherapy_reactions": ["allergic", "visual_or_neurological", "stroke_or_heart_event",
                                                "skin_necrosis_or_ulcer", "marked_pigmentation"]},
    "symptoms": {"leg_symptoms": ["aching", "heaviness", "swelling", "itching", "night_cramps", "restless_legs"],
                 "skin_changes": ["discoloration", "eczema", "hardened_skin", "healed_ulcer", "open_ulcer"],
                 "bleeding_vein": True},
    "reproductive": {"pregnancy": "yes", "breastfeeding": True, "gave_birth_last_3_months": True,
                     "hormonal_medication": True},
    "clotting": {"vte_history": "current", "superficial_thrombophlebitis": "current", "clotting_disorder": True,
                 "family_vte": True, "active_cancer": True, "recent_surgery_or_hospital_stay": True, "immobile": True,
                 "reduced_mobility": True},
    "health": {"arterial_disease": "severe", "diabetes": "uncontrolled", "heart_disease": True,
               "other_uncontrolled_illness": True, "acute_illness_or_fever": True, "infection_at_treatment_site": True},
    "neurology": {"migraine": "with_aura", "right_to_left_shunt": "symptomatic", "stroke_or_tia": True},
    "allergies": {"sclerosants": ["polidocanol", "sodium_tetradecyl_sulfate", "hypertonic_saline", "unknown_agent"],
                  "anaphylaxis_history": True, "asthma": True, "lidocaine": True, "latex": True, "adhesive_tape": True,
                  "other": "Penicillin <rash> & \"hives\"\nNuts — 花生"},
    "skin": {"fitzpatrick_type": 6, "pigmentation_history": True, "current_tan": True},
    "medications": {"anticoagulant": True, "antiplatelet": True, "minocycline": True, "disulfiram": True,
                    "iron_supplement": True, "other": "Metformin 500 mg & vitamin D <daily>\nЛевотироксин"},
    "lifestyle": {"smoker": True, "can_wear_compression": False, "long_travel_planned": True},
    "consent": {"answers_confirmed": True, "signature": "Parent of Zoë", "signed_at": "2026-11-21T09:30:00+01:00"},
}


def healthy_answers() -> dict[str, Any]:
    """A complete intake (as JSON-ready data) that fires no rule on AS_OF."""
    return copy.deepcopy(_HEALTHY)


def everything_answers() -> dict[str, Any]:
    """A valid intake that fires as many rules as can fire together."""
    return copy.deepcopy(_EVERYTHING)


def with_answer(answers: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``answers`` with the dotted ``path`` set to ``value``."""
    changed = copy.deepcopy(answers)
    section, name = path.split(".")
    changed[section][name] = value
    return changed


def intake_of(answers: dict[str, Any], as_of: date = AS_OF) -> Intake:
    return Intake.model_validate_json(json.dumps(answers), context={"as_of": as_of})


def _png(width: int = 40, height: int = 12) -> bytes:
    """A small PNG with one dark stroke across: a drawn signature as the tablet's pad sends it."""
    import struct
    import zlib

    rows = b"".join(b"\x00" + b"".join(b"\x11\x11\x11\xff" if abs(y - x * height // width) < 2 else b"\xff\xff\xff\x00"
                                       for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


SIGNATURE_PNG = _png()
SIGNATURE_DATA_URL = "data:image/png;base64," + __import__("base64").b64encode(SIGNATURE_PNG).decode()


def a_signed_consent(**changes):
    """A consent to the treatment as the tablet hands it to the store: every part read, agreed, signed."""
    from datetime import datetime, timezone

    from screener.clinical.consent import CONSENT_WORDING_VERSION, GROUPS, consent_words
    from screener.storage import SignedConsent

    values = {"language": "en", "wording_version": CONSENT_WORDING_VERSION,
              "words": consent_words(intake_of(healthy_answers()), AS_OF, str),
              "read": tuple(group.key for group in GROUPS), "questions": "", "decision": "agreed",
              "typed_name": "Alex Example", "signature_png": SIGNATURE_PNG,
              "signed_at": datetime(2026, 11, 21, 8, 30, tzinfo=timezone.utc), **changes}
    return SignedConsent(**values)


def countersigned_consent(store, submission_id: str, by: str = "ada", **changes):
    """A paper consent recorded and countersigned for the submission: its patient may be treated."""
    from datetime import datetime, timezone

    return store.consents.record_paper(submission_id, a_signed_consent(**changes), by=by,
                                       at=datetime(2026, 11, 21, 8, 40, tzinfo=timezone.utc),
                                       render=lambda consent, by, at, answer: b"%PDF-1.4 consent for tests")
