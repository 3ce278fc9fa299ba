"""A CDS client for tests and benchmarks: keys it signs with, the clients file the service trusts,
JWTs, hook calls carrying a QuestionnaireResponse, and ``serve-cds`` as a subprocess on a free
loopback port.

The keys are made here (RSA 2048 for RS384, EC P-384 for ES384), so nothing secret is committed.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timezone
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from factories import AS_OF, intake_of
from real_browser import free_port, stop
from screener import assess
from screener.cds.hook import HOOK, SERVICE_ID
from screener.fhir import bundle

PROJECT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((PROJECT / "tests" / "cds" / "cds-hooks-2.0.schema.json").read_text(encoding="utf-8"))
PATIENT_ID = "pat-1288992"
USER_ID = "PractitionerRole/A2340113"


@dataclass
class Signer:
    """A calling system: its issuer, one private key, and the JWTs it signs (a new jti each)."""

    iss: str
    key: Any
    algorithm: str
    kid: str = "key-1"
    extra_headers: dict = field(default_factory=dict)

    def token(self, audience: str, *, lifetime: float = 60, issued: Optional[float] = None, **claims) -> str:
        now = time.time() if issued is None else issued
        payload = {"iss": self.iss, "aud": audience, "iat": int(now), "exp": int(now + lifetime),
                   "jti": uuid.uuid4().hex, **claims}
        headers = {"kid": self.kid, "typ": "JWT", **self.extra_headers}
        return jwt.encode({name: value for name, value in payload.items() if value is not None}, self.key,
                          algorithm=self.algorithm, headers=headers)

    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)

    def public_jwk(self) -> dict:
        jwk = json.loads(jwt.algorithms.get_default_algorithms()[self.algorithm].to_jwk(self.key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.algorithm}


def rsa_signer(iss: str = "https://booking.example/rsa") -> Signer:
    return Signer(iss, rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS384")


def ec_signer(iss: str = "https://records.example/ec") -> Signer:
    return Signer(iss, ec.generate_private_key(ec.SECP384R1()), "ES384", kid="ec-key-7")


def write_clients(folder: Path, pem_signers: list[Signer], jwks_signers: list[Signer]) -> Path:
    """The SCREENER_CDS_CLIENTS file trusting each signer: a PEM file each, or a JWK Set each."""
    entries = []
    for number, signer in enumerate(pem_signers):
        (folder / f"client-{number}.pem").write_bytes(signer.public_pem())
        entries.append({"iss": signer.iss, "public_key_pem": f"client-{number}.pem"})
    for number, signer in enumerate(jwks_signers):
        (folder / f"client-{number}.jwks.json").write_text(json.dumps({"keys": [signer.public_jwk()]}))
        entries.append({"iss": signer.iss, "jwks_file": f"client-{number}.jwks.json"})
    path = folder / "cds-clients.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def questionnaire_response(answers: Mapping[str, Any], subject: Optional[str] = None) -> dict:
    """The QuestionnaireResponse a record system keeps for these answers (as the screener exports it)."""
    intake = intake_of(dict(answers))
    made = bundle(intake, assess(intake, AS_OF), zone=timezone.utc)
    response = next(entry["resource"] for entry in made["entry"]
                    if entry["resource"]["resourceType"] == "QuestionnaireResponse")
    for key in ("subject", "author", "source"):
        response.pop(key)
    if subject is not None:
        response["subject"] = {"reference": subject}
    return response


def searchset(*resources: dict) -> dict:
    """A prefetch search's answer: a searchset Bundle of ``resources``."""
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "entry": [{"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource, "search": {"mode": "match"}}
                      for resource in resources]}


def hook_call(intake: Any, *, hook: str = HOOK, patient_id: str = PATIENT_ID, **more) -> dict:
    """An appointment-book call for one proposed appointment, ``intake`` as its prefetched answers."""
    appointment = {"resourceType": "Appointment", "id": "apt1", "status": "proposed",
                   "description": "Microsclerotherapy, first session", "start": "2026-12-20T09:00:00+00:00",
                   "end": "2026-12-20T09:45:00+00:00",
                   "participant": [{"actor": {"reference": f"Patient/{patient_id}"}, "status": "tentative"}]}
    call = {"hook": hook, "hookInstance": str(uuid.uuid4()),
            "context": {"userId": USER_ID, "patientId": patient_id,
                        "appointments": {"resourceType": "Bundle", "type": "collection",
                                         "entry": [{"resource": appointment}]}},
            "prefetch": {"intake": intake}}
    call.update(more)
    return call


@dataclass(frozen=True)
class RunningService:
    base_url: str
    port: int
    data_dir: Path
    log: Path
    process: subprocess.Popen

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/cds-services/{SERVICE_ID}"

    @property
    def discovery_url(self) -> str:
        return f"{self.base_url}/cds-services"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: bytes = b"", token: Optional[str] = None,
            headers: Optional[Mapping[str, str]] = None) -> Answer:
    """One HTTP/1.1 request to the loopback service; the status, headers and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=body or None, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, response.read())
    finally:
        connection.close()


@contextmanager
def running_service(data_dir: Path, clients_file: Path, timeout: float = 30) -> Iterator[RunningService]:
    """``python -m screener serve-cds`` on a free loopback port, its database in ``data_dir``; stopped on exit."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = data_dir / "cds.log"
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SCREENER_")}
    environment.update(SCREENER_DATA_DIR=str(data_dir), SCREENER_CDS_CLIENTS=str(clients_file),
                       SCREENER_TIMEZONE="UTC")
    command = [sys.executable, "-m", "screener", "serve-cds", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_listening(port, timeout, process)
        yield RunningService(f"http://127.0.0.1:{port}", port, data_dir, log, process)
    finally:
        stop(process)


def _wait_until_listening(port: int, timeout: float, process: subprocess.Popen) -> None:
    """Until discovery answers at all (401 without a JWT): the service is up. Then until the next
    whole second, as the service refuses JWTs issued (in whole seconds) before it started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve-cds exited with {process.returncode}")
        try:
            request(port, "GET", "/cds-services")
            up = time.time()
            time.sleep(math.ceil(up) - up + 0.01)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"serve-cds did not answer on port {port} within {timeout} s")
