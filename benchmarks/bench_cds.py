"""CDS Hooks service speed: ``serve-cds`` on the loopback driven by concurrent clients, beside a bare ``assess``.

Each client keeps one keep-alive connection and sends one hook call after another (a closed
loop), each with its own JWT signed beforehand, so signing costs the clients nothing while they
are timed. The calls carry the public examples' answers as a searchset Bundle, as a record
system's prefetch sends them. Printed: requests per second, latency p50/p95/p99 and the largest,
and the CPU time per call of the server (all its threads, and its audit writer process) and of the
clients, at each concurrency; then bare ``assess`` and each part of a call (no HTTP) per second in
the same run. The clients run on this machine too, and share its 2 cores with the server. In a
closed loop, latency at saturation is the concurrency over the rate (50 calls in flight at 300 a
second wait about 170 ms each): the server's CPU per call is what sets the rate.

Target (issue 24): p95 under 50 ms at 50 concurrent requests.

    .venv/bin/python benchmarks/bench_cds.py [--requests 2000] [--concurrency 1 10 50] [--algorithm RS384]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from cds_client import ec_signer, hook_call, questionnaire_response, rsa_signer, running_service, searchset  # noqa: E402
from cds_client import write_clients  # noqa: E402
from factories import AS_OF, intake_of  # noqa: E402
from screener import assess  # noqa: E402
from screener.cds.clients import load_clients  # noqa: E402
from screener.cds.hook import SERVICE_ID, answer, read_call  # noqa: E402
from screener.cds.tokens import Authenticator  # noqa: E402
from screener.fhir.response import read_resource  # noqa: E402

PATH = f"/cds-services/{SERVICE_ID}"


def example_answers() -> list[dict]:
    examples = sorted(path for path in (ROOT / "tests" / "examples").glob("*.json")
                      if not path.name.endswith(".expected.json") and not path.name.startswith("invalid"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in examples]


def request_bytes(body: bytes, token: str, port: int) -> bytes:
    head = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("ascii") + body


async def _client(port: int, requests: list[bytes], latencies: list[float], failures: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for raw in requests:
            started = time.perf_counter()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not head.startswith(b"HTTP/1.1 200"):
                failures.append(int(head.split(b" ", 2)[1]))
    finally:
        writer.close()
        await writer.wait_closed()


async def drive(port: int, requests: list[bytes], concurrency: int) -> tuple[float, list[float], list[int]]:
    """Send ``requests`` over ``concurrency`` connections at once; the wall time, each latency, each failure."""
    shares = [requests[index::concurrency] for index in range(concurrency)]
    latencies: list[float] = []
    failures: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, share, latencies, failures) for share in shares))
    return time.perf_counter() - started, latencies, failures


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system, all threads) a process and its children (the audit writer) have
    used so far, from Linux's /proc; 0 for a process that has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def per_second(work, items: list, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - started)
    return len(items) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="calls at each concurrency (default 2000)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--algorithm", choices=("RS384", "ES384"), default="RS384", help="how the clients sign")
    args = parser.parse_args()
    signer = rsa_signer() if args.algorithm == "RS384" else ec_signer()
    answers = example_answers()
    responses = [questionnaire_response(item) for item in answers]
    bodies = [json.dumps(hook_call(searchset(response))).encode("utf-8") for response in responses]
    with tempfile.TemporaryDirectory() as folder:
        clients = write_clients(Path(folder), [signer], [])
        with running_service(Path(folder) / "data", clients) as service:
            total = args.requests * len(args.concurrency) + 100
            print(f"signing {total} {args.algorithm} JWTs beforehand ...", flush=True)
            tokens = iter([signer.token(service.service_url, lifetime=290) for _ in range(total)])
            made = [request_bytes(bodies[number % len(bodies)], next(tokens), service.port)
                    for number in range(total)]
            warm, made = made[:100], made[100:]
            asyncio.run(drive(service.port, warm, 10))
            print(f"serve-cds, {len(bodies)} public examples' answers (searchset Bundle of one QuestionnaireResponse, "
                  f"{min(map(len, bodies)):,}-{max(map(len, bodies)):,} bytes), {args.algorithm} JWTs:")
            for round_number, concurrency in enumerate(args.concurrency):
                batch = made[round_number * args.requests:(round_number + 1) * args.requests]
                cpu_before, client_before = cpu_seconds(service.process.pid), time.process_time()
                wall, latencies, failures = asyncio.run(drive(service.port, batch, concurrency))
                cpu_ms = (cpu_seconds(service.process.pid) - cpu_before) * 1000 / len(batch)
                client_ms = (time.process_time() - client_before) * 1000 / len(batch)
                ms = [latency * 1000 for latency in latencies]
                print(f"  {concurrency:3} concurrent: {len(batch) / wall:7.0f} requests/s   p50 {statistics.median(ms):6.1f} ms"
                      f"   p95 {percentile(ms, 0.95):6.1f} ms   p99 {percentile(ms, 0.99):6.1f} ms   max {max(ms):6.1f} ms"
                      f"   non-200: {len(failures)}   server CPU {cpu_ms:4.2f} ms a call, clients' {client_ms:4.2f}")
    print("the same work without HTTP, same run (one core, per second):")
    intakes = [intake_of(item) for item in answers] * 200
    print(f"  bare assess                          {per_second(lambda intake: assess(intake, AS_OF), intakes):9.0f}")
    parsed = responses * 40
    print(f"  read the answers, then assess        "
          f"{per_second(lambda response: assess(read_resource(response, AS_OF), AS_OF), parsed):9.0f}")
    calls = [read_call(body) for body in bodies] * 40
    print(f"  read the call (JSON, repeated keys)  {per_second(read_call, bodies * 40):9.0f}")
    print(f"  answer a read call (cards included)  {per_second(lambda call: answer(call, AS_OF), calls):9.0f}")
    print(f"  verify a {args.algorithm} JWT (and its jti)     {verifications_per_second(signer):9.0f}")


def verifications_per_second(signer) -> float:
    """Checks of fresh JWTs per second, by an authenticator started just before they were signed."""
    with tempfile.TemporaryDirectory() as folder:
        clients = load_clients(write_clients(Path(folder), [signer], []))
    authenticator = Authenticator(clients, clock=lambda: time.time() - 2)
    url = "https://cds.clinic.example" + PATH
    tokens = [f"Bearer {signer.token(url)}" for _ in range(300)]
    started = time.perf_counter()
    for token in tokens:
        authenticator.caller(token, url)
    return len(tokens) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
