"""Slack's HTTP endpoint: aiohttp request -> Bolt request -> Bolt response -> aiohttp response,
with the signature checked before anything reads the body.

Bolt's own aiohttp server decodes and parses the body first (as UTF-8, then as a form, JSON or
`payload=` JSON) and verifies the signature afterwards, in a middleware: an unsigned
`payload=%7Bnot-json`, invalid UTF-8, or a form body sent as JSON raised inside it and came
back as 500 with a traceback in the log, for anyone who can reach the port. Here the signature
is checked on the raw bytes first: unsigned or stale requests get 401, signed ones that are not
a Slack body get 400, each with one log line and no traceback. Bolt verifies again, which costs
one HMAC. The check is Slack's ("Verifying requests from Slack": HMAC-SHA256 of
`v0:TIMESTAMP:BODY`), written out because slack_sdk's SignatureVerifier decodes the body as
UTF-8 first and raises on any other bytes.
The OAuth pages (install, redirect) are Bolt's, through its documented aiohttp conversions.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # Slack's payloads are a few KB; a modal's state stays far below this
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_WINDOW_S = 5 * 60  # Slack's own: older signed requests are replays


def events_app(bolt: AsyncApp, path: str, signing_secret: str) -> web.Application:
    secret = signing_secret.encode()

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        if not _signed(secret, raw, request.headers.get("X-Slack-Request-Timestamp", ""),
                       request.headers.get("X-Slack-Signature", "")):
            log.warning("refused a request to %s: no valid Slack signature", path)
            return web.Response(status=401, text="invalid signature")
        bolt_request = _bolt_request(request, raw)
        if bolt_request is None:
            log.warning("refused a signed request to %s: not a Slack payload", path)
            return web.Response(status=400, text="malformed body")
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(path, events)
    flow = bolt.oauth_flow
    if flow is not None:
        async def oauth(request: web.Request) -> web.Response:
            handle = flow.handle_installation if request.path == flow.install_path else flow.handle_callback
            return await to_aiohttp_response(await handle(await to_bolt_request(request)))

        app.router.add_get(flow.install_path, oauth)
        app.router.add_get(flow.redirect_uri_path, oauth)
    return app


def _signed(secret: bytes, raw: bytes, timestamp: str, signature: str) -> bool:
    if not _TIMESTAMP.fullmatch(timestamp) or abs(time.time() - int(timestamp)) > _WINDOW_S:
        return False
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def _bolt_request(request: web.Request, raw: bytes) -> AsyncBoltRequest | None:
    """The request as Bolt takes it, or None when the body is not one Slack sends: not UTF-8,
    or not parsable as the form, JSON or `payload=` JSON its content type says."""
    try:
        text = raw.decode("utf-8")
        # Bolt reads the parsed body as it builds the request (ids, channel, response_url): any
        # shape but the ones Slack sends fails in there, in whatever way (a JSON list: AttributeError).
        parsed = AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))
    except Exception:
        return None
    return parsed if isinstance(parsed.body, dict) else None

