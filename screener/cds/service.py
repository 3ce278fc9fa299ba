"""The HTTP service (Starlette on uvicorn): ``GET /cds-services`` and ``POST /cds-services/microsclerotherapy-screen``.

Every call is authenticated first (:mod:`screener.cds.tokens`: 401 otherwise), its body then read
up to :data:`~screener.cds.hook.MAX_BODY_BYTES` (413 past it). A hook call's outcome goes on the
audit trail before its cards are sent (503 when it cannot be written); nothing else is written,
and the response holds no ``systemActions``. Errors are JSON ``{"message": ..., "problems": [...]}``.
The log names callers and refusals, never a patient or an answer.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import ipaddress
import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from typing import Optional

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..config import cds_base_url, cds_clients_file, data_dir, time_zone
from ..storage import CDS_SCREENED_ACTION, Store
from .audit import AuditTrail
from .clients import load_clients
from .hook import MAX_BODY_BYTES, SERVICE_ID, BadRequest, answer, discovery, read_call
from .tokens import Authenticator, Refused

DISCOVERY_PATH = "/cds-services"
SERVICE_PATH = f"{DISCOVERY_PATH}/{SERVICE_ID}"
log = logging.getLogger("screener.cds")


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Settings:
    """What the service needs, resolved once at start: who may call, where it is called, the clinic's zone."""

    authenticator: Authenticator
    audit: AuditTrail
    base_url: str
    zone: Optional[tzinfo]

    def today(self) -> date:
        """The clinic's date now: the assessment date of every call."""
        return datetime.now(self.zone).date() if self.zone is not None else date.today()


def create_app(settings: Settings) -> Starlette:
    """The ASGI application; its lifespan starts and stops the audit trail's writer process."""

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        await settings.audit.start()
        log.info("audit trail writer started (process %s)", settings.audit.writer_pid)
        # What exists now (modules, the app, the keys) lives as long as the process: frozen out of the
        # cyclic collector, which then walks only what calls make, and runs less often (every 50,000
        # new containers, a few megabytes, instead of 700). Measured in docs/cds-hooks.md (Speed).
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        try:
            yield
        finally:
            await settings.audit.close()

    async def services(request: Request) -> Response:
        try:
            settings.authenticator.caller(request.headers.get("authorization"), settings.base_url + DISCOVERY_PATH)
        except Refused as refused:
            return _refused(refused)
        return _json(200, discovery())

    async def screen(request: Request) -> Response:
        try:
            caller = settings.authenticator.caller(request.headers.get("authorization"), settings.base_url + SERVICE_PATH)
        except Refused as refused:
            return _refused(refused)
        try:
            call = read_call(await _body(request))
        except _TooLarge:
            log.warning("hook call from %r refused: body over %d bytes", caller, MAX_BODY_BYTES)
            return _error(413, f"The request is larger than {MAX_BODY_BYTES:,} bytes; send one patient's answers.")
        except BadRequest as bad:
            log.warning("hook call from %r refused (%d)", caller, bad.status)
            return _error(bad.status, "This is not a call this service can answer.", bad.problems)
        cards, outcome = answer(call, settings.today())
        try:
            await settings.audit.record(staff=f"cds:{caller}", action=CDS_SCREENED_ACTION, at=datetime.now(timezone.utc),
                                        detail=f"hook instance {call.hook_instance}; user {call.user_id}; {outcome}")
        except Exception as exc:  # whatever the failure, no cards leave without their audit record
            log.error("hook call from %r not answered: the audit trail could not be written (%s)", caller,
                      type(exc).__name__)
            return _error(503, "The audit trail could not be written, so no screening was sent; try again.")
        return _json(200, {"cards": cards})

    async def unknown_service(request: Request) -> Response:
        return _error(404, f"This server has one CDS service: {SERVICE_PATH}.")

    routes = [
        Route(DISCOVERY_PATH, _quiet_failures(services), methods=["GET"]),
        Route(SERVICE_PATH, _quiet_failures(screen), methods=["POST"]),
        Route(DISCOVERY_PATH + "/{name:path}", unknown_service, methods=["GET", "POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _quiet_failures(endpoint):
    """An unexpected failure answered 500 and logged by its kind alone: a traceback's message could
    quote a patient's answer, and the log never holds one."""

    @functools.wraps(endpoint)
    async def answering(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Exception as exc:
            log.error("%s %s failed (%s)", request.method, request.url.path, type(exc).__name__)
            return _error(500, "The service failed on this call; nothing was screened.")

    return answering


async def _body(request: Request) -> bytes:
    """The body, refused as soon as it passes the limit, whatever Content-Length says."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _json(status: int, content: dict, headers: Optional[dict] = None) -> Response:
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def _error(status: int, message: str, problems: Optional[list[str]] = None) -> Response:
    return _json(status, {"message": message, **({"problems": problems} if problems else {})})


def _refused(refused: Refused) -> Response:
    log.warning("call refused (401): %s", refused.reason)
    challenge = 'Bearer error="invalid_token", error_description="' + refused.reason.replace('"', "'") + '"'
    return _json(401, {"message": refused.reason}, {"WWW-Authenticate": challenge})


def serve(host: str, port: int, base_url: Optional[str] = None) -> int:
    """Resolve the settings (ConfigError or StorageError before listening), then answer calls until stopped."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    clients = load_clients(cds_clients_file())
    listening = f"[{host}]" if ":" in host else host  # an IPv6 address is bracketed in a URL
    url = cds_base_url(f"http://{listening}:{port}", name=base_url, variable="--base-url")
    configured = (os.environ.get("SCREENER_DATABASE_URL") or "").strip()
    database = configured or Store.default_url(data_dir())  # as the app: the data folder made, private
    store = Store(database)  # opened (and its schema upgraded) here, so that a failure stops the start
    warning = store.privacy_warning()
    if warning:
        log.warning("%s", warning)
    if not _loopback(host):
        log.warning("Listening beyond this machine on %s: CDS Hooks calls must come over HTTPS, so put a TLS proxy "
                    "in front and set SCREENER_CDS_BASE_URL to its address (docs/cds-hooks.md).", host)
    settings = Settings(Authenticator(clients), AuditTrail(functools.partial(Store, database)), url, time_zone())
    log.info("CDS Hooks discovery at %s%s for %d calling system(s)", url, DISCOVERY_PATH, len(clients))
    try:
        # httptools (pinned; a fifth less CPU a call than h11, docs/cds-hooks.md) and asyncio named, not
        # "auto": the same server whatever else is installed. uvloop is not used.
        uvicorn.run(create_app(settings), host=host, port=port, http="httptools", loop="asyncio", log_config=None,
                    access_log=False, server_header=False)
    finally:
        store.dispose()
    return 0


def _loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(found[4][0]).is_loopback for found in socket.getaddrinfo(host, None))
    except (OSError, ValueError):
        return False
