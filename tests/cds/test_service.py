"""``python -m screener serve-cds`` as a booking system calls it: a subprocess on a loopback port,
driven through a real HTTP client (http.client), every response checked against the CDS Hooks 2.0
JSON shapes (cds-hooks-2.0.schema.json, written from the specification's text).

- Discovery lists the one service, for the appointment-book hook, with its prefetch template.
- A hook call for each public example answers with the decision (assessed on the clinic's today)
  and one card per flag, in the assessment's order, with its indicator, title and source; no
  systemActions.
- Answers that do not validate give one warning card naming the problems by linkId; no answers
  on record give a warning card; answers of another patient are not screened.
- A JWT that is missing, expired, wrongly signed, of an unknown issuer, for another URL, too long
  lived, of a forbidden algorithm or used twice is refused with 401.
- An oversized body is refused with 413; a non-JSON body and a wrong hook with a clear 400; a
  call without the prefetched answers with 412.
- Each hook call is on the audit trail (caller, time, hook instance, decision); neither the trail
  nor the log holds a patient's name or answers.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import jwt
import pytest
from jsonschema import Draft202012Validator

from cds_client import (
    PATIENT_ID, SCHEMA, USER_ID, ec_signer, hook_call, questionnaire_response, request, rsa_signer, running_service,
    searchset, write_clients,
)
from factories import healthy_answers, with_answer
from screener.cds.cards import INDICATORS, URGENT_SUMMARY
from screener.cds.hook import MAX_BODY_BYTES
from screener.clinical.engine import assess
from screener.fhir import read_response
from screener.storage import CDS_SCREENED_ACTION, Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ALL_EXAMPLES = sorted(path for path in EXAMPLES.glob("*.json") if not path.name.endswith(".expected.json"))
SERVICE_PATH = "/cds-services/microsclerotherapy-screen"
DISCOVERY, REQUEST, RESPONSE = (Draft202012Validator({**SCHEMA, "$ref": f"#/$defs/{name}"})
                                for name in ("discovery", "request", "response"))
RSA, EC = rsa_signer(), ec_signer()
STRANGER = rsa_signer("https://unknown.example")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cds")
    with running_service(folder / "data", write_clients(folder, [RSA], [EC])) as running:
        yield running


def call(service, body, signer=RSA, **claims):
    """POST a hook call (a dict, checked against the request shape first, or raw bytes) with a fresh JWT."""
    if isinstance(body, dict):
        REQUEST.validate(body)
        body = json.dumps(body, ensure_ascii=False).encode("utf-8")
    token = signer.token(service.service_url, **claims) if signer is not None else None
    return request(service.port, "POST", SERVICE_PATH, body, token)


def cards_of(answer) -> list[dict]:
    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/json"
    RESPONSE.validate(answer.json())
    assert "systemActions" not in answer.json()
    return answer.json()["cards"]


def example_response(path: Path) -> dict:
    """The example's answers as the record system's QuestionnaireResponse. The invalid one cannot be
    exported as it stands: it is exported with the prior sclerotherapy its reactions need, then that
    answer is taken out again, as a form filler would send it."""
    answers = json.loads(path.read_text(encoding="utf-8"))
    if not path.name.startswith("invalid-"):
        return questionnaire_response(answers, subject=f"Patient/{PATIENT_ID}")
    fixed = with_answer(answers, "veins.prior_treatments", ["sclerotherapy"])
    response = questionnaire_response(fixed, subject=f"Patient/{PATIENT_ID}")
    for group in response["item"]:
        for item in group["item"]:
            if item["linkId"] == "veins.prior_treatments":
                item["answer"] = [{"valueCoding": {
                    "system": item["answer"][0]["valueCoding"]["system"], "code": "none_of_these"}}]
    return response


def test_discovery_lists_the_appointment_book_service(service):
    answer = request(service.port, "GET", "/cds-services", token=EC.token(service.discovery_url))
    assert answer.status == 200
    DISCOVERY.validate(answer.json())
    (entry,) = answer.json()["services"]
    assert entry["hook"] == "appointment-book" and entry["id"] == "microsclerotherapy-screen"
    assert entry["prefetch"]["intake"].startswith("QuestionnaireResponse?subject={{context.patientId}}")


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda path: path.stem)
def test_each_example_is_answered_with_the_cards_of_its_assessment(service, path):
    expected = json.loads(path.with_suffix("").with_suffix(".expected.json").read_text(encoding="utf-8"))
    response = example_response(path)
    today = datetime.now(timezone.utc).date()
    found = cards_of(call(service, hook_call(searchset(response))))
    if expected.get("invalid"):
        (card,) = found
        assert card["indicator"] == "warning" and "not screened" in card["summary"]
        assert expected["error_mentions"] in card["detail"].replace("\\", "")
        return
    assessment = assess(read_response(json.dumps(response), today), today)
    assert assessment.decision == expected["decision"]
    on_top = [URGENT_SUMMARY] if assessment.urgent else []
    decision, *flags = found[len(on_top):]
    assert [card["summary"] for card in found[:len(on_top)]] == on_top
    assert decision["source"]["topic"]["code"] == expected["decision"]
    assert f"Assessed on {today.isoformat()}, today at the clinic" in decision["detail"].replace("\\", "")
    assert [(card["source"]["topic"]["code"], card["summary"], card["indicator"], card["source"]["label"])
            for card in flags] == [(flag.rule_id, flag.title, INDICATORS[flag.severity], flag.source)
                                   for flag in assessment.flags]
    fired = [card["source"]["topic"]["code"] for card in flags]
    assert set(expected["flags_present"]) <= set(fired) and not set(expected["flags_absent"]) & set(fired)


def test_a_response_alone_is_read_as_in_a_bundle_and_urgency_comes_first(service):
    answers = with_answer(healthy_answers(), "clotting.vte_history", "current")
    found = cards_of(call(service, hook_call(questionnaire_response(answers)), signer=EC))
    assert [card["indicator"] for card in found][:3] == ["critical", "critical", "critical"]
    assert found[0]["summary"] == URGENT_SUMMARY and found[2]["source"]["topic"]["code"] == "ACUTE-VTE"


def test_answers_that_do_not_validate_name_each_link_id_in_one_warning_card(service):
    response = questionnaire_response(healthy_answers())
    response["item"][0]["item"].append({"linkId": "skin.freckles", "answer": [{"valueBoolean": True}]})
    (card,) = cards_of(call(service, hook_call(response)))
    assert card["indicator"] == "warning"
    assert "skin.freckles: Not a question of this questionnaire (unknown linkId)." in card["detail"].replace("\\", "")


def test_a_key_given_twice_in_the_answers_is_named_as_from_fhir_names_it(service):
    text = json.dumps(hook_call(questionnaire_response(healthy_answers())))
    twice = text.replace('"status": "completed"', '"status": "completed", "status": "completed"', 1)
    (card,) = cards_of(call(service, twice.encode()))
    assert "status: This key is given more than once" in card["detail"].replace("\\", "")


def test_no_answers_on_record_give_a_warning_card(service):
    (card,) = cards_of(call(service, hook_call(None)))
    assert card["indicator"] == "warning" and card["summary"].startswith("No screening answers on record")


def test_answers_of_another_patient_are_not_screened(service):
    response = questionnaire_response(healthy_answers(), subject="https://ehr.example/fhir/Patient/someone-else")
    (card,) = cards_of(call(service, hook_call(response)))
    assert card["indicator"] == "warning"
    assert "subject: These answers are of Patient/someone-else" in card["detail"].replace("\\", "")


def test_a_call_without_the_prefetched_answers_is_412(service):
    body = hook_call(None)
    del body["prefetch"]
    answer = call(service, body)
    assert answer.status == 412 and answer.json()["problems"][0].startswith("prefetch.intake: missing.")


def test_a_body_that_is_not_json_is_a_clear_400(service):
    answer = call(service, b"hook=appointment-book")
    assert answer.status == 400
    assert answer.json() == {"message": "This is not a call this service can answer.",
                             "problems": ["The request body is not JSON: Expecting value at line 1 column 1."]}


def test_a_call_of_another_hook_is_a_clear_400(service):
    answer = call(service, hook_call(questionnaire_response(healthy_answers()), hook="patient-view"))
    assert answer.status == 400
    assert answer.json()["problems"] == ['hook: this service answers the appointment-book hook, not "patient-view".']


def test_a_call_without_its_context_names_what_is_missing(service):
    body = hook_call(None)
    body["context"] = {"userId": USER_ID}
    answer = call(service, json.dumps(body).encode())
    assert answer.status == 400 and answer.json()["problems"] == ["context.patientId: required, a non-empty string."]


def test_an_oversized_body_is_refused_with_413(service):
    padding = b" " * (MAX_BODY_BYTES + 1 - 2)
    answer = call(service, b"{" + padding + b"}")
    assert answer.status == 413 and "2,000,000 bytes" in answer.json()["message"]


def test_an_oversized_body_without_a_length_is_refused_as_it_arrives(service):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", service.port, timeout=30)
    chunks = (b"x" * 100_000 for _ in range(25))  # sent chunked: the length is not declared
    connection.request("POST", SERVICE_PATH, body=chunks, encode_chunked=True,
                       headers={"Authorization": f"Bearer {RSA.token(service.service_url)}"})
    response = connection.getresponse()
    assert response.status == 413
    connection.close()


REFUSALS = {
    "missing": "Send the caller's signed JWT as Authorization: Bearer JWT (CDS Hooks: Trusting CDS Clients).",
    "not a JWT": "The Authorization header does not hold a JWT.",
    "expired": "The JWT has expired.",
    "wrongly signed": "The JWT's signature does not verify with this issuer's key.",
    "unknown issuer": "The JWT's issuer (iss) is not one this service was configured to trust.",
    "another URL": "The JWT's aud must be the URL called: {url}.",
    "five minutes and more": "The JWT's exp is more than 300 seconds ahead; sign short-lived tokens.",
    "forbidden algorithm": "The JWT must be signed with RS384 or ES384.",
    "no kid": "The JWT's header must name its key (kid).",
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_call_without_a_good_jwt_is_refused_with_401(service, case):
    body = json.dumps(hook_call(questionnaire_response(healthy_answers()))).encode()
    url = service.service_url
    impostor = copy.copy(RSA)
    impostor.key = STRANGER.key
    token = {
        "missing": None,
        "not a JWT": "not-a-jwt",
        "expired": RSA.token(url, lifetime=-30, issued=datetime.now(timezone.utc).timestamp()),
        "wrongly signed": impostor.token(url),
        "unknown issuer": STRANGER.token(url),
        "another URL": RSA.token(service.discovery_url),
        "five minutes and more": RSA.token(url, lifetime=600),
        "forbidden algorithm": jwt.encode({"iss": RSA.iss, "aud": url, "exp": 2_000_000_000, "iat": 1_800_000_000,
                                           "jti": "h"}, "a secret shared by both ends, never allowed " * 2,
                                          algorithm="HS384",
                                          headers={"kid": RSA.kid}),
        "no kid": jwt.encode({"iss": EC.iss, "aud": url, "exp": 2_000_000_000, "iat": 1_800_000_000, "jti": "k"},
                             EC.key, algorithm="ES384"),
    }[case]
    answer = request(service.port, "POST", SERVICE_PATH, body, token)
    assert answer.status == 401 and answer.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert answer.json() == {"message": REFUSALS[case].format(url=url)}


def test_a_jwt_is_accepted_once(service):
    body = json.dumps(hook_call(questionnaire_response(healthy_answers()))).encode()
    token = EC.token(service.service_url)
    assert request(service.port, "POST", SERVICE_PATH, body, token).status == 200
    again = request(service.port, "POST", SERVICE_PATH, body, token)
    assert again.status == 401 and "used already" in again.json()["message"]


def test_each_hook_call_is_audited_without_answers_and_the_log_holds_no_patient_data(service):
    body = hook_call(questionnaire_response(with_answer(healthy_answers(), "reproductive.breastfeeding", True)))
    assert call(service, body, signer=EC).status == 200
    with Store(f"sqlite:///{service.data_dir / 'screener.sqlite3'}") as store:
        events = store.audit_events(action=CDS_SCREENED_ACTION)
    latest = events[0]
    assert latest.staff == f"cds:{EC.iss}"
    assert latest.detail == f"hook instance {body['hookInstance']}; user {USER_ID}; decision clinician_review"
    assert abs((datetime.now(timezone.utc) - latest.at).total_seconds()) < 60
    patient_words = ("Alex Example", "Maria Lopez", "1984-03-09", PATIENT_ID, "breastfeeding")
    for text in [event.detail for event in events] + [service.log_text()]:
        assert not [word for word in patient_words if word in text]
