"""The rule set of SCREENING.md section 4, each rule declared once.

A rule is its id, severity, title, action and source, and when it fires: one test on the
answers (``when``), or several findings of which any fires it (``when_any``, each a test
and the phrase its reason uses for it). The tests are in screener/clinical/conditions.py; each says
in words what it checks, so the rule card (``python -m screener rules --format markdown``)
is written from these same declarations. ``reason`` is the sentence a clinician reads:
``{findings}`` is the findings that hold, joined; a test's values (``{answer}``, ``{age}``)
may also be named. List answers are named in the order of their options, never in the
order given, so the same intake always gives the same words.

Changing any text or condition in this file changes what clinicians read: bump
``RULES_VERSION`` (tests/test_rules_version.py fails until you do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping, NamedTuple, Optional, get_args

from .conditions import (
    AgeUnder, AllOf, AtLeast, AtLeastOf, BodyMassIndexAtLeast, Has, HasOtherThan, History, Is, IsNot,
    LastSessionUnder, NoSessionRecorded, NotEmpty, NotGiven, RecordedReaction, Test, TextGiven, in_words,
)
from .models import Agent, Intake, Severity, Technique

RULES_VERSION = "2026.12.03-1"

SEVERITY_ORDER: dict[str, int] = {"absolute": 0, "relative": 1, "precaution": 2}
ALL_AGENTS: tuple[str, ...] = get_args(Agent)
SESSION_INTERVAL_DAYS = 42
ADULT_AGE = 18
OBESITY_BMI = Decimal("30.0")
DARK_SKIN_FROM_TYPE = 4
COMBINED_CLOT_RISK_FACTORS = 2


class Hit(NamedTuple):
    """A rule that fired: the patient-specific reason and the answers behind it."""

    reason: str
    evidence: tuple[str, ...]
    excluded_agents: tuple[str, ...] = ()
    action_detail: str = ""


Finding = tuple[Test, str]  # a test, and the phrase the reason's {findings} uses for it


@dataclass(frozen=True, eq=False)  # a rule is itself: compared and hashed by identity
class Rule:
    rule_id: str
    severity: Severity
    title: str
    action: str
    source: str
    when_any: tuple[Finding, ...]
    reason: str
    joined: str = "; "
    excluded_techniques: tuple[Technique, ...] = ()
    excluded_agents: tuple[Agent, ...] = ()
    # SCLEROSANT-ALLERGY: it also excludes the agents its answer names.
    excludes_named_agents: bool = False
    # Added to the action for this patient, naming a test's values (SESSION-INTERVAL's date).
    action_detail: str = ""
    # Same-day triage (SCREENING.md section 4): its flag makes the assessment urgent.
    urgent: bool = False

    @property
    def tests(self) -> tuple[Test, ...]:
        return tuple(test for test, _ in self.when_any)

    @property
    def reads(self) -> tuple[str, ...]:
        """Every answer the rule's condition reads, in the order declared."""
        return tuple(dict.fromkeys(path for test in self.tests for path in test.reads))

    @property
    def reads_history(self) -> bool:
        """Whether the rule reads the clinic's record of earlier sessions, not only the answers."""
        return any(path.startswith("history.") for path in self.reads)

    def check(self, intake: Intake, as_of: date, history: History = ()) -> Optional[Hit]:
        """The rule on one intake (and the recorded sessions): its hit when any of its findings holds, else None."""
        found = [(test, phrase, values) for test, phrase in self.when_any
                 if (values := test.match(intake, as_of, history)) is not None]
        return self.hit(found) if found else None

    def hit(self, found: list[tuple[Test, str, Mapping[str, Any]]]) -> Hit:
        """The hit of the findings that hold (test, phrase, values), in the order declared."""
        named: dict[str, Any] = {}
        findings: list[str] = []
        evidence: list[str] = []
        held: list[str] = []
        for test, phrase, values in found:
            named.update(values)
            findings.append(phrase.format_map(values))
            evidence += test.evidence(values)
            held += values.get("held", ())
        named["findings"] = self.joined.join(findings)
        return Hit(
            reason=self.reason.format_map(named),
            evidence=tuple(dict.fromkeys(evidence)),
            # The agents the findings name, of those an assessment can exclude (glycerin is not one).
            excluded_agents=tuple(agent for agent in ALL_AGENTS if agent in held) if self.excludes_named_agents else (),
            action_detail=self.action_detail.format_map(named) if self.action_detail else "",
        )


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, title: str, action: str, source: str, *, reason: str,
         when: Optional[Test] = None, when_any: Iterable[Finding] = (), **more: Any) -> None:
    """Register a rule that fires on one test (``when``) or on any of several findings (``when_any``)."""
    findings = ((when, ""),) if when is not None else tuple(when_any)
    if not findings:
        raise ValueError(f"{rule_id} declares no condition")
    RULES.append(Rule(rule_id, severity, title, action, source, findings, reason, **more))


# Absolute: not eligible.

_PREGNANCY_SOURCE = (
    'Seed ("not recommended for pregnant women"); NICE CG168 (no interventional treatment in pregnancy '
    "except in exceptional circumstances); Asclera, Sotradecol (pregnancy); EGS 2014 and UIP 2023 list it "
    "as relative, but elective treatment of spider veins is postponed"
)

rule("ACUTE-VTE", "absolute", "Current deep vein thrombosis or pulmonary embolism",
     "Do not treat; the clot needs medical management first.",
     "EGS 2014; UIP 2023; Asclera (acute thromboembolic disease)",
     urgent=True,
     when=Is("clotting.vte_history", "current"),
     reason="The patient reports a current deep vein thrombosis or pulmonary embolism.")

rule("IMMOBILITY", "absolute", "Bedridden or unable to walk",
     "Not a candidate while bedridden or unable to walk.",
     "EGS 2014; Sotradecol",
     when=Is("clotting.immobile", True),
     reason="The patient reports being bedridden or unable to walk.")

rule("ACUTE-ILLNESS", "absolute", "Acute illness or fever",
     "Postpone until recovered.",
     "UIP 2023; EGS 2014",
     when=Is("health.acute_illness_or_fever", True),
     reason="The patient reports being unwell or feverish today.")

rule("SITE-INFECTION", "absolute", "Infection at the treatment site",
     "Postpone until the infection has healed.",
     "EGS 2014",
     when=Is("health.infection_at_treatment_site", True),
     reason="The patient reports an infection, rash or wound where the veins are.")

rule("CRITICAL-LIMB-ISCHEMIA", "absolute", "Severe arterial disease (critical limb ischaemia)",
     "Refer to vascular surgery; no sclerotherapy.",
     "UIP 2023",
     when=Is("health.arterial_disease", "severe"),
     reason="The patient reports leg pain at rest, or wounds or gangrene of the feet.")

rule("PRIOR-SEVERE-REACTION", "absolute", "Stroke or heart event after earlier sclerotherapy",
     "No further sclerotherapy.",
     "UIP 2023",
     when_any=[(Has("veins.prior_sclerotherapy_reactions", "stroke_or_heart_event"),
                "reports a stroke or heart event after earlier sclerotherapy"),
               (RecordedReaction("stroke_or_heart_event"), "had a stroke or heart event the clinic recorded after {answer}")],
     reason="The patient {findings}.", joined=" and ")

rule("PREGNANCY", "absolute", "Pregnancy",
     "Postpone until after pregnancy; reassess from 3 months after delivery and after breastfeeding.",
     _PREGNANCY_SOURCE,
     when=Is("reproductive.pregnancy", "yes"),
     reason="The patient answered that they are pregnant.")

# NO-AGENT-LEFT, the last absolute rule, reads the other flags: see the end of this file.

# Relative: clinician review.

rule("PREGNANCY-POSSIBLE", "relative", "Possible pregnancy",
     "Pregnancy test before treatment.",
     _PREGNANCY_SOURCE,
     when=Is("reproductive.pregnancy", "unsure"),
     reason="The patient is not sure whether they are pregnant.")

rule("BREASTFEEDING", "relative", "Breastfeeding",
     "Defer until breastfeeding ends, or plan an interruption; sources differ on its length "
     "(label: hours; EGS 2014: 2–3 days).",
     "EGS 2014; UIP 2023; Asclera (lactation); Seed",
     when=Is("reproductive.breastfeeding", True),
     reason="The patient is breastfeeding.")

rule("POSTPARTUM", "relative", "Gave birth in the last 3 months",
     "Wait until 3 months after delivery.",
     "UIP 2023",
     when=Is("reproductive.gave_birth_last_3_months", True),
     reason="The patient gave birth within the last 3 months.")

rule("VTE-HISTORY", "relative", "Past deep vein thrombosis or pulmonary embolism",
     "Weigh thromboprophylaxis and duplex ultrasound.",
     "EGS 2014; Asclera",
     when=Is("clotting.vte_history", "past"),
     reason="The patient had a deep vein thrombosis or pulmonary embolism in the past.")

rule("CLOTTING-DISORDER", "relative", "Known clotting disorder (thrombophilia)",
     "Weigh thromboprophylaxis; haematology input.",
     "EGS 2014; UIP 2023",
     when=Is("clotting.clotting_disorder", True),
     reason="The patient has been told their blood clots too easily (thrombophilia).")

rule("ACTIVE-CANCER", "relative", "Active cancer",
     "Weigh thrombosis risk with the oncology team.",
     "EGS 2014",
     when=Is("clotting.active_cancer", True),
     reason="The patient has cancer now or is being treated for it.")

rule("RECENT-SURGERY", "relative", "Surgery or hospital stay in the last 3 months",
     "Weigh thrombosis risk; consider waiting.",
     "Asclera (major surgery within 3 months, prolonged hospitalization)",
     when=Is("clotting.recent_surgery_or_hospital_stay", True),
     reason="The patient had an operation or a hospital stay within the last 3 months.")

rule("SUPERFICIAL-THROMBOPHLEBITIS", "relative", "Current superficial thrombophlebitis",
     "Defer until resolved; duplex ultrasound.",
     "EGS 2014; Sotradecol",
     urgent=True,
     when=Is("clotting.superficial_thrombophlebitis", "current"),
     reason="The patient reports a painful, hard, red surface vein now.")

rule("DUPLEX-NEEDED", "relative", "Duplex ultrasound needed first",
     "Duplex ultrasound before microsclerotherapy; treat feeding reflux first.",
     "UIP-MS 2023; NICE CG168; SVS/AVF/AVLS 2023 Part II; Seed (ultrasound of underlying veins)",
     when_any=[(NotEmpty("symptoms.leg_symptoms"), "leg symptoms ({answer})"),
               (HasOtherThan("symptoms.skin_changes", "open_ulcer"), "skin changes ({answer})"),
               (Is("veins.largest_vein", "over_3mm"), "veins wider than 3 mm"),
               (Is("veins.bulging", "yes"), "veins that bulge above the skin"),
               (Is("clotting.superficial_thrombophlebitis", "past"), "past superficial thrombophlebitis"),
               (Has("veins.prior_treatments", "surgery_or_ablation"), "earlier vein surgery or ablation")],
     reason="Signs of underlying venous disease: {findings}.", joined="; ")

rule("VENOUS-ULCER", "relative", "Open leg ulcer",
     "Refer to a vascular service.",
     "NICE CG168",
     urgent=True,
     when=Has("symptoms.skin_changes", "open_ulcer"),
     reason="The patient reports an open wound or ulcer on the legs now.")

rule("BLEEDING-VEIN", "relative", "Bleeding from a vein",
     "Refer to a vascular service immediately; tell the patient first aid (lie down, raise the leg, "
     "press firmly).",
     "NICE CG168 (1.2.1: bleeding varicose vein, refer immediately)",
     urgent=True,
     when=Is("symptoms.bleeding_vein", True),
     reason="The patient reports a leg vein that bled on its own.")

rule("ARTERIAL-DISEASE", "relative", "Peripheral arterial disease (claudication)",
     "Check pulses and ankle-brachial index before compression.",
     "EGS 2014; Sotradecol",
     when=Is("health.arterial_disease", "mild"),
     reason="The patient reports calf pain on walking that eases with rest.")

rule("UNCONTROLLED-ILLNESS", "relative", "Uncontrolled illness",
     "Treat once the illness is controlled.",
     "UIP 2023; EGS 2014; Sotradecol",
     when_any=[(Is("health.diabetes", "uncontrolled"), "diabetes that is not well controlled"),
               (Is("health.other_uncontrolled_illness", True), "another illness not under control")],
     reason="The patient reports {findings}.", joined=" and ")

rule("HEART-DISEASE", "relative", "Heart disease",
     "Cardiac history review before treatment.",
     "UIP 2023 (risk of cardiac adverse events)",
     when=Is("health.heart_disease", True),
     reason="The patient reports a heart condition (heart failure, valve disease or irregular heartbeat).")

rule("STROKE-TIA", "relative", "Previous stroke or TIA",
     "Liquid only; neurological history review.",
     "UIP 2023; Asclera (arterial embolism)",
     excluded_techniques=("foam",),
     when=Is("neurology.stroke_or_tia", True),
     reason="The patient has had a stroke or a transient ischaemic attack.")

rule("SYMPTOMATIC-SHUNT", "relative", "Symptomatic right-to-left shunt",
     "Liquid only.",
     "EGS 2014 (absolute for foam)",
     excluded_techniques=("foam",),
     when=Is("neurology.right_to_left_shunt", "symptomatic"),
     reason='The patient reports a "hole in the heart" (right-to-left shunt) that has caused symptoms.')

rule("ASYMPTOMATIC-SHUNT", "relative", "Asymptomatic right-to-left shunt",
     "Liquid only unless the clinician records a reason; if foam, small volume, CO2/O2 foam, patient lying "
     "down, no straining (Valsalva), observe.",
     "EGS 2014 (known patent foramen ovale a relative contraindication to foam); UIP 2023; "
     "Kim 2016, Sarvananthan 2012 (TIA and stroke after foam)",
     excluded_techniques=("foam",),
     when=Is("neurology.right_to_left_shunt", "asymptomatic"),
     reason='The patient reports a "hole in the heart" (right-to-left shunt) that has never caused symptoms.')

rule("PRIOR-NEURO-REACTION", "relative", "Visual or neurological reaction after earlier sclerotherapy",
     "Liquid only.",
     "EGS 2014",
     excluded_techniques=("foam",),
     when_any=[(Has("veins.prior_sclerotherapy_reactions", "visual_or_neurological"),
                "visual or neurological symptoms after earlier sclerotherapy"),
               (RecordedReaction("visual_or_neurological"),
                "visual or neurological symptoms the clinic recorded after {answer}")],
     reason="The patient had {findings}.", joined=" and ")

rule("SCLEROSANT-ALLERGY", "relative", "Allergy to a named sclerosant",
     "Use another agent only after review.",
     "EGS 2014; Asclera; Sotradecol",
     excludes_named_agents=True,
     when_any=[(Has("allergies.sclerosants", *ALL_AGENTS), "reports an allergy to {answer}"),
               (RecordedReaction("allergic"), "had an allergic reaction the clinic recorded after {answer}")],
     reason="The patient {findings}.", joined=" and ")

rule("UNKNOWN-SCLEROSANT-REACTION", "relative", "Earlier reaction to an unidentified sclerosant",
     "Do not treat until the clinic's records name the agent and the reaction. If it was anaphylaxis, or the "
     "agent cannot be found out, treat both detergent agents as suspect and seek allergy advice; a test dose "
     "only once the agent is known and the reaction was minor.",
     "EGS 2014; UIP 2023 (known hypersensitivity to a sclerosant: absolute)",
     when_any=[(Has("allergies.sclerosants", "unknown_agent"),
                "an allergy to a vein injection medicine they cannot name"),
               (Has("veins.prior_sclerotherapy_reactions", "allergic"),
                "an allergic reaction after earlier sclerotherapy")],
     reason="The patient reports {findings}.", joined=" and ")

rule("ANAPHYLAXIS-HISTORY", "relative", "History of anaphylaxis",
     "Resuscitation equipment and adrenaline at hand; keep the total volume low (Asclera: severe reactions "
     "more frequent above 3 mL); observe at least 30 minutes; the clinician decides on sodium tetradecyl "
     "sulfate (Sotradecol: allergic conditions).",
     "EGS 2014; Asclera (anaphylaxis; volumes over 3 mL); Varithena (observation); Sotradecol (allergic conditions)",
     when=Is("allergies.anaphylaxis_history", True),
     reason="The patient has had a severe allergic reaction (anaphylaxis).")

rule("ANTICOAGULANT", "relative", "Takes an anticoagulant",
     "Clinician decides; the patient must not stop a prescribed anticoagulant on their own. "
     "Sources disagree on pausing.",
     "clinic practice varies",
     when=Is("medications.anticoagulant", True),
     reason="The patient takes a blood thinner (anticoagulant).")

rule("MINOR", "relative", "Under 18",
     "Guardian consent; elective treatment is usually deferred.",
     "clinic practice",
     when=AgeUnder(ADULT_AGE),
     reason="The patient is {age} years old on {as_of}.")

rule("NON-LEG-VEINS", "relative", "Veins outside the legs",
     "Sclerotherapy outside the legs is off-label; consider laser or IPL for the face; specialists only.",
     "Asclera and Sotradecol (indicated for the lower extremity); Seed (laser and IPL alternatives)",
     when=Has("veins.areas", "face", "other"),
     reason="The patient wants veins treated outside the legs: {answer}.")

rule("VTE-RISK-COMBINED", "relative", "Several blood clot risk factors together",
     "Individual clot-risk assessment; consider duplex and thromboprophylaxis; schedule clear of travel; "
     "review oestrogen with its prescriber.",
     "EGS 2014 (high thrombosis risk a relative contraindication); UIP 2023; Asclera and Varithena (clot risk "
     "factors); Sotradecol (oral contraceptives); Bruijninckx 2015",
     when=AtLeastOf(COMBINED_CLOT_RISK_FACTORS, [
         (Is("reproductive.hormonal_medication", True), "hormonal medication"),
         (Is("clotting.family_vte", True), "a parent, sibling or child with a blood clot"),
         (BodyMassIndexAtLeast(OBESITY_BMI), "a body mass index of {bmi}"),
         (Is("lifestyle.long_travel_planned", True), "a journey of over 4 hours within 4 weeks"),
         (Is("clotting.reduced_mobility", True), "reduced mobility in the last 4 weeks")]),
     reason="The patient has {count} blood clot risk factors together: {factors}.")

# Precaution: eligible with precautions.

rule("MIGRAINE", "precaution", "Migraine",
     "Take the usual migraine medication beforehand; prefer liquid to foam.",
     "Seed; Headache 2023 review (neurological events more frequent after foam)",
     when=IsNot("neurology.migraine", "none"),
     reason="The patient gets migraine {answer}.")

rule("HORMONAL-THERAPY", "precaution", "Hormonal medication",
     "Weigh thrombosis and matting risk.",
     "UIP 2023; Sotradecol",
     when=Is("reproductive.hormonal_medication", True),
     reason="The patient takes hormonal medication (contraception, HRT, tamoxifen or raloxifene, testosterone "
            "or fertility treatment).")

rule("FAMILY-VTE", "precaution", "Family history of blood clots",
     "Consider thrombophilia assessment.",
     "EGS 2014",
     when=Is("clotting.family_vte", True),
     reason="A parent, sibling or child of the patient has had a blood clot.")

rule("ANTIPLATELET", "precaution", "Takes an antiplatelet",
     "Expect more bruising; do not stop without the prescriber.",
     "clinic practice",
     when=Is("medications.antiplatelet", True),
     reason="The patient takes aspirin, clopidogrel or a similar antiplatelet daily.")

rule("ASTHMA", "precaution", "Asthma",
     "Observe after injection.",
     "Sotradecol (asthma)",
     excluded_agents=("sodium_tetradecyl_sulfate",),
     when=Is("allergies.asthma", True),
     reason="The patient has asthma.")

rule("OTHER-ALLERGIES", "precaution", "Other allergies",
     "Review the allergy list; latex-free gloves and hypoallergenic dressings as needed.",
     "clinic practice",
     when_any=[(Is("allergies.lidocaine", True), "lidocaine"),
               (Is("allergies.latex", True), "latex"),
               (Is("allergies.adhesive_tape", True), "adhesive tape"),
               (TextGiven("allergies.other"), "other allergies in their own words")],
     reason="The patient reports allergies: {findings}.", joined=", ")

rule("HYPERPIGMENTATION-RISK", "precaution", "Risk of brown staining (hyperpigmentation)",
     "Discuss brown staining; lower concentrations; compression.",
     "Seed (brown spots, darker skin); sources disagree on skin type",
     when_any=[(AtLeast("skin.fitzpatrick_type", DARK_SKIN_FROM_TYPE), "Fitzpatrick skin type {answer}"),
               (Is("skin.pigmentation_history", True), "lasting dark marks after injuries or treatments"),
               (Is("medications.iron_supplement", True), "iron supplements"),
               (Has("veins.prior_sclerotherapy_reactions", "marked_pigmentation"),
                "marked pigmentation after earlier sclerotherapy"),
               (RecordedReaction("marked_pigmentation"), "marked pigmentation the clinic recorded after {answer}")],
     reason="Staining risk factors: {findings}.", joined="; ")

rule("MINOCYCLINE", "precaution", "Takes minocycline",
     "Risk of lasting blue-black pigmentation.",
     "UIP 2023",
     when=Is("medications.minocycline", True),
     reason="The patient takes minocycline.")

rule("DISULFIRAM", "precaution", "Takes disulfiram",
     "Polidocanol solution contains ethanol: prefer sodium tetradecyl sulfate or the smallest polidocanol volume.",
     "UIP 2023",
     when=Is("medications.disulfiram", True),
     reason="The patient takes disulfiram.")

rule("PRIOR-NECROSIS", "precaution", "Skin necrosis or ulcer after earlier sclerotherapy",
     "Lower concentrations and volumes.",
     "UIP 2023",
     when_any=[(Has("veins.prior_sclerotherapy_reactions", "skin_necrosis_or_ulcer"),
                "a sore or ulcer at an injection site after earlier sclerotherapy"),
               (RecordedReaction("skin_necrosis_or_ulcer"),
                "a sore or ulcer at an injection site the clinic recorded after {answer}")],
     reason="The patient had {findings}.", joined=" and ")

rule("OBESITY", "precaution", "Obesity (BMI 30 or more)",
     "Higher matting and thrombosis risk.",
     "matting studies (Davis and Duffy)",
     when=BodyMassIndexAtLeast(OBESITY_BMI),
     reason="The patient's body mass index is {bmi} ({weight} kg, {height} cm).")

rule("SMOKER", "precaution", "Smoker",
     "Advise not smoking around treatment.",
     "Seed",
     when=Is("lifestyle.smoker", True),
     reason="The patient smokes.")

rule("NO-COMPRESSION", "precaution", "Cannot wear compression",
     "Compression after treatment improves results; discuss.",
     "Seed; compression trials (Kern 2007)",
     when=Is("lifestyle.can_wear_compression", False),
     reason="The patient could not wear compression stockings after treatment.")

rule("LONG-TRAVEL", "precaution", "Long journey planned",
     "Schedule treatment clear of long journeys.",
     "Asclera (aftercare)",
     when=Is("lifestyle.long_travel_planned", True),
     reason="The patient plans a journey of over 4 hours within 4 weeks.")

rule("CURRENT-TAN", "precaution", "Current tan",
     "Treat once the tan has faded; avoid sun after.",
     "Seed; clinic practice",
     when=Is("skin.current_tan", True),
     reason="The patient has a suntan or fake tan now.")

rule("SESSION-INTERVAL", "precaution", "Less than 6 weeks since the last session",
     "Earliest next session: 6 weeks after the last one.",
     'Seed ("wait at least 6 weeks"); labels allow 1–2 weeks',
     when=LastSessionUnder("veins.last_sclerotherapy_date", SESSION_INTERVAL_DAYS),
     reason="The last sclerotherapy session was on {date}, {days} days before {as_of}{note}.",
     action_detail="Earliest next session: {next}.")

rule("SESSION-DATE-UNKNOWN", "precaution", "Date of the last session not known",
     "Ask when and where, which agent, any reaction; next session at least 6 weeks after the last.",
     'Seed ("wait at least 6 weeks"); never a silent guess; Asclera (sessions 1–2 weeks apart)',
     when=AllOf(Has("veins.prior_treatments", "sclerotherapy"), NotGiven("veins.last_sclerotherapy_date"),
                NoSessionRecorded()),
     reason="The patient had sclerotherapy before and did not give the date of the last session.")

rule("VEIN-SIZE-UNKNOWN", "precaution", "Vein size or bulging not known",
     "Examine and measure at the consultation; duplex first if any vein is over 3 mm or bulges.",
     "UIP-MS 2023; NICE CG168; Asclera (not studied above 3 mm)",
     when_any=[(Is("veins.largest_vein", "unsure"), "how wide the largest vein is"),
               (Is("veins.bulging", "unsure"), "whether any vein bulges")],
     reason="The patient is not sure {findings}.", joined=" or ")


class EveryAgentExcluded(Test):
    """NO-AGENT-LEFT's condition, on the other flags rather than on the answers."""

    @property
    def description(self) -> str:
        return (f"the other flags together, of any severity, exclude every agent ({', '.join(map(in_words, ALL_AGENTS))}); "
                "its evidence is the evidence of those flags")

    def match(self, intake: Intake, as_of: date, history: History = ()) -> None:
        return None  # judged by no_agent_left, from the flags, once every other rule has run


NO_AGENT_LEFT = Rule(
    "NO-AGENT-LEFT", "absolute", "No sclerosant can be used",
    "No sclerosant can be used safely.",
    "follows from the flags that exclude agents",
    when_any=((EveryAgentExcluded(), ""),),
    reason="The other flags exclude every sclerosant: {answer}.",
)


def no_agent_left(excluding: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> Optional[Hit]:
    """``excluding``: (agents excluded, evidence) of each other flag, in flag order. Fires when no agent is left."""
    excluded = {agent for agents, _ in excluding for agent in agents}
    if not excluded.issuperset(ALL_AGENTS):
        return None
    evidence = tuple(dict.fromkeys(path for agents, paths in excluding if agents for path in paths))
    answer = ", ".join(in_words(agent) for agent in ALL_AGENTS if agent in excluded)
    return Hit(NO_AGENT_LEFT.reason.format(answer=answer), evidence)


ALL_RULES: tuple[Rule, ...] = (*RULES, NO_AGENT_LEFT)
URGENT_RULE_IDS: frozenset[str] = frozenset(rule.rule_id for rule in ALL_RULES if rule.urgent)
# Every finding of every rule but NO-AGENT-LEFT, in rule order: what the engine judges.
FINDINGS: tuple[tuple[Rule, Test, str], ...] = tuple(
    (rule, test, phrase) for rule in RULES for test, phrase in rule.when_any)
