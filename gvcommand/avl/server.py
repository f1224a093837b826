"""The HTTP side of gvcommand-avl (aiohttp): OsmAnd and Traccar Client JSON on ``/`` (any
method, as Traccar Client sends them), OwnTracks on ``/owntracks`` (and ``/pub``, the path
of the OwnTracks Recorder), and ``/status`` with the counts.

Replies as the clients expect: 200 when taken; 400 for an unknown device or a request that
is not a fix; 403 (OsmAnd) or 401 (OwnTracks) for a wrong secret or address; 503 when the
writer is behind (the clients keep the fix and send it again); 413 for a body over the
limit; 408 for a client too slow to send its body.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
from urllib.parse import parse_qsl

from aiohttp import web

from ..core.fix import Fix, FixRefused
from ..feeds.osmand import parse_osmand, parse_traccar_json
from ..feeds.owntracks import device_name, parse_owntracks
from .ingest import FILTERED, Ingest, QueueFull

MAX_BODY = 64 * 1024  # a fix is a few hundred bytes; a batch of OwnTracks messages a few KB
BODY_TIMEOUT_S = 10.0
INGEST: web.AppKey[Ingest] = web.AppKey("ingest", Ingest)
BODY_TIMEOUT: web.AppKey[float] = web.AppKey("body_timeout", float)


def _status_of(refused: FixRefused, *, owntracks: bool) -> int:
    if refused.reason in ("bad-secret", "address-not-allowed"):
        return 401 if owntracks else 403
    return 400


async def _body(request: web.Request) -> bytes:
    if not request.body_exists:  # a GET as Traccar Client sends it: nothing to wait for
        return b""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY,
                                            actual_size=request.content_length)
    try:
        return await asyncio.wait_for(request.read(), request.app[BODY_TIMEOUT])
    except TimeoutError:
        raise web.HTTPRequestTimeout(text="body not received in time\n") from None


def _take(ingest: Ingest, fix: Fix | None, peer: str | None, *, owntracks: bool) -> web.Response:
    if fix is None:  # an OwnTracks message without a position
        return web.json_response([])
    try:
        ingest.take(fix, peer)
    except FixRefused as refused:
        if refused.reason in FILTERED:
            # counted and logged by take(); the client must not retry it forever
            return web.json_response([]) if owntracks else web.Response(text="OK\n")
        return web.Response(status=_status_of(refused, owntracks=owntracks),
                            text=f"{refused}\n")
    except QueueFull as full:
        return web.Response(status=503, text=f"busy: {full}; try again\n",
                            headers={"Retry-After": "5"})
    return web.json_response([]) if owntracks else web.Response(text="OK\n")


async def osmand(request: web.Request) -> web.Response:
    ingest = request.app[INGEST]
    peer = request.remote
    try:
        body = await _body(request)
        fields = dict(request.query)
        if body.lstrip()[:1] == b"{":  # Traccar Client 9+ posts JSON
            try:
                document = json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise FixRefused("bad-json", f"the body is not JSON: {exc}") from None
            fix: Fix = parse_traccar_json(document, secret=fields.get("key"))
        else:
            if body:
                try:
                    fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                except UnicodeDecodeError:
                    raise FixRefused("bad-form", "the form body is not UTF-8") from None
            fix = parse_osmand(fields, now_us=ingest.clock())
    except FixRefused as refused:
        ingest.refused(refused, request.query.get("id") or request.query.get("deviceid"), peer)
        return web.Response(status=400, text=f"{refused}\n")
    return _take(ingest, fix, peer, owntracks=False)


def _basic_password(request: web.Request) -> tuple[str | None, str | None]:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        return None, None
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return user, password


async def owntracks(request: web.Request) -> web.Response:
    ingest = request.app[INGEST]
    peer = request.remote
    auth_user, secret = _basic_password(request)
    user = request.headers.get("X-Limit-U") or request.query.get("u") or auth_user
    device = request.headers.get("X-Limit-D") or request.query.get("d")
    try:
        body = await _body(request)
        try:
            message = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise FixRefused("bad-json", f"the body is not JSON: {exc}") from None
        fix = parse_owntracks(message, device_name(user, device), source="owntracks-http",
                              secret=secret)
    except FixRefused as refused:
        ingest.refused(refused, f"{user}/{device}", peer)
        return web.Response(status=400, text=f"{refused}\n")
    return _take(ingest, fix, peer, owntracks=True)


async def status(request: web.Request) -> web.Response:
    ingest = request.app[INGEST]
    return web.json_response({"counts": dict(ingest.counts), "queued": ingest.queued,
                              "database_ok": ingest.database_ok,
                              "last_error": ingest.last_error, "time": time.time()})


def make_app(ingest: Ingest, *, body_timeout_s: float = BODY_TIMEOUT_S) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    app[INGEST] = ingest
    app[BODY_TIMEOUT] = body_timeout_s
    app.router.add_get("/status", status)
    for path in ("/owntracks", "/pub"):
        app.router.add_post(path, owntracks)
    app.router.add_route("*", "/", osmand)
    return app
