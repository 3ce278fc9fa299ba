"""``python -m screener serve-cds``: the CDS Hooks service for booking and record systems (docs/cds-hooks.md).

It listens on the loopback unless ``--host`` says otherwise, and refuses to start without
``SCREENER_CDS_CLIENTS`` (who may call); a setting that cannot be used exits 2 before listening.
"""

from __future__ import annotations

import argparse

from ..clinical.errors import Problem
from .common import BadInput

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8502


def register(commands) -> None:
    command = commands.add_parser(
        "serve-cds", help="answer CDS Hooks calls (appointment-book) from booking and record systems",
        description="Serves CDS Hooks 2.0: GET /cds-services and POST /cds-services/microsclerotherapy-screen. "
                    "Callers sign each call with a JWT; SCREENER_CDS_CLIENTS lists who may call and their keys.")
    command.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}, "
                                                              "this machine only)")
    command.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    command.add_argument("--base-url", help="the service's address as callers write it, the JWTs' audience "
                                            "(default: SCREENER_CDS_BASE_URL, else http://HOST:PORT)")
    command.set_defaults(run=_command_serve)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise BadInput([Problem("--port", f"Give a port number from 1 to 65535, not {text!r}.")])
    return int(text)


def _command_serve(args: argparse.Namespace) -> int:
    from ..cds.service import serve  # Starlette, uvicorn and the crypto load only for this command

    return serve(args.host, args.port, args.base_url)
