"""The consent to the treatment: what the patient reads and agrees to before a course of microsclerotherapy.

Every text is an English gettext message of the domain ``consent`` (marked with ``N_``), translated where
it is shown (the tablet, the PDF) through ``screener.language.i18n.Words(language, "consent")``. The words
come from the source articles (Seed) and SCREENING.md's sources, in plain words (English at or below US
grade 8: tests/documents/test_consent.py). Paragraphs fitted to the patient's own answers (staining, migraine,
a "hole in the heart") are chosen by the rules' own tests, so a paragraph and its rule share one condition;
none of them says, or lets one guess, the screening's decision.

``CONSENT_WORDING_VERSION`` names these words in every language: change a word (English or a translation)
and the version must change (``screener.language.wording.consent_fingerprint``, tests/language/test_consent_version.py), so a stored consent says exactly
which words were signed; an older one reads as "signed on an older version".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from .models import Intake
from .rules import rule_test

CONSENT_WORDING_VERSION = "2026.12.03-1"


def N_(message: str) -> str:
    """Marks an English message for extraction; it is translated where it is drawn."""
    return message


@dataclass(frozen=True)
class RiskGroup:
    """One part of the consent, read and ticked on its own: a title and its paragraphs."""

    key: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class FittedParagraph:
    """A paragraph shown in ``group`` to a patient whose answers make ``applies`` true (the risk is theirs)."""

    group: str
    text: str
    applies: Callable[[Intake, date], bool]


TITLE = N_("Consent to treatment with microsclerotherapy")
INTRO = N_("Please read each part. Tick it when you have read it. Ask us about anything you are not sure of.")
READ = N_("I have read this")

GROUPS: tuple[RiskGroup, ...] = (
    RiskGroup("what", N_("What the treatment is"), (
        # Seed 1 and 2: a cosmetic treatment with fine injections; veins fade; new ones can appear; not permanent.
        N_("Microsclerotherapy treats spider veins with very fine injections of a medicine that closes them. "
           "The closed veins fade over time."),
        N_("It is a cosmetic treatment. It does not cure the cause of spider veins. New veins may appear later, "
           "and the result is not permanent."),
    )),
    RiskGroup("course", N_("Sessions and results"), (
        # Seed 1: 2 to 5 sessions; SCREENING.md and Seed 2: at least 6 weeks apart; results over weeks to months.
        N_("Most people need 2 to 5 sessions, at least 6 weeks apart."),
        N_("Results come slowly, over weeks to months."),
        # Seed 2: "about 10% of patients don't see noticeable results".
        N_("About 1 in 10 people see no clear result."),
    )),
    RiskGroup("common", N_("Common effects"), (
        # Seed 1 and 2: bruising, itching, redness; treated veins look darker before they fade.
        N_("Bruising, itching and redness where the needle went in. These usually go within days or weeks."),
        N_("The treated veins can look darker for a while before they fade."),
    )),
    RiskGroup("uncommon", N_("Less common and rare risks"), (
        # Seed 2: brown spots (haemosiderin), more likely on dark skin; Goldman 1987: some last a year or more.
        N_("Brown marks on the skin. They are more likely on darker skin and can take a year or more to fade."),
        N_("New fine red veins near the treated ones (matting). They often fade, or can be treated."),
        # Seed 2: necrosis and ulcer, the most serious complication.
        N_("A sore or an open wound (ulcer) on the skin where a needle went in. It can take months to heal."),
        # Seed 2; Asclera and Sotradecol labels: allergic reactions up to anaphylaxis.
        N_("An allergic reaction to the medicine. Rarely this is severe (anaphylaxis) and needs emergency care."),
        # Asclera and Sotradecol: deep vein thrombosis and pulmonary embolism.
        N_("A blood clot in a deep vein, which can travel to the lungs. This is rare but serious."),
        N_("A treated vein under the skin that becomes hard, red and sore (superficial thrombophlebitis)."),
        # EGS 2014; Varithena: visual disturbance and migraine after foam.
        N_("With foam, brief problems with seeing, or a migraine, soon after the injection."),
    )),
    RiskGroup("alternatives", N_("Other choices"), (
        # Seed 1 and 2: laser and intense pulsed light (IPL) as alternatives.
        N_("Laser or light treatment (IPL) can also treat spider veins. You can also choose no treatment."),
    )),
    RiskGroup("cost", N_("Cost"), (
        # Seed 2: a cosmetic procedure, not covered by insurance.
        N_("This is a cosmetic treatment, so health insurance does not usually pay for it. Ask us about the cost "
           "before you start."),
    )),
    RiskGroup("rights", N_("Your choice"), (
        N_("You can ask questions at any time. You can say no, or stop the treatment at any time, "
           "without giving a reason."),
    )),
)

FITTED_LEAD = N_("From your answers:")
FITTED: tuple[FittedParagraph, ...] = (
    FittedParagraph("uncommon", N_("Brown marks are more likely for you. Keep treated skin out of the sun, and ask "
                                   "how to lower the risk."),
                    lambda intake, on: any(rule_test("HYPERPIGMENTATION-RISK", path).match(intake, on) is not None
                                           for path in ("skin.fitzpatrick_type", "skin.pigmentation_history",
                                                        "veins.prior_sclerotherapy_reactions"))),
    FittedParagraph("uncommon", N_("You get migraines. Foam can bring one on, so the clinician may use a liquid "
                                   "instead."),
                    lambda intake, on: rule_test("MIGRAINE", "neurology.migraine").match(intake, on) is not None),
    FittedParagraph("uncommon", N_("You told us about a hole in the heart. The clinician will avoid foam."),
                    lambda intake, on: any(rule_test(rule_id, "neurology.right_to_left_shunt").match(intake, on)
                                           is not None for rule_id in ("ASYMPTOMATIC-SHUNT", "SYMPTOMATIC-SHUNT"))),
)

QUESTIONS_LABEL = N_("I want to ask the clinician about…")
CHOICE_LABEL = N_("Your decision")
CHOICES = {
    "agreed": N_("I agree to have the treatment"),
    "questions": N_("I have questions first. I will decide after talking with the clinician"),
    "declined": N_("I do not agree to the treatment"),
}
SIGNATURE_HEADING = N_("Sign with your finger")
SIGNATURE_HELP = N_("Draw your signature in the box below.")
CLEAR_SIGNATURE = N_("Clear the signature")
NAME_LABEL = N_("Type your full name")
SIGNED_ON = N_("Signed on {date} at {time}")
SIGNATURE = N_("Signature")
DECISION_NEEDED = N_("Please choose one of the three answers.")
READ_NEEDED = N_("Please tick each part when you have read it.")
SIGNATURE_NEEDED = N_("Please sign with your finger in the box.")
STATEMENT = N_("I have read the parts above. I had the chance to ask questions.")


def fitted_paragraphs(intake: Intake, on: date) -> dict[str, list[str]]:
    """The fitted paragraphs for this patient, by the group they belong to (English message ids)."""
    fitted: dict[str, list[str]] = {}
    for paragraph in FITTED:
        if paragraph.applies(intake, on):
            fitted.setdefault(paragraph.group, []).append(paragraph.text)
    return fitted


def consent_words(intake: Intake, on: date, say: Callable[[str], str]) -> list[dict]:
    """The consent as shown to this patient, translated by ``say``: each group's title, paragraphs and the
    paragraphs fitted to their answers. Stored with the consent exactly as shown."""
    fitted = fitted_paragraphs(intake, on)
    return [{"key": group.key, "title": say(group.title), "paragraphs": [say(text) for text in group.paragraphs],
             "fitted": [say(text) for text in fitted.get(group.key, [])]} for group in GROUPS]


def consent_messages() -> list[str]:
    """Every message of the consent, once each, in the order declared: what its catalogs translate."""
    found = [TITLE, INTRO, READ]
    for group in GROUPS:
        found += [group.title, *group.paragraphs]
    found += [FITTED_LEAD, *(paragraph.text for paragraph in FITTED), QUESTIONS_LABEL, CHOICE_LABEL,
              *CHOICES.values(), SIGNATURE_HEADING, SIGNATURE_HELP, CLEAR_SIGNATURE, NAME_LABEL, SIGNED_ON, SIGNATURE,
              DECISION_NEEDED, READ_NEEDED, SIGNATURE_NEEDED, STATEMENT]
    return list(dict.fromkeys(found))

