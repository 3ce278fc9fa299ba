"""The rule set of SCREENING.md section 4, one small pure function per rule.

Each rule is registered once with its id, severity, title, action and source. A check
receives the validated intake and the assessment date and returns a :class:`Hit` (why
this patient, which answers) or ``None``. List answers are named in the order of their
options, never in the order given, so the same intake always gives the same words.

Changing any text or condition in this file changes what clinicians read: bump
``RULES_VERSION`` (tests/test_rules_version.py fails until you do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable, NamedTuple, Optional, get_args

from .models import Agent, Intake, LegSymptom, PriorReaction, Severity, SkinChange, Technique, age_in_years

RULES_VERSION = "2026.11.21-1"

SEVERITY_ORDER: dict[str, int] = {"absolute": 0, "relative": 1, "precaution": 2}
ALL_AGENTS: tuple[str, ...] = get_args(Agent)
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


@dataclass(frozen=True)
class Rule:
    rule_id: str
    severity: Severity
    title: str
    action: str
    source: str
    check: Check
    excluded_techniques: tuple[Technique, ...] = ()
    excluded_agents: tuple[Agent, ...] = ()


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, title: str, action: str, source: str, **excludes) -> Callable[[Check], Check]:
    """Register ``check`` as a rule of the set."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, severity, title, action, source, check, **excludes))
        return check

    return register


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



@rule("ACUTE-VTE", "absolute", "Current deep vein thrombosis or pulmonary embolism",
      "Do not treat; the clot needs medical management first.",
      "EGS 2014; UIP 2023; Asclera (acute thromboembolic disease)")
def acute_vte(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.vte_history == "current":
        return _hit("The patient reports a current deep vein thrombosis or pulmonary embolism.", "clotting.vte_history")
    return None


@rule("IMMOBILITY", "absolute", "Bedridden or unable to walk",
      "Not a candidate while bedridden or unable to walk.",
      "EGS 2014; Sotradecol")
def immobility(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.immobile:
        return _hit("The patient reports being bedridden or unable to walk.", "clotting.immobile")
    return None


@rule("ACUTE-ILLNESS", "absolute", "Acute illness or fever",
      "Postpone until recovered.",
      "UIP 2023; EGS 2014")
def acute_illness(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.health.acute_illness_or_fever:
        return _hit("The patient reports being unwell or feverish today.", "health.acute_illness_or_fever")
    return None


@rule("SITE-INFECTION", "absolute", "Infection at the treatment site",
      "Postpone until the infection has healed.",
      "EGS 2014")
def site_infection(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.health.infection_at_treatment_site:
        return _hit("The patient reports an infection, rash or wound where the veins are.", "health.infection_at_treatment_site")
    return None


@rule("CRITICAL-LIMB-ISCHEMIA", "absolute", "Severe arterial disease (critical limb ischaemia)",
      "Refer to vascular surgery; no sclerotherapy.",
      "UIP 2023")
def critical_limb_ischemia(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.health.arterial_disease == "severe":
        return _hit("The patient reports leg pain at rest, or wounds or gangrene of the feet.", "health.arterial_disease")
    return None


@rule("PRIOR-SEVERE-REACTION", "absolute", "Stroke or heart event after earlier sclerotherapy",
      "No further sclerotherapy.",
      "UIP 2023")
def prior_severe_reaction(intake: Intake, as_of: date) -> Optional[Hit]:
    if "stroke_or_heart_event" in intake.veins.prior_sclerotherapy_reactions:
        return _hit("The patient reports a stroke or heart event after earlier sclerotherapy.",
                    "veins.prior_sclerotherapy_reactions")
    return None


@rule("PREGNANCY", "absolute", "Pregnancy",
      "Postpone until after pregnancy; reassess from 3 months after delivery and after breastfeeding.",
      _PREGNANCY_SOURCE)
def pregnancy(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.reproductive.pregnancy == "yes":
        return _hit("The patient answered that they are pregnant.", "reproductive.pregnancy")
    return None


# Relative: clinician review.

@rule("PREGNANCY-POSSIBLE", "relative", "Possible pregnancy",
      "Pregnancy test before treatment.",
      _PREGNANCY_SOURCE)
def pregnancy_possible(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.reproductive.pregnancy == "unsure":
        return _hit("The patient is not sure whether they are pregnant.", "reproductive.pregnancy")
    return None


@rule("BREASTFEEDING", "relative", "Breastfeeding",
      "Defer until breastfeeding ends, or plan an interruption; sources differ on its length "
      "(label: hours; EGS 2014: 2–3 days).",
      "EGS 2014; UIP 2023; Asclera (lactation); Seed")
def breastfeeding(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.reproductive.breastfeeding:
        return _hit("The patient is breastfeeding.", "reproductive.breastfeeding")
    return None


@rule("POSTPARTUM", "relative", "Gave birth in the last 3 months",
      "Wait until 3 months after delivery.",
      "UIP 2023")
def postpartum(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.reproductive.gave_birth_last_3_months:
        return _hit("The patient gave birth within the last 3 months.", "reproductive.gave_birth_last_3_months")
    return None


@rule("VTE-HISTORY", "relative", "Past deep vein thrombosis or pulmonary embolism",
      "Weigh thromboprophylaxis and duplex ultrasound.",
      "EGS 2014; Asclera")
def vte_history(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.vte_history == "past":
        return _hit("The patient had a deep vein thrombosis or pulmonary embolism in the past.", "clotting.vte_history")
    return None


@rule("CLOTTING-DISORDER", "relative", "Known clotting disorder (thrombophilia)",
      "Weigh thromboprophylaxis; haematology input.",
      "EGS 2014; UIP 2023")
def clotting_disorder(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.clotting_disorder:
        return _hit("The patient has been told their blood clots too easily (thrombophilia).", "clotting.clotting_disorder")
    return None


@rule("ACTIVE-CANCER", "relative", "Active cancer",
      "Weigh thrombosis risk with the oncology team.",
      "EGS 2014")
def active_cancer(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.active_cancer:
        return _hit("The patient has cancer now or is being treated for it.", "clotting.active_cancer")
    return None


@rule("RECENT-SURGERY", "relative", "Surgery or hospital stay in the last 3 months",
      "Weigh thrombosis risk; consider waiting.",
      "Asclera (major surgery within 3 months, prolonged hospitalization)")
def recent_surgery(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.recent_surgery_or_hospital_stay:
        return _hit("The patient had an operation or a hospital stay within the last 3 months.",
                    "clotting.recent_surgery_or_hospital_stay")
    return None


@rule("SUPERFICIAL-THROMBOPHLEBITIS", "relative", "Current superficial thrombophlebitis",
      "Defer until resolved; duplex ultrasound.",
      "EGS 2014; Sotradecol")
def superficial_thrombophlebitis(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.superficial_thrombophlebitis == "current":
        return _hit("The patient reports a painful, hard, red surface vein now.", "clotting.superficial_thrombophlebitis")
    return None


@rule("DUPLEX-NEEDED", "relative", "Duplex ultrasound needed first",
      "Duplex ultrasound before microsclerotherapy; treat feeding reflux first.",
      "UIP-MS 2023; NICE CG168; SVS/AVF 2022; Seed (ultrasound of underlying veins)")
def duplex_needed(intake: Intake, as_of: date) -> Optional[Hit]:
    symptoms, veins = intake.symptoms, intake.veins
    if not (symptoms.leg_symptoms or symptoms.skin_changes or veins.largest_vein == "over_3mm"
            or veins.prior_treatments or intake.clotting.superficial_thrombophlebitis == "past"):
        return None
    findings, evidence = [], []
    if intake.symptoms.leg_symptoms:
        findings.append(f"leg symptoms ({_listed(intake.symptoms.leg_symptoms, get_args(LegSymptom))})")
        evidence.append("symptoms.leg_symptoms")
    skin_changes = [change for change in intake.symptoms.skin_changes if change != "open_ulcer"]
    if skin_changes:
        findings.append(f"skin changes ({_listed(skin_changes, get_args(SkinChange))})")
        evidence.append("symptoms.skin_changes")
    if intake.veins.largest_vein == "over_3mm":
        findings.append("veins wider than 3 mm")
        evidence.append("veins.largest_vein")
    if intake.clotting.superficial_thrombophlebitis == "past":
        findings.append("past superficial thrombophlebitis")
        evidence.append("clotting.superficial_thrombophlebitis")
    if "surgery_or_ablation" in intake.veins.prior_treatments:
        findings.append("earlier vein surgery or ablation")
        evidence.append("veins.prior_treatments")
    if not findings:
        return None
    return _hit(f"Signs of underlying venous disease: {'; '.join(findings)}.", *evidence)


@rule("VENOUS-ULCER", "relative", "Open leg ulcer",
      "Refer to a vascular service.",
      "NICE CG168")
def venous_ulcer(intake: Intake, as_of: date) -> Optional[Hit]:
    if "open_ulcer" in intake.symptoms.skin_changes:
        return _hit("The patient reports an open wound or ulcer on the legs now.", "symptoms.skin_changes")
    return None


@rule("BLEEDING-VEIN", "relative", "Bleeding from a vein",
      "Refer to a vascular service urgently.",
      "NICE CG168")
def bleeding_vein(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.symptoms.bleeding_vein:
        return _hit("The patient reports a leg vein that bled on its own.", "symptoms.bleeding_vein")
    return None


@rule("ARTERIAL-DISEASE", "relative", "Peripheral arterial disease (claudication)",
      "Check pulses and ankle-brachial index before compression.",
      "EGS 2014; Sotradecol")
def arterial_disease(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.health.arterial_disease == "mild":
        return _hit("The patient reports calf pain on walking that eases with rest.", "health.arterial_disease")
    return None


@rule("UNCONTROLLED-ILLNESS", "relative", "Uncontrolled illness",
      "Treat once the illness is controlled.",
      "UIP 2023; EGS 2014; Sotradecol")
def uncontrolled_illness(intake: Intake, as_of: date) -> Optional[Hit]:
    findings, evidence = [], []
    if intake.health.diabetes == "uncontrolled":
        findings.append("diabetes that is not well controlled")
        evidence.append("health.diabetes")
    if intake.health.other_uncontrolled_illness:
        findings.append("another illness not under control")
        evidence.append("health.other_uncontrolled_illness")
    if not findings:
        return None
    return _hit(f"The patient reports {' and '.join(findings)}.", *evidence)


@rule("HEART-DISEASE", "relative", "Heart disease",
      "Cardiac history review before treatment.",
      "UIP 2023 (risk of cardiac adverse events)")
def heart_disease(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.health.heart_disease:
        return _hit("The patient reports a heart condition (heart failure, valve disease or irregular heartbeat).",
                    "health.heart_disease")
    return None


@rule("STROKE-TIA", "relative", "Previous stroke or TIA",
      "Liquid only; neurological history review.",
      "UIP 2023; Asclera (arterial embolism)",
      excluded_techniques=("foam",))
def stroke_tia(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.neurology.stroke_or_tia:
        return _hit("The patient has had a stroke or a transient ischaemic attack.", "neurology.stroke_or_tia")
    return None


@rule("SYMPTOMATIC-SHUNT", "relative", "Symptomatic right-to-left shunt",
      "Liquid only.",
      "EGS 2014 (absolute for foam)",
      excluded_techniques=("foam",))
def symptomatic_shunt(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.neurology.right_to_left_shunt == "symptomatic":
        return _hit('The patient reports a "hole in the heart" (right-to-left shunt) that has caused symptoms.',
                    "neurology.right_to_left_shunt")
    return None


@rule("PRIOR-NEURO-REACTION", "relative", "Visual or neurological reaction after earlier sclerotherapy",
      "Liquid only.",
      "EGS 2014",
      excluded_techniques=("foam",))
def prior_neuro_reaction(intake: Intake, as_of: date) -> Optional[Hit]:
    if "visual_or_neurological" in intake.veins.prior_sclerotherapy_reactions:
        return _hit("The patient had visual or neurological symptoms after earlier sclerotherapy.",
                    "veins.prior_sclerotherapy_reactions")
    return None


@rule("SCLEROSANT-ALLERGY", "relative", "Allergy to a named sclerosant",
      "Use another agent only after review.",
      "EGS 2014; Asclera; Sotradecol")
def sclerosant_allergy(intake: Intake, as_of: date) -> Optional[Hit]:
    if not intake.allergies.sclerosants:
        return None
    agents = tuple(agent for agent in ALL_AGENTS if agent in intake.allergies.sclerosants)
    if not agents:
        return None
    return _hit(f"The patient reports an allergy to {_listed(agents, ALL_AGENTS)}.", "allergies.sclerosants",
                excluded_agents=agents)


@rule("UNKNOWN-SCLEROSANT-REACTION", "relative", "Earlier reaction to an unidentified sclerosant",
      "Find out which agent; consider a test dose.",
      "EGS 2014")
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


@rule("ANAPHYLAXIS-HISTORY", "relative", "History of anaphylaxis",
      "Resuscitation equipment at hand; longer observation.",
      "EGS 2014; Asclera (anaphylaxis)")
def anaphylaxis_history(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.allergies.anaphylaxis_history:
        return _hit("The patient has had a severe allergic reaction (anaphylaxis).", "allergies.anaphylaxis_history")
    return None


@rule("ANTICOAGULANT", "relative", "Takes an anticoagulant",
      "Clinician decides; the patient must not stop a prescribed anticoagulant on their own. "
      "Sources disagree on pausing.",
      "clinic practice varies")
def anticoagulant(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.medications.anticoagulant:
        return _hit("The patient takes a blood thinner (anticoagulant).", "medications.anticoagulant")
    return None


@rule("MINOR", "relative", "Under 18",
      "Guardian consent; elective treatment is usually deferred.",
      "clinic practice")
def minor(intake: Intake, as_of: date) -> Optional[Hit]:
    age = age_in_years(intake.patient.date_of_birth, as_of)
    if age < ADULT_AGE:
        return _hit(f"The patient is {age} years old on {as_of.isoformat()}.", "patient.date_of_birth")
    return None


@rule("FACIAL-VEINS", "relative", "Facial veins",
      "Consider laser or IPL; facial sclerotherapy is for specialists.",
      "Seed (laser and IPL alternatives); ESVS 2022 (laser for telangiectasias)")
def facial_veins(intake: Intake, as_of: date) -> Optional[Hit]:
    if "face" in intake.veins.areas:
        return _hit("The patient wants veins on the face treated.", "veins.areas")
    return None


# Precaution: eligible with precautions.


@rule("MIGRAINE", "precaution", "Migraine",
      "Take the usual migraine medication beforehand; prefer liquid to foam.",
      "Seed; Headache 2023 review (neurological events more frequent after foam)")
def migraine(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.neurology.migraine != "none":
        return _hit(f"The patient gets migraine {_words(intake.neurology.migraine)}.", "neurology.migraine")
    return None


@rule("ASYMPTOMATIC-SHUNT", "precaution", "Asymptomatic right-to-left shunt",
      "Prefer liquid; if foam, small volumes.",
      "EGS 2014")
def asymptomatic_shunt(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.neurology.right_to_left_shunt == "asymptomatic":
        return _hit('The patient reports a "hole in the heart" (right-to-left shunt) that has never caused symptoms.',
                    "neurology.right_to_left_shunt")
    return None


@rule("HORMONAL-THERAPY", "precaution", "Hormonal medication",
      "Weigh thrombosis and matting risk.",
      "UIP 2023; Sotradecol")
def hormonal_therapy(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.reproductive.hormonal_medication:
        return _hit("The patient takes hormonal contraception, HRT or another oestrogen.", "reproductive.hormonal_medication")
    return None


@rule("FAMILY-VTE", "precaution", "Family history of blood clots",
      "Consider thrombophilia assessment.",
      "EGS 2014")
def family_vte(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.clotting.family_vte:
        return _hit("A parent, sibling or child of the patient has had a blood clot.", "clotting.family_vte")
    return None


@rule("ANTIPLATELET", "precaution", "Takes an antiplatelet",
      "Expect more bruising; do not stop without the prescriber.",
      "clinic practice")
def antiplatelet(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.medications.antiplatelet:
        return _hit("The patient takes aspirin, clopidogrel or a similar antiplatelet daily.", "medications.antiplatelet")
    return None


@rule("ASTHMA", "precaution", "Asthma",
      "Observe after injection.",
      "Sotradecol (asthma)",
      excluded_agents=("sodium_tetradecyl_sulfate",))
def asthma(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.allergies.asthma:
        return _hit("The patient has asthma.", "allergies.asthma")
    return None


@rule("OTHER-ALLERGIES", "precaution", "Other allergies",
      "Review the allergy list; latex-free gloves and hypoallergenic dressings as needed.",
      "clinic practice")
def other_allergies(intake: Intake, as_of: date) -> Optional[Hit]:
    allergies = intake.allergies
    if not (allergies.lidocaine or allergies.latex or allergies.adhesive_tape or allergies.other):
        return None
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
      "Seed (brown spots, darker skin); sources disagree on skin type")
def hyperpigmentation_risk(intake: Intake, as_of: date) -> Optional[Hit]:
    skin, reactions = intake.skin, intake.veins.prior_sclerotherapy_reactions
    if not (skin.fitzpatrick_type >= DARK_SKIN_FROM_TYPE or skin.pigmentation_history
            or intake.medications.iron_supplement or reactions):
        return None
    findings, evidence = [], []
    if intake.skin.fitzpatrick_type >= DARK_SKIN_FROM_TYPE:
        findings.append(f"Fitzpatrick skin type {intake.skin.fitzpatrick_type}")
        evidence.append("skin.fitzpatrick_type")
    if intake.skin.pigmentation_history:
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


@rule("MINOCYCLINE", "precaution", "Takes minocycline",
      "Risk of lasting blue-black pigmentation.",
      "UIP 2023")
def minocycline(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.medications.minocycline:
        return _hit("The patient takes minocycline.", "medications.minocycline")
    return None


@rule("DISULFIRAM", "precaution", "Takes disulfiram",
      "Polidocanol solution contains ethanol.",
      "UIP 2023")
def disulfiram(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.medications.disulfiram:
        return _hit("The patient takes disulfiram.", "medications.disulfiram")
    return None


@rule("PRIOR-NECROSIS", "precaution", "Skin necrosis or ulcer after earlier sclerotherapy",
      "Lower concentrations and volumes.",
      "UIP 2023")
def prior_necrosis(intake: Intake, as_of: date) -> Optional[Hit]:
    if "skin_necrosis_or_ulcer" in intake.veins.prior_sclerotherapy_reactions:
        return _hit("The patient had a sore or ulcer at an injection site after earlier sclerotherapy.",
                    "veins.prior_sclerotherapy_reactions")
    return None


def body_mass_index(height_cm: float, weight_kg: float) -> Decimal:
    """BMI rounded half up to one decimal, computed on the decimal values as given."""
    metres = Decimal(repr(height_cm)) / 100
    return (Decimal(repr(weight_kg)) / (metres * metres)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@rule("OBESITY", "precaution", "Obesity (BMI 30 or more)",
      "Higher matting and thrombosis risk.",
      "matting studies (Davis and Duffy)")
def obesity(intake: Intake, as_of: date) -> Optional[Hit]:
    patient = intake.patient
    if patient.height_cm is None or patient.weight_kg is None:
        return None
    bmi = body_mass_index(patient.height_cm, patient.weight_kg)
    if bmi < OBESITY_BMI:
        return None
    return _hit(f"The patient's body mass index is {bmi} ({patient.weight_kg:g} kg, {patient.height_cm:g} cm).",
                "patient.height_cm", "patient.weight_kg")


@rule("SMOKER", "precaution", "Smoker",
      "Advise not smoking around treatment.",
      "Seed")
def smoker(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.lifestyle.smoker:
        return _hit("The patient smokes.", "lifestyle.smoker")
    return None


@rule("NO-COMPRESSION", "precaution", "Cannot wear compression",
      "Compression after treatment improves results; discuss.",
      "Seed; compression trials (Kern 2007)")
def no_compression(intake: Intake, as_of: date) -> Optional[Hit]:
    if not intake.lifestyle.can_wear_compression:
        return _hit("The patient could not wear compression stockings after treatment.", "lifestyle.can_wear_compression")
    return None


@rule("LONG-TRAVEL", "precaution", "Long journey planned",
      "Schedule treatment clear of long journeys.",
      "Asclera (aftercare)")
def long_travel(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.lifestyle.long_travel_planned:
        return _hit("The patient plans a journey of over 4 hours within 4 weeks.", "lifestyle.long_travel_planned")
    return None


@rule("CURRENT-TAN", "precaution", "Current tan",
      "Treat once the tan has faded; avoid sun after.",
      "Seed; clinic practice")
def current_tan(intake: Intake, as_of: date) -> Optional[Hit]:
    if intake.skin.current_tan:
        return _hit("The patient has a suntan or fake tan now.", "skin.current_tan")
    return None


@rule("SESSION-INTERVAL", "precaution", "Less than 6 weeks since the last session",
      "Earliest next session: 6 weeks after the last one.",
      'Seed ("wait at least 6 weeks"); labels allow 1–2 weeks')
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
