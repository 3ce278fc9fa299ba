"""FHIR R4: the Questionnaire, a submission's Bundle, and answers read back.

Every resource is validated with ``fhir.resources``' R4B models (the package ships no R4
models since 7.0; R4B changed nothing in these resources that R4 JSON would fail on).
"""

from __future__ import annotations

import base64
import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import AS_OF, everything_answers, healthy_answers, intake_of, with_answer
from screener import InvalidIntake, Intake, assess, parse_intake
from screener.language import i18n
from screener.fhir import (
    QUESTIONNAIRE_URL, bundle, bundle_json, questionnaire, read_response, submission_bundle_json, version,
)
from screener.fhir.form import NONE_OF_THESE_CODE, TRANSLATION, code_system
from screener.fhir.resources import BIRTH_SEX, SEVERITIES
from screener.clinical.models import SECTIONS
from screener.clinical.questionnaire import CONSENT_STATEMENT, STEPS
from generated_intakes import intakes

EXAMPLES = sorted(path for path in (Path(__file__).resolve().parents[1] / "examples").glob("*.json")
                  if not path.name.endswith(".expected.json") and not path.name.startswith("invalid-"))


def _example(path: Path) -> Intake:
    return intake_of(json.loads(path.read_text(encoding="utf-8")))


def _items(node: dict):
    for item in node.get("item", []):
        yield item
        yield from _items(item)


def _response(intake: Intake) -> dict:
    return _resources(bundle(intake, assess(intake, AS_OF), zone=timezone.utc))["QuestionnaireResponse"][0]


def _resources(made: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in made["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


def as_it_comes_back(intake: Intake) -> Intake:
    """The intake FHIR carries: a signing time without an offset gets the clinic's (UTC
    here), and a blank free text, which means none, is none."""
    data = intake.model_dump()
    data["consent"]["signed_at"] = data["consent"]["signed_at"].replace(tzinfo=data["consent"]["signed_at"].tzinfo
                                                                        or timezone.utc)
    for section in ("allergies", "medications"):
        if not (data[section]["other"] or "").strip():
            data[section]["other"] = None
    return Intake.model_validate(data, context={"as_of": AS_OF})


# The Questionnaire

def test_the_questionnaire_validates_as_r4():
    Questionnaire.model_validate(questionnaire())


def test_every_intake_field_is_one_item_whose_link_id_is_its_dotted_path():
    link_ids = [item["linkId"] for item in _items(questionnaire()) if item["type"] not in ("group", "display")]
    expected = {f"{section}.{name}" for section, model in SECTIONS.items() for name in model.model_fields}
    gates = {"allergies.other.given", "medications.other.given"}
    assert len(link_ids) == len(set(link_ids))
    assert set(link_ids) == expected | gates


def test_question_help_and_choice_words_are_the_patients_words():
    items = {item["linkId"]: item for item in _items(questionnaire())}
    for step in STEPS:
        assert items[step.section]["text"] == step.title
        for question in step.questions:
            item = items[f"{step.section}.{question.name}"]
            assert item["text"] == question.text
            if question.help:
                assert items[f"{item['linkId']}-help"]["text"] == question.help
            displays = {option["valueCoding"]["code"]: option["valueCoding"]["display"] for option in item.get("answerOption", [])}
            assert {code: words for code, words in displays.items() if code != NONE_OF_THESE_CODE} == \
                {str(value): words for value, words in question.choices.items()}
    assert items["consent.statement"]["text"] == CONSENT_STATEMENT


def test_types_required_and_repeats_follow_the_model():
    items = {item["linkId"]: item for item in _items(questionnaire())}
    assert items["reproductive.breastfeeding"]["type"] == "boolean"
    assert items["patient.date_of_birth"]["type"] == "date"
    assert items["consent.signed_at"]["type"] == "dateTime"
    assert items["patient.height_cm"]["type"] == "decimal" and items["patient.height_cm"]["required"] is False
    assert items["allergies.other"]["type"] == "text"
    assert items["veins.areas"]["repeats"] is True and items["veins.areas"]["type"] == "choice"
    assert "repeats" not in items["clotting.vte_history"]


def test_lists_that_may_be_empty_offer_an_exclusive_none_of_these():
    items = {item["linkId"]: item for item in _items(questionnaire())}
    codes = [option["valueCoding"]["code"] for option in items["symptoms.skin_changes"]["answerOption"]]
    assert codes[-1] == NONE_OF_THESE_CODE
    assert NONE_OF_THESE_CODE not in [option["valueCoding"]["code"] for option in items["veins.areas"]["answerOption"]]


def test_follow_ups_are_enabled_when_the_wizard_asks_them():
    items = {item["linkId"]: item for item in _items(questionnaire())}
    for step in STEPS:
        for question in step.questions:
            if question.asked_only_when is None:
                continue
            (condition,) = items[f"{step.section}.{question.name}"]["enableWhen"]
            code = condition["answerCoding"]["code"]
            depends_on = condition["question"].split(".")[1]
            assert question.is_asked({depends_on: [code]}) and not question.is_asked({depends_on: []})
    assert items["allergies.other"]["enableWhen"] == [
        {"question": "allergies.other.given", "operator": "=", "answerBoolean": True}]


def test_questions_the_wizard_leaves_out_are_disabled_by_the_answer_that_leaves_them_out():
    """The male skip, as the wizard makes it: "Are you pregnant?" and the rest are enabled unless
    the sex at birth is male."""
    items = {item["linkId"]: item for item in _items(questionnaire())}
    skipped = [(step, question) for step in STEPS for question in step.questions if question.not_asked_when]
    assert {f"{step.section}.{question.name}" for step, question in skipped} == {
        "reproductive.pregnancy", "reproductive.breastfeeding", "reproductive.gave_birth_last_3_months"}
    for step, question in skipped:
        assert items[f"{step.section}.{question.name}"]["enableWhen"] == [{
            "question": "patient.sex_at_birth", "operator": "!=",
            "answerCoding": {"system": code_system("patient.sex_at_birth"), "code": "male"}}]


@pytest.mark.parametrize("link_id", ["patient.full_name", "allergies.other", "medications.other", "consent.signature"])
def test_length_limits_are_the_ones_validation_enforces(link_id):
    limit = {item["linkId"]: item for item in _items(questionnaire())}[link_id]["maxLength"]
    answers = everything_answers()
    assert intake_of(with_answer(answers, link_id, "x" * limit))
    with pytest.raises(Exception, match=f"at most {limit}"):
        intake_of(with_answer(answers, link_id, "x" * (limit + 1)))


def test_number_ranges_are_sdc_min_and_max_values():
    item = {item["linkId"]: item for item in _items(questionnaire())}["patient.weight_kg"]
    limits = {ext["url"].rsplit("/", 1)[1]: ext.get("valueDecimal") for ext in item["extension"]}
    assert (limits["minValue"], limits["maxValue"]) == (20, 350)


def test_help_texts_are_sdc_help_items():
    help_item = {item["linkId"]: item for item in _items(questionnaire())}["clotting.vte_history-help"]
    assert help_item["type"] == "display"
    assert help_item["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "help"


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    yield tmp_path
    i18n.translations.cache_clear()


def test_english_alone_gives_no_translations(locale_dir):
    assert "_text" not in json.dumps(questionnaire())


def test_every_language_with_a_catalog_appears_as_a_translation(locale_dir):
    catalog = locale_dir / "es" / "LC_MESSAGES" / "patient.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       'msgid "Are you breastfeeding?"\nmsgstr "¿Está dando el pecho?"\n\n'
                       'msgid "Yes, in the past"\nmsgstr "Sí, en el pasado"\n', encoding="utf-8")
    made = questionnaire()
    Questionnaire.model_validate(made)
    items = {item["linkId"]: item for item in _items(made)}
    assert items["reproductive.breastfeeding"]["_text"]["extension"] == [{"url": TRANSLATION, "extension": [
        {"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "¿Está dando el pecho?"}]}]
    past = items["clotting.vte_history"]["answerOption"][1]["valueCoding"]
    assert past["_display"]["extension"][0]["extension"][1]["valueString"] == "Sí, en el pasado"
    assert "_text" not in items["reproductive.pregnancy"]  # no translation in the catalog: none claimed


# The Bundle

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_gives_a_valid_bundle_whose_references_resolve(path):
    intake = _example(path)
    made = bundle(intake, assess(intake, AS_OF))
    Bundle.model_validate(made)
    assert made["type"] == "collection"
    full_urls = {entry["fullUrl"] for entry in made["entry"]}
    references = [value for value in _strings_under(made, "reference")]
    assert references and set(references) <= full_urls


def _strings_under(node, key):
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key and isinstance(value, str):
                yield value
            else:
                yield from _strings_under(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _strings_under(value, key)


def test_the_bundle_carries_patient_consent_and_every_flag():
    intake = intake_of(everything_answers())
    assessment = assess(intake, AS_OF)
    found = _resources(bundle(intake, assessment))
    (patient,) = found["Patient"]
    assert patient["name"] == [{"text": intake.patient.full_name}] and patient["birthDate"] == "2010-02-28"
    assert patient["extension"] == [{"url": BIRTH_SEX, "valueCode": "F"}]
    (consent,) = found["Consent"]
    assert consent["performer"] == [{"display": "Parent of Zoë"}] and consent["dateTime"] == "2026-11-21T09:30:00+01:00"
    assert base64.b64decode(consent["sourceAttachment"]["data"]).decode() == CONSENT_STATEMENT
    (risk,) = found["RiskAssessment"]
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == "not_eligible"
    assert risk["method"]["coding"][0]["code"] == assessment.rules_version
    issues = found["DetectedIssue"]
    assert [issue["code"]["coding"][0]["code"] for issue in issues] == [flag.rule_id for flag in assessment.flags]
    for issue, flag in zip(issues, assessment.flags):
        assert issue["severity"] == SEVERITIES[flag.severity] and issue["detail"] == flag.reason
        assert issue["mitigation"] == [{"action": {"text": flag.action}}]
        assert issue["extension"][0]["valueString"] == flag.source
        assert [evidence["code"][0]["coding"][0]["code"] for evidence in issue["evidence"]] == list(flag.evidence)


@pytest.mark.parametrize(("sex", "code"), [("female", "F"), ("male", "M"), ("intersex", "OTH"), ("prefer_not_to_say", "ASKU")])
def test_sex_at_birth_maps_to_us_core_birth_sex_and_never_to_gender(sex, code):
    intake = intake_of(with_answer(healthy_answers(), "patient.sex_at_birth", sex))
    (patient,) = _resources(bundle(intake, assess(intake, AS_OF)))["Patient"]
    assert patient["extension"][0]["valueCode"] == code and "gender" not in patient


def test_the_response_points_at_the_questionnaire_url_and_version():
    assert _response(intake_of(healthy_answers()))["questionnaire"] == f"{QUESTIONNAIRE_URL}|{version()}"


def test_a_signing_time_without_an_offset_gets_the_clinics_zone():
    from zoneinfo import ZoneInfo

    intake = intake_of(healthy_answers())  # signed 2026-11-21T09:30:00, no offset
    made = bundle(intake, assess(intake, AS_OF), zone=ZoneInfo("America/New_York"))
    assert _resources(made)["Consent"][0]["dateTime"] == "2026-11-21T09:30:00-05:00"


def test_a_stored_submission_gives_the_same_bundle_bytes_each_time():
    intake = intake_of(everything_answers())
    assessment = assess(intake, AS_OF)
    first = bundle_json(intake, assessment, key="submission-1")
    assert first == bundle_json(intake, assessment, key="submission-1")
    assert first != bundle_json(intake, assessment, key="submission-2")
    assert json.loads(first)["resourceType"] == "Bundle"


def test_a_stored_submission_gives_its_bundle_with_the_consent_in_the_words_signed(tmp_path):
    from screener.storage import Capture, Store

    store = Store(f"sqlite:///{tmp_path / 'fhir.sqlite3'}")
    intake = intake_of(everything_answers())
    capture = Capture(language="zh-Hans", consent_statement="我确认以上回答真实。")
    submission = store.get_submission(store.save_submission(intake, assess(intake, AS_OF), datetime.now(timezone.utc), capture))
    made = json.loads(submission_bundle_json(submission))
    Bundle.model_validate(made)
    (consent,) = _resources(made)["Consent"]
    assert base64.b64decode(consent["sourceAttachment"]["data"]).decode() == "我确认以上回答真实。"
    assert consent["sourceAttachment"]["language"] == "zh-Hans"
    assert submission_bundle_json(submission) == submission_bundle_json(submission)
    assert read_response(submission_bundle_json(submission), AS_OF) == intake


# Round trips

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_comes_back_from_its_response_as_the_same_intake(path):
    intake = _example(path)
    assert read_response(json.dumps(_response(intake)), AS_OF) == as_it_comes_back(intake)


MALE = with_answer(healthy_answers(), "patient.sex_at_birth", "male")
SKIPPED = ("reproductive.pregnancy", "reproductive.breastfeeding", "reproductive.gave_birth_last_3_months")


def test_a_male_patients_response_leaves_out_the_questions_not_asked_and_reads_back_what_they_record():
    intake = intake_of({**MALE, "reproductive": {**MALE["reproductive"], "pregnancy": "not_applicable"}})
    response = _response(intake)
    assert not set(SKIPPED) & {item["linkId"] for item in _items(response)}
    back = read_response(json.dumps(response), AS_OF)
    assert back == as_it_comes_back(intake)
    assert (back.reproductive.pregnancy, back.reproductive.breastfeeding,
            back.reproductive.gave_birth_last_3_months) == ("not_applicable", False, False)


def test_an_answer_a_skipped_question_would_not_record_is_kept():
    """An intake from JSON may say "pregnant" of a male patient (SCREENING.md section 2 honours it):
    the response keeps that answer rather than let reading back record "not applicable"."""
    intake = intake_of(with_answer(MALE, "reproductive.pregnancy", "yes"))
    response = _response(intake)
    assert "reproductive.pregnancy" in {item["linkId"] for item in _items(response)}
    assert read_response(json.dumps(response), AS_OF) == as_it_comes_back(intake)


def test_every_list_option_and_free_texts_in_several_scripts_come_back():
    intake = intake_of(everything_answers())
    back = read_response(json.dumps(_response(intake)), AS_OF)
    assert back == intake
    assert back.allergies.other == "Penicillin <rash> & \"hives\"\nNuts — 花生"


OFFSETS = st.sampled_from(["", "Z", "+01:00", "-05:30", "+14:00"])


@settings(max_examples=100, deadline=None)
@given(intakes(), OFFSETS)
def test_generated_intakes_give_valid_bundles_and_come_back_exactly(answers, offset):
    answers["consent"]["signed_at"] += offset
    intake = intake_of(answers)
    made = bundle(intake, assess(intake, AS_OF), zone=timezone.utc)
    Bundle.model_validate(made)
    (response,) = _resources(made)["QuestionnaireResponse"]
    assert read_response(json.dumps(response, ensure_ascii=False), AS_OF) == as_it_comes_back(intake)


def test_a_bundle_is_read_for_its_response():
    intake = intake_of(everything_answers())
    assert read_response(bundle_json(intake, assess(intake, AS_OF)), AS_OF) == intake


# Answers that do not fit

def _problems(response: dict) -> list[str]:
    with pytest.raises(InvalidIntake) as raised:
        read_response(json.dumps(response), AS_OF)
    return [str(problem) for problem in raised.value.problems]


def _answer(response: dict, link_id: str) -> dict:
    return next(item for item in _items(response) if item["linkId"] == link_id)


def test_each_answer_that_does_not_fit_is_named_by_its_link_id():
    response = _response(intake_of(healthy_answers()))
    _answer(response, "clotting")["item"].append({"linkId": "clotting.shoe_size", "answer": [{"valueInteger": 42}]})
    _answer(response, "reproductive.breastfeeding")["answer"] = [{"valueString": "no"}]
    _answer(response, "neurology.migraine")["answer"][0]["valueCoding"]["code"] = "sometimes"
    reproductive = _answer(response, "reproductive")
    reproductive["item"] = [item for item in reproductive["item"] if item["linkId"] != "reproductive.pregnancy"]
    assert _problems(response) == [
        "reproductive.breastfeeding: Expected a yes/no answer (valueBoolean), got valueString.",
        "clotting.shoe_size: Not a question of this questionnaire (unknown linkId).",
        "neurology.migraine: 'sometimes' is not an answer of "
        "https://microsclerotherapy-screener.example/fhir/CodeSystem/neurology.migraine (one of: none, without_aura, with_aura).",
        "reproductive.pregnancy: This answer is required.",
    ]


def test_a_missing_required_answer_is_named():
    response = _response(intake_of(healthy_answers()))
    reproductive = _answer(response, "reproductive")
    reproductive["item"] = [item for item in reproductive["item"] if item["linkId"] != "reproductive.pregnancy"]
    assert _problems(response) == ["reproductive.pregnancy: This answer is required."]


def test_the_models_rules_apply_at_the_link_id():
    response = _response(intake_of(healthy_answers()))
    _answer(response, "skin.fitzpatrick_type")["answer"] = [{"valueCoding": {
        "system": "https://microsclerotherapy-screener.example/fhir/CodeSystem/skin.fitzpatrick_type", "code": "7"}}]
    _answer(response, "patient")["item"].append({"linkId": "patient.height_cm", "answer": [{"valueDecimal": 400}]})
    with pytest.raises(InvalidIntake) as as_json:  # the same words as assess gives for the same answers
        parse_intake(json.dumps(with_answer(healthy_answers(), "patient.height_cm", 400)), AS_OF)
    assert _problems(response) == [
        "skin.fitzpatrick_type: '7' is not an answer of "
        "https://microsclerotherapy-screener.example/fhir/CodeSystem/skin.fitzpatrick_type (one of: 1, 2, 3, 4, 5, 6).",
        *[str(problem) for problem in as_json.value.problems]]


def test_none_of_these_with_another_choice_is_refused():
    response = _response(intake_of(healthy_answers()))
    answers = _answer(response, "symptoms.leg_symptoms")["answer"]
    answers.append({"valueCoding": {**answers[0]["valueCoding"], "code": "aching"}})
    assert _problems(response) == ['symptoms.leg_symptoms: "None of these" cannot be chosen with other answers.']


def test_a_free_text_after_no_or_a_yes_without_text_is_refused():
    response = _response(intake_of(everything_answers()))
    _answer(response, "allergies.other.given")["answer"] = [{"valueBoolean": False}]
    medications = _answer(response, "medications")
    medications["item"] = [item for item in medications["item"] if item["linkId"] != "medications.other"]
    assert _problems(response) == [
        "allergies.other: Given although allergies.other.given is no; answer one way.",
        "medications.other: This answer is required when medications.other.given is yes."]


@pytest.mark.parametrize(("change", "problem"), [
    (lambda r: r.update(questionnaire="http://example.org/other"), "questionnaire: Expected answers to"),
    (lambda r: r.update(questionnaire=f"{QUESTIONNAIRE_URL}|0"), "questionnaire: These answers are to version 0"),
    (lambda r: r.update(status="in-progress"), "status: Only a completed response"),
    (lambda r: r.update(resourceType="Patient"), "resourceType: Expected a QuestionnaireResponse"),
])
def test_a_response_to_something_else_is_refused(change, problem):
    response = _response(intake_of(healthy_answers()))
    change(response)
    assert _problems(response)[0].startswith(problem)


def test_malformed_or_oversized_input_is_one_plain_problem():
    for source, start in [(b"{", "This is not valid JSON"), (b'{"item": NaN}', "This is not valid JSON: NaN"), (b"[" * 100_000, "This JSON is nested too deeply"),
                          (b"\xff", "The file is not UTF-8"), (b" " * 2_000_001, "The file is larger than")]:
        with pytest.raises(InvalidIntake) as raised:
            read_response(source, AS_OF)
        assert str(raised.value).startswith(start)


_KEYS = st.sampled_from(["item", "answer", "linkId", "valueCoding", "valueBoolean", "valueString", "valueDecimal",
                         "code", "system", "resourceType", "entry", "resource", "status"]) | st.text(max_size=3)
_LINK_IDS = st.sampled_from(["patient", "patient.full_name", "veins.areas", "allergies.other.given", "consent.statement"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5) | _LINK_IDS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=40)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from(["item", "entry"]))
def test_any_json_is_read_or_refused_in_plain_words_never_with_a_crash(value, key):
    resource = {"resourceType": "Bundle" if key == "entry" else "QuestionnaireResponse", "status": "completed",
                "questionnaire": QUESTIONNAIRE_URL, key: value}
    try:
        read_response(json.dumps(resource), AS_OF)
    except InvalidIntake as refused:
        assert refused.problems and all(problem.message for problem in refused.problems)


def test_deeply_nested_items_are_refused_without_recursing_forever():
    response = _response(intake_of(healthy_answers()))
    node = response
    for _ in range(50):
        node["item"] = [{"linkId": "patient", "item": []}]
        node = node["item"][0]
    assert "Items are nested too deeply for this questionnaire." in " ".join(_problems(response))


def test_a_malformed_part_is_one_problem_however_often_it_is_read():
    response = _response(intake_of(healthy_answers()))
    veins = next(group for group in response["item"] if group["linkId"] == "veins")
    next(item for item in veins["item"] if item["linkId"] == "veins.areas")["answer"] = 5
    next(group for group in response["item"] if group["linkId"] == "symptoms")["item"] = "none"
    problems = _problems(response)
    assert problems.count('veins.areas: "answer" must be a list.') == 1
    assert problems.count('symptoms: "item" must be a list.') == 1
    assert len(problems) == len(set(problems))


def test_reading_back_does_not_change_the_response():
    response = _response(intake_of(everything_answers()))
    before = copy.deepcopy(response)
    read_response(json.dumps(response), AS_OF)
    assert response == before and datetime.fromisoformat(response["authored"])
