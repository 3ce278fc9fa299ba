"""Who may call, without HTTP: the clients file and the JWT rules that need a clock to show.

- A clients file names each issuer once with a PEM key or a JWK Set; anything else stops the
  service at start with a message naming the entry.
- A JWT issued before the service started is refused, so a restart, which forgets the jti seen,
  cannot be used to replay one; the next second's are accepted.
- A jti is remembered until its exp has passed, then forgotten (the memory stays small).
- A JWK Set picks the key by kid; a key of another algorithm than the JWT's is not used.
"""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from cds_client import ec_signer, rsa_signer, write_clients
from cli_driver import run
from screener.cds.clients import load_clients
from screener.cds.tokens import Authenticator, Refused
from screener.config import ConfigError

URL = "https://cds.clinic.example/cds-services/microsclerotherapy-screen"
RSA, EC = rsa_signer(), ec_signer()


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    return load_clients(write_clients(tmp_path_factory.mktemp("keys"), [RSA], [EC]))


def test_both_kinds_of_entry_are_read(clients):
    assert set(clients) == {RSA.iss, EC.iss}
    assert clients[RSA.iss].keys[0].algorithm == "RS384" and clients[RSA.iss].keys[0].kid is None
    assert clients[EC.iss].keys[0].algorithm == "ES384" and clients[EC.iss].keys[0].kid == EC.kid


@pytest.mark.parametrize("entries, message", [
    ([], "Give a JSON list with one entry per calling system."),
    ([{"iss": "a"}], "entry 1: give exactly \"iss\" and one of \"public_key_pem\" or \"jwks_file\"."),
    ([{"iss": "a", "public_key_pem": "a.pem", "jwks_file": "a.json"}], "entry 1: give exactly"),
    ([{"iss": "a", "public_key_pem": "missing.pem"}], "missing.pem cannot be read"),
    ([{"iss": "a", "public_key_pem": "p384.pem"}, {"iss": "a", "public_key_pem": "p384.pem"}],
     "entry 2: 'a' is listed twice"),
    ([{"iss": "a", "public_key_pem": "p256.pem"}], "must be an RSA key of 2048 bits or more (RS384) or an EC key on P-384"),
    ([{"iss": "a", "jwks_file": "private.json"}], "give public signing keys only"),
])
def test_a_clients_file_that_cannot_be_used_names_the_entry(tmp_path, entries, message):
    (tmp_path / "p384.pem").write_bytes(EC.public_pem())
    p256 = ec.generate_private_key(ec.SECP256R1()).public_key()
    (tmp_path / "p256.pem").write_bytes(p256.public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo))
    private = {**EC.public_jwk(), "d": "secret"}
    (tmp_path / "private.json").write_text(json.dumps({"keys": [private]}))
    path = tmp_path / "clients.json"
    path.write_text(json.dumps(entries))
    with pytest.raises(ConfigError) as refused:
        load_clients(path)
    assert refused.value.variable == "SCREENER_CDS_CLIENTS" and message in refused.value.message


def test_a_jwt_issued_before_the_start_is_refused_and_the_next_seconds_accepted(clients):
    started = time.time() + 0.5  # the service started half a second into this second
    authenticator = Authenticator(clients, Clock(started))
    with pytest.raises(Refused, match="issued before this service started"):
        authenticator.caller(f"Bearer {RSA.token(URL, issued=started - 0.4)}", URL)
    assert authenticator.caller(f"Bearer {RSA.token(URL, issued=started + 1)}", URL) == RSA.iss


def test_a_jti_is_refused_again_until_its_exp_has_passed_then_forgotten(clients):
    clock = Clock(time.time() - 5)
    authenticator = Authenticator(clients, clock)
    clock.now += 5
    token = RSA.token(URL, lifetime=60, jti="once")
    assert authenticator.caller(f"Bearer {token}", URL) == RSA.iss
    with pytest.raises(Refused, match="used already"):
        authenticator.caller(f"Bearer {token}", URL)
    clock.now += 120  # long past its exp: a new call forgets it
    authenticator.caller(f"Bearer {RSA.token(URL, jti='another')}", URL)
    assert authenticator.held() == 1


def test_the_same_jti_from_two_issuers_is_two_tokens(clients):
    authenticator = Authenticator(clients, Clock(time.time() - 5))
    assert authenticator.caller(f"Bearer {RSA.token(URL, jti='shared')}", URL) == RSA.iss
    assert authenticator.caller(f"Bearer {EC.token(URL, jti='shared')}", URL) == EC.iss


def test_a_jwks_key_is_chosen_by_kid(clients):
    authenticator = Authenticator(clients, Clock(time.time() - 5))
    stranger = ec_signer(EC.iss)
    stranger.kid = "not-listed"
    with pytest.raises(Refused, match="no ES384 key with the JWT's kid"):
        authenticator.caller(f"Bearer {stranger.token(URL)}", URL)


def test_an_audience_list_holding_the_url_is_accepted(clients):
    authenticator = Authenticator(clients, Clock(time.time() - 5))
    assert authenticator.caller(f"Bearer {EC.token(URL, aud=[URL])}", URL) == EC.iss


def test_serve_cds_without_clients_exits_2_before_listening():
    result = run("serve-cds", "--port", "1")
    assert result.returncode == 2
    assert result.stderr.decode().startswith("SCREENER_CDS_CLIENTS: Set it to the JSON file")


def _segment(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _malformed() -> dict[str, str]:
    good = RSA.token(URL)
    header, payload, signature = good.split(".")
    return {
        "two segments": f"{header}.{payload}",
        "four segments": f"{good}.{signature}",
        "a header that is not JSON": f"{_segment('not json')}.{payload}.{signature}",
        "a header that is a list": f"{_segment(['RS384'])}.{payload}.{signature}",
        "claims that are not base64url": f"{header}.%%%%.{signature}",
        "claims that are a number": f"{header}.{_segment('42')}.{signature}",
        "bytes that are not UTF-8": f"{header}.{base64.urlsafe_b64encode(bytes([255, 254])).decode()}.{signature}",
        "far too long": f"{header}.{_segment({'iss': RSA.iss, 'pad': 'x' * 20_000})}.{signature}",
        # Read leniently to find the key, the junk is then refused by PyJWT's strict decoding.
        "junk inside the claims": f"{header}.{payload[:10]}!!{payload[10:]}.{signature}",
        "a signature of another token": f"{header}.{RSA.token(URL).split('.')[1]}.{signature}",
    }


@pytest.mark.parametrize("case", list(_malformed()))
def test_a_malformed_token_is_refused_with_a_reason_and_nothing_else(clients, case):
    authenticator = Authenticator(clients, Clock(time.time() - 5))
    with pytest.raises(Refused) as refused:
        authenticator.caller(f"Bearer {_malformed()[case]}", URL)
    assert refused.value.reason and authenticator.held() == 0
