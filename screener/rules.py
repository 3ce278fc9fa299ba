"""The rule set of SCREENING.md section 4, each rule registered once.

Every rule has its id, severity, title, action and source, and a check: it receives the
validated intake and the assessment date and returns a :class:`Hit` (why this patient,
which answers) or ``None``. Most rules fire on one answer and are declared as data
(``answer_rule``); the others are small pure functions (``@rule``). List answers are
named in the order of their options, never in the order given, so the same intake
always gives the same words.

Changing any text or condition in this file changes what clinicians read: bump
``RULES_VERSION`` (tests/test_rules_version.py fails until you do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any, Callable, Iterable, NamedTuple, Optional, get_args

from .models import Agent, Intake, LegSymptom, Severity, SkinChange, Technique, age_in_years

RULES_VERSION = "2026.11.21-3"

SEVERITY_ORDER: dict[str, int] = {"absolute": 0, "relative": 1, "precaution": 2}
ALL_AGENTS: tuple[str, ...] = get_args(Agent)
LEG_SYMPTOMS: tuple[str, ...] = get_args(LegSymptom)
SKIN_CHANGES: tuple[str, ...] = get_args(SkinChange)
SESSION_INTERVAL_DAYS = 42
ADULT_AGE = 18
OBESITY_BMI = Decimal("30.0")
DARK_SKIN_FROM_TYPE = 4


class Hit(NamedTuple):
    """A rule that fired: the patient-specific reason and the answers behind it."""

    reason: str
    evidence: tuple[str, ...]
    excluded_agents: tuple[str, ...] = ()
    action_detail: str = ""


Check = Callable[[Intake, date], Optional[Hit]]


class AnswerTest(NamedTuple):
    """The one answer a rule fires on: equal to ``value``, or (``includes``) a list holding it."""

    path: str
    read: Callable[[Intake], Any]
    value: Any
    includes: bool
    hit: Hit


@dataclass(frozen=True, eq=False)  # a rule is itself: compared and hashed by identity
class Rule:
    rule_id: str
    severity: Severity
    title: str
    action: str
    source: str
    check: Check
    excluded_techniques: tuple[Technique, ...] = ()
    excluded_agents: tuple[Agent, ...] = ()
    # Set for rules declared with answer_rule, so the engine can test them without a call.
    answer: Optional[AnswerTest] = None
    # For @rule functions: (path, values) pairs and an age; see rule().
    silent_while: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    silent_from_age: Optional[int] = None


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, title: str, action: str, source: str, *,
         silent_while: Optional[dict[str, tuple[Any, ...]]] = None, silent_from_age: Optional[int] = None,
         **excludes) -> Callable[[Check], Check]:
    """Register ``check`` as a rule of the set.

    ``silent_while`` maps answers the check reads to values that give it nothing to flag:
    while every one of those answers holds one of its values, the check cannot fire, and
    the engine does not call it. ``silent_from_age`` does the same for a patient at least
    that many years old on the assessment date. Promises, so a test holds each rule to
    them (tests/test_properties.py); without either the check is always called.
    """

    def register(check: Check) -> Check:
        silent = tuple((silent_while or {}).items())
        RULES.append(Rule(rule_id, severity, title, action, source, check, silent_while=silent,
                          silent_from_age=silent_from_age, **excludes))
        return check

    return register


def answer_rule(rule_id: str, severity: Severity, title: str, action: str, source: str, *, reason: str,
                when: Optional[tuple[str, Any]] = None, when_includes: Optional[tuple[str, Any]] = None,
                **excludes) -> None:
    """Register a rule that fires when the answer at a dotted path equals a value (``when``)
    or is a list that holds it (``when_includes``); ``reason`` is then always the same."""
    path, value = when if when is not None else when_includes
    test = AnswerTest(path, attrgetter(path), value, when is None, Hit(reason, (path,)))

    def check(intake: Intake, as_of: date) -> Optional[Hit]:
        answer = test.read(intake)
        return test.hit if (value in answer if test.includes else answer == value) else None

    RULES.append(Rule(rule_id, severity, title, action, source, check, answer=test, **excludes))


def _words(value: str) -> str:
    return value.replace("_", " ")


def _listed(values: Iterable[str], options: tuple[str, ...]) -> str:
    chosen = set(values)
    return ", ".join(_words(option) for option in options if option in chosen)


def _hit(reason: str, *evidence: str, **more) -> Hit:
    return Hit(reason, evidence, **more)


# Absolute: not eligible.

_PREGNANCY_SOURCE = (
    'Seed ("not recommended for pregnant women"); Asclera, Sotradecol (pregnancy); '
    "EGS 2014 and UIP 2023 list it as relative, but elective treatment of spider veins is postponed"
)



answer_rule("ACUTE-VTE", "absolute", "Current deep vein thrombosis or pulmonary embolism",
            "Do not treat; the clot needs medical management first.",
            "EGS 2014; UIP 2023; Asclera (acute thromboembolic disease)",
            when=("clotting.vte_history", "current"),
            reason="The patient reports a current deep vein thrombosis or pulmonary embolism.")


answer_rule("IMMOBILITY", "absolute", "Bedridden or unable to walk",
            "Not a candidate while bedridden or unable to walk.",
            "EGS 2014; Sotradecol",
            when=("clotting.immobile", True),
            reason="The patient reports being bedridden or unable to walk.")


answer_rule("ACUTE-ILLNESS", "absolute", "Acute illness or fever",
            "Postpone until recovered.",
            "UIP 2023; EGS 2014",
            when=("health.acute_illness_or_fever", True),
            reason="The patient reports being unwell or feverish today.")


answer_rule("SITE-INFECTION", "absolute", "Infection at the treatment site",
            "Postpone until the infection has healed.",
            "EGS 2014",
            when=("health.infection_at_treatment_site", True),
            reason="The patient reports an infection, rash or wound where the veins are.")


answer_rule("CRITICAL-LIMB-ISCHEMIA", "absolute", "Severe arterial disease (critical limb ischaemia)",
            "Refer to vascular surgery; no sclerotherapy.",
            "UIP 2023",
            when=("health.arterial_disease", "severe"),
            reason="The patient reports leg pain at rest, or wounds or gangrene of the feet.")


answer_rule("PRIOR-SEVERE-REACTION", "absolute", "Stroke or heart event after earlier sclerotherapy",
            "No further sclerotherapy.",
            "UIP 2023",
            when_includes=("veins.prior_sclerotherapy_reactions", "stroke_or_heart_event"),
            reason="The patient reports a stroke or heart event after earlier sclerotherapy.")


answer_rule("PREGNANCY", "absolute", "Pregnancy",
            "Postpone until after pregnancy; reassess from 3 months after delivery and after breastfeeding.",
            _PREGNANCY_SOURCE,
            when=("reproductive.pregnancy", "yes"),
            reason="The patient answered that they are pregnant.")


# Relative: clinician review.

answer_rule("PREGNANCY-POSSIBLE", "relative", "Possible pregnancy",
            "Pregnancy test before treatment.",
            _PREGNANCY_SOURCE,
            when=("reproductive.pregnancy", "unsure"),
            reason="The patient is not sure whether they are pregnant.")


answer_rule("BREASTFEEDING", "relative", "Breastfeeding",
            "Defer until breastfeeding ends, or plan an interruption; sources differ on its length "
            "(label: hours; EGS 2014: 2–3 days).",
            "EGS 2014; UIP 2023; Asclera (lactation); Seed",
            when=("reproductive.breastfeeding", True),
            reason="The patient is breastfeeding.")


answer_rule("POSTPARTUM", "relative", "Gave birth in the last 3 months",
            "Wait until 3 months after delivery.",
            "UIP 2023",
            when=("reproductive.gave_birth_last_3_months", True),
            reason="The patient gave birth within the last 3 months.")


answer_rule("VTE-HISTORY", "relative", "Past deep vein thrombosis or pulmonary embolism",
            "Weigh thromboprophylaxis and duplex ultrasound.",
            "EGS 2014; Asclera",
            when=("clotting.vte_history", "past"),
            reason="The patient had a deep vein thrombosis or pulmonary embolism in the past.")


answer_rule("CLOTTING-DISORDER", "relative", "Known clotting disorder (thrombophilia)",
            "Weigh thromboprophylaxis; haematology input.",
            "EGS 2014; UIP 2023",
            when=("clotting.clotting_disorder", True),
            reason="The patient has been told their blood clots too easily (thrombophilia).")


answer_rule("ACTIVE-CANCER", "relative", "Active cancer",
            "Weigh thrombosis risk with the oncology team.",
            "EGS 2014",
            when=("clotting.active_cancer", True),
            reason="The patient has cancer now or is being treated for it.")


answer_rule("RECENT-SURGERY", "relative", "Surgery or hospital stay in the last 3 months",
            "Weigh thrombosis risk; consider waiting.",
            "Asclera (major surgery within 3 months, prolonged hospitalization)",
            when=("clotting.recent_surgery_or_hospital_stay", True),
            reason="The patient had an operation or a hospital stay within the last 3 months.")


answer_rule("SUPERFICIAL-THROMBOPHLEBITIS", "relative", "Current superficial thrombophlebitis",
            "Defer until resolved; duplex ultrasound.",
            "EGS 2014; Sotradecol",
            when=("clotting.superficial_thrombophlebitis", "current"),
            reason="The patient reports a painful, hard, red surface vein now.")


@rule("DUPLEX-NEEDED", "relative", "Duplex ultrasound needed first",
      "Duplex ultrasound before microsclerotherapy; treat feeding reflux first.",
      "UIP-MS 2023; NICE CG168; SVS/AVF 2022; Seed (ultrasound of underlying veins)",
      silent_while={"symptoms.leg_symptoms": ([],), "symptoms.skin_changes": ([], ["open_ulcer"]),
                    "veins.largest_vein": ("under_1mm", "1_to_3mm", "unsure"), "veins.prior_treatments": ([],),
                    "clotting.superficial_thrombophlebitis": ("none", "current")})
def duplex_needed(intake: Intake, as_of: date) -> Optional[Hit]:
    symptoms, veins = intake.symptoms, intake.veins
    findings, evidence = [], []
    if symptoms.leg_symptoms:
        findings.append(f"leg symptoms ({_listed(symptoms.leg_symptoms, LEG_SYMPTOMS)})")
        evidence.append("symptoms.leg_symptoms")
    skin_changes = [change for change in symptoms.skin_changes if change != "open_ulcer"]
    if skin_changes:
        findings.append(f"skin changes ({_listed(skin_changes, SKIN_CHANGES)})")
        evidence.append("symptoms.skin_changes")
    if veins.largest_vein == "over_3mm":
        findings.append("veins wider than 3 mm")
        evidence.append("veins.largest_vein")
    if intake.clotting.superficial_thrombophlebitis == "past":
        findings.append("past superficial thrombophlebitis")
        evidence.append("clotting.superficial_thrombophlebitis")
    if "surgery_or_ablation" in veins.prior_treatments:
        findings.append("earlier vein surgery or ablation")
        evidence.append("veins.prior_treatments")
    if not findings:
        return None
    return _hit(f"Signs of underlying venous disease: {'; '.join(findings)}.", *evidence)


answer_rule("VENOUS-ULCER", "relative", "Open leg ulcer",
            "Refer to a vascular service.",
            "NICE CG168",
            when_includes=("symptoms.skin_changes", "open_ulcer"),
            reason="The patient reports an open wound or ulcer on the legs now.")


answer_rule("BLEEDING-VEIN", "relative", "Bleeding from a vein",
            "Refer to a vascular service urgently.",
            "NICE CG168",
            when=("symptoms.bleeding_vein", True),
            reason="The patient reports a leg vein that bled on its own.")


answer_rule("ARTERIAL-DISEASE", "relative", "Peripheral arterial disease (claudication)",
            "Check pulses and ankle-brachial index before compression.",
            "EGS 2014; Sotradecol",
            when=("health.arterial_disease", "mild"),
            reason="The patient reports calf pain on walking that eases with rest.")


@rule("UNCONTROLLED-ILLNESS", "relative", "Uncontrolled illness",
      "Treat once the illness is controlled.",
      "UIP 2023; EGS 2014; Sotradecol",
      silent_while={"health.diabetes": ("none", "controlled"), "health.other_uncontrolled_illness": (False,)})
def uncontrolled_illness(intake: Intake, as_of: date) -> Optional[Hit]:
    health = intake.health
    findings, evidence = [], []
    if health.diabetes == "uncontrolled":
        findings.append("diabetes that is not well controlled")
        evidence.append("health.diabetes")
    if health.other_uncontrolled_illness:
        findings.append("another illness not under control")
        evidence.append("health.other_uncontrolled_illness")
    if not findings:
        return None
    return _hit(f"The patient reports {' and '.join(findings)}.", *evidence)


answer_rule("HEART-DISEASE", "relative", "Heart disease",
            "Cardiac history review before treatment.",
            "UIP 2023 (risk of cardiac adverse events)",
            when=("health.heart_disease", True),
            reason="The patient reports a heart condition (heart failure, valve disease or irregular heartbeat).")


answer_rule("STROKE-TIA", "relative", "Previous stroke or TIA",
            "Liquid only; neurological history review.",
            "UIP 2023; Asclera (arterial embolism)",
            excluded_techniques=("foam",),
            when=("neurology.stroke_or_tia", True),
            reason="The patient has had a stroke or a transient ischaemic attack.")


answer_rule("SYMPTOMATIC-SHUNT", "relative", "Symptomatic right-to-left shunt",
            "Liquid only.",
            "EGS 2014 (absolute for foam)",
            excluded_techniques=("foam",),
            when=("neurology.right_to_left_shunt", "symptomatic"),
            reason='The patient reports a "hole in the heart" (right-to-left shunt) that has caused symptoms.')


answer_rule("PRIOR-NEURO-REACTION", "relative", "Visual or neurological reaction after earlier sclerotherapy",
            "Liquid only.",
            "EGS 2014",
            excluded_techniques=("foam",),
            when_includes=("veins.prior_sclerotherapy_reactions", "visual_or_neurological"),
            reason="The patient had visual or neurological symptoms after earlier sclerotherapy.")


@rule("SCLEROSANT-ALLERGY", "relative", "Allergy to a named sclerosant",
      "Use another agent only after review.",
      "EGS 2014; Asclera; Sotradecol",
      silent_while={"allergies.sclerosants": ([], ["unknown_agent"])})
def sclerosant_allergy(intake: Intake, as_of: date) -> Optional[Hit]:
    agents = tuple(agent for agent in ALL_AGENTS if agent in intake.allergies.sclerosants)
    if not agents:
        return None
    return _hit(f"The patient reports an allergy to {_listed(agents, ALL_AGENTS)}.", "allergies.sclerosants",
                excluded_agents=agents)


@rule("UNKNOWN-SCLEROSANT-REACTION", "relative", "Earlier reaction to an unidentified sclerosant",
      "Find out which agent; consider a test dose.",
      "EGS 2014",
      silent_while={"allergies.sclerosants": ([],), "veins.prior_sclerotherapy_reactions": ([],)})
def unknown_sclerosant_reaction(intake: Intake, as_of: date) -> Optional[Hit]:
    findings, evidence = [], []
    if "unknown_agent" in intake.allergies.sclerosants:
        findings.append("an allergy to a vein injection medicine they cannot name")
        evidence.append("allergies.sclerosants")
    if "allergic" in intake.veins.prior_sclerotherapy_reactions:
        findings.append("an allergic reaction after earlier sclerotherapy")
        evidence.append("veins.prior_sclerotherapy_reactions")
    if not findings:
        return None
    return _hit(f"The patient reports {' and '.join(findings)}.", *evidence)


answer_rule("ANAPHYLAXIS-HISTORY", "relative", "History of anaphylaxis",
            "Resuscitation equipment at hand; longer observation.",
            "EGS 2014; Asclera (anaphylaxis)",
            when=("allergies.anaphylaxis_history", True),
            reason="The patient has had a severe allergic reaction (anaphylaxis).")


answer_rule("ANTICOAGULANT", "relative", "Takes an anticoagulant",
            "Clinician decides; the patient must not stop a prescribed anticoagulant on their own. "
            "Sources disagree on pausing.",
            "clinic practice varies",
            when=("medications.anticoagulant", True),
            reason="The patient takes a blood thinner (anticoagulant).")


@rule("MINOR", "relative", "Under 18",
      "Guardian consent; elective treatment is usually deferred.",
      "clinic practice",
      silent_from_age=ADULT_AGE)
def minor(intake: Intake, as_of: date) -> Optional[Hit]:
    age = age_in_years(intake.patient.date_of_birth, as_of)
    if age < ADULT_AGE:
        return _hit(f"The patient is {age} years old on {as_of.isoformat()}.", "patient.date_of_birth")
    return None


answer_rule("FACIAL-VEINS", "relative", "Facial veins",
            "Consider laser or IPL; facial sclerotherapy is for specialists.",
            "Seed (laser and IPL alternatives); ESVS 2022 (laser for telangiectasias)",
            when_includes=("veins.areas", "face"),
            reason="The patient wants veins on the face treated.")


# Precaution: eligible with precautions.


@rule("MIGRAINE", "precaution", "Migraine",
      "Take the usual migraine medication beforehand; prefer liquid to foam.",
      "Seed; Headache 2023 review (neurological events more frequent after foam)",
      silent_while={"neurology.migraine": ("none",)})
def migraine(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.neurology.migraine != "none":
        return _hit(f"The patient gets migraine {_words(intake.neurology.migraine)}.", "neurology.migraine")
    return None


answer_rule("ASYMPTOMATIC-SHUNT", "precaution", "Asymptomatic right-to-left shunt",
            "Prefer liquid; if foam, small volumes.",
            "EGS 2014",
            when=("neurology.right_to_left_shunt", "asymptomatic"),
            reason='The patient reports a "hole in the heart" (right-to-left shunt) that has never caused symptoms.')


answer_rule("HORMONAL-THERAPY", "precaution", "Hormonal medication",
            "Weigh thrombosis and matting risk.",
            "UIP 2023; Sotradecol",
            when=("reproductive.hormonal_medication", True),
            reason="The patient takes hormonal contraception, HRT or another oestrogen.")


answer_rule("FAMILY-VTE", "precaution", "Family history of blood clots",
            "Consider thrombophilia assessment.",
            "EGS 2014",
            when=("clotting.family_vte", True),
            reason="A parent, sibling or child of the patient has had a blood clot.")


answer_rule("ANTIPLATELET", "precaution", "Takes an antiplatelet",
            "Expect more bruising; do not stop without the prescriber.",
            "clinic practice",
            when=("medications.antiplatelet", True),
            reason="The patient takes aspirin, clopidogrel or a similar antiplatelet daily.")


answer_rule("ASTHMA", "precaution", "Asthma",
            "Observe after injection.",
            "Sotradecol (asthma)",
            excluded_agents=("sodium_tetradecyl_sulfate",),
            when=("allergies.asthma", True),
            reason="The patient has asthma.")


@rule("OTHER-ALLERGIES", "precaution", "Other allergies",
      "Review the allergy list; latex-free gloves and hypoallergenic dressings as needed.",
      "clinic practice",
      silent_while={"allergies.lidocaine": (False,), "allergies.latex": (False,),
                    "allergies.adhesive_tape": (False,), "allergies.other": (None, "")})
def other_allergies(intake: Intake, as_of: date) -> Optional[Hit]:
    allergies = intake.allergies
    named = [(allergies.lidocaine, "lidocaine", "allergies.lidocaine"),
             (allergies.latex, "latex", "allergies.latex"),
             (allergies.adhesive_tape, "adhesive tape", "allergies.adhesive_tape"),
             (bool((allergies.other or "").strip()), "other allergies in their own words", "allergies.other")]
    found = [(words, path) for present, words, path in named if present]
    if not found:
        return None
    return _hit(f"The patient reports allergies: {', '.join(words for words, _ in found)}.", *(path for _, path in found))


@rule("HYPERPIGMENTATION-RISK", "precaution", "Risk of brown staining (hyperpigmentation)",
      "Discuss brown staining; lower concentrations; compression.",
      "Seed (brown spots, darker skin); sources disagree on skin type",
      silent_while={"skin.fitzpatrick_type": (1, 2, 3), "skin.pigmentation_history": (False,),
                    "medications.iron_supplement": (False,), "veins.prior_sclerotherapy_reactions": ([],)})
def hyperpigmentation_risk(intake: Intake, as_of: date) -> Optional[Hit]:
    skin = intake.skin
    findings, evidence = [], []
    if skin.fitzpatrick_type >= DARK_SKIN_FROM_TYPE:
        findings.append(f"Fitzpatrick skin type {skin.fitzpatrick_type}")
        evidence.append("skin.fitzpatrick_type")
    if skin.pigmentation_history:
        findings.append("lasting dark marks after injuries or treatments")
        evidence.append("skin.pigmentation_history")
    if intake.medications.iron_supplement:
        findings.append("iron supplements")
        evidence.append("medications.iron_supplement")
    if "marked_pigmentation" in intake.veins.prior_sclerotherapy_reactions:
        findings.append("marked pigmentation after earlier sclerotherapy")
        evidence.append("veins.prior_sclerotherapy_reactions")
    if not findings:
        return None
    return _hit(f"Staining risk factors: {'; '.join(findings)}.", *evidence)


answer_rule("MINOCYCLINE", "precaution", "Takes minocycline",
            "Risk of lasting blue-black pigmentation.",
            "UIP 2023",
            when=("medications.minocycline", True),
            reason="The patient takes minocycline.")


answer_rule("DISULFIRAM", "precaution", "Takes disulfiram",
            "Polidocanol solution contains ethanol.",
            "UIP 2023",
            when=("medications.disulfiram", True),
            reason="The patient takes disulfiram.")


answer_rule("PRIOR-NECROSIS", "precaution", "Skin necrosis or ulcer after earlier sclerotherapy",
            "Lower concentrations and volumes.",
            "UIP 2023",
            when_includes=("veins.prior_sclerotherapy_reactions", "skin_necrosis_or_ulcer"),
            reason="The patient had a sore or ulcer at an injection site after earlier sclerotherapy.")


def body_mass_index(height_cm: float, weight_kg: float) -> Decimal:
    """BMI rounded half up to one decimal, computed on the decimal values as given."""
    metres = Decimal(repr(height_cm)) / 100
    return (Decimal(repr(weight_kg)) / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@rule("OBESITY", "precaution", "Obesity (BMI 30 or more)",
      "Higher matting and thrombosis risk.",
      "matting studies (Davis and Duffy)",
      silent_while={"patient.height_cm": (None,)})
def obesity(intake: Intake, as_of: date) -> Optional[Hit]:
    patient = intake.patient
    if patient.height_cm is None or patient.weight_kg is None:
        return None
    bmi = body_mass_index(patient.height_cm, patient.weight_kg)
    if bmi < OBESITY_BMI:
        return None
    return _hit(f"The patient's body mass index is {bmi} ({patient.weight_kg:g} kg, {patient.height_cm:g} cm).",
                "patient.height_cm", "patient.weight_kg")


answer_rule("SMOKER", "precaution", "Smoker",
            "Advise not smoking around treatment.",
            "Seed",
            when=("lifestyle.smoker", True),
            reason="The patient smokes.")


answer_rule("NO-COMPRESSION", "precaution", "Cannot wear compression",
            "Compression after treatment improves results; discuss.",
            "Seed; compression trials (Kern 2007)",
            when=("lifestyle.can_wear_compression", False),
            reason="The patient could not wear compression stockings after treatment.")


answer_rule("LONG-TRAVEL", "precaution", "Long journey planned",
            "Schedule treatment clear of long journeys.",
            "Asclera (aftercare)",
            when=("lifestyle.long_travel_planned", True),
            reason="The patient plans a journey of over 4 hours within 4 weeks.")


answer_rule("CURRENT-TAN", "precaution", "Current tan",
            "Treat once the tan has faded; avoid sun after.",
            "Seed; clinic practice",
            when=("skin.current_tan", True),
            reason="The patient has a suntan or fake tan now.")


@rule("SESSION-INTERVAL", "precaution", "Less than 6 weeks since the last session",
      "Earliest next session: 6 weeks after the last one.",
      'Seed ("wait at least 6 weeks"); labels allow 1–2 weeks',
      silent_while={"veins.last_sclerotherapy_date": (None,)})
def session_interval(intake: Intake, as_of: date) -> Optional[Hit]:
    last = intake.veins.last_sclerotherapy_date
    if last is None:
        return None
    days = (as_of - last).days
    if days >= SESSION_INTERVAL_DAYS:
        return None
    earliest = last + timedelta(days=SESSION_INTERVAL_DAYS)
    return _hit(f"The last sclerotherapy session was on {last.isoformat()}, {days} days before {as_of.isoformat()}.",
                "veins.last_sclerotherapy_date", action_detail=f"Earliest next session: {earliest.isoformat()}.")


NO_AGENT_LEFT = Rule(
    "NO-AGENT-LEFT", "absolute", "No sclerosant can be used",
    "No sclerosant can be used safely.",
    "follows from the flags that exclude agents",
    check=lambda intake, as_of: None,
)
"""Judged after every other rule, from the agents their flags exclude (see engine.py)."""


def no_agent_left(excluding: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> Optional[Hit]:
    """``excluding``: (agents excluded, evidence) of each other flag. Fires when no agent is left."""
    excluded = {agent for agents, _ in excluding for agent in agents}
    if not excluded.issuperset(ALL_AGENTS):
        return None
    evidence = tuple(dict.fromkeys(path for agents, paths in excluding if agents for path in paths))
    return _hit(f"The other flags exclude every sclerosant: {_listed(excluded, ALL_AGENTS)}.", *evidence)


ALL_RULES: tuple[Rule, ...] = (*RULES, NO_AGENT_LEFT)
