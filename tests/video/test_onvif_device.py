"""ONVIF through the real client library (onvif-zeep-async, the optional extra) against a
small ONVIF device on loopback: SOAP over HTTP with WS-Security digest authentication,
GetServices, GetProfiles and GetStreamUri as a camera answers them. Skipped where the
extra is not installed."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from .._needs import in_ci

try:
    import onvif  # noqa: F401  (the [onvif] extra, part of [dev])
except ImportError:  # a skip here, a failure in CI (where [dev] installs it)
    if in_ci():
        raise
    pytest.skip("the onvif extra is not installed", allow_module_level=True)
from aiohttp import web

from gvcommand.video import urls
from gvcommand.video.urls import Credentials, UrlError

USER, PASSWORD = "admin", "Cam@363:/#x"

ENVELOPE = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
            'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
            'xmlns:trt="http://www.onvif.org/ver10/media/wsdl" '
            'xmlns:tt="http://www.onvif.org/ver10/schema" '
            'xmlns:ter="http://www.onvif.org/ver10/error">'
            '<s:Body>{}</s:Body></s:Envelope>')

FAULT = ('<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode>'
         '<s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason>'
         '<s:Text xml:lang="en">Sender not Authorized</s:Text></s:Reason></s:Fault>')


def _service(ns: str, addr: str) -> str:
    return (f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{addr}</tds:XAddr>"
            "<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version>"
            "</tds:Service>")


def _profile(token: str, width: int, height: int) -> str:
    return (f'<trt:Profiles token="{token}" fixed="true"><tt:Name>{token}</tt:Name>'
            f'<tt:VideoEncoderConfiguration token="enc-{token}"><tt:Name>enc</tt:Name>'
            "<tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>"
            f"<tt:Resolution><tt:Width>{width}</tt:Width><tt:Height>{height}</tt:Height>"
            "</tt:Resolution><tt:Quality>5</tt:Quality>"
            "<tt:SessionTimeout>PT60S</tt:SessionTimeout>"
            "</tt:VideoEncoderConfiguration></trt:Profiles>")


def _authorised(body: str) -> bool:
    """WS-Security UsernameToken: PasswordDigest = Base64(SHA-1(nonce + created + password))."""
    def field(name: str) -> str | None:
        m = re.search(rf"<[\w-]*:?{name}[^>]*>([^<]*)</", body)
        return m.group(1) if m else None

    user, digest, nonce, created = (field("Username"), field("Password"), field("Nonce"),
                                    field("Created"))
    if None in (user, digest, nonce, created):
        return False
    expected = base64.b64encode(hashlib.sha1(
        base64.b64decode(nonce or "") + (created or "").encode() + PASSWORD.encode()
    ).digest()).decode()
    return user == USER and digest == expected


async def _device() -> tuple[web.AppRunner, int]:
    async def handle(request: web.Request) -> web.Response:
        body = await request.text()
        base = f"http://{request.host}"
        if not _authorised(body):
            return web.Response(status=400, text=ENVELOPE.format(FAULT),
                                content_type="application/soap+xml")
        if "GetServices" in body:
            answer = ("<tds:GetServicesResponse>"
                      + _service("http://www.onvif.org/ver10/device/wsdl",
                                 f"{base}/onvif/device_service")
                      + _service("http://www.onvif.org/ver10/media/wsdl",
                                 f"{base}/onvif/media_service")
                      + "</tds:GetServicesResponse>")
        elif "GetProfiles" in body:
            answer = ("<trt:GetProfilesResponse>" + _profile("sub", 640, 360)
                      + _profile("main", 2560, 1440) + "</trt:GetProfilesResponse>")
        elif "GetStreamUri" in body:
            token = re.search(r"ProfileToken>([^<]+)<", body)
            name = token.group(1) if token else "?"
            answer = ("<trt:GetStreamUriResponse><trt:MediaUri>"
                      f"<tt:Uri>rtsp://{USER}:{PASSWORD}@127.0.0.1:554/Streaming/{name}</tt:Uri>"
                      "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
                      "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>"
                      "<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>")
        else:
            return web.Response(status=400, text=ENVELOPE.format(FAULT),
                                content_type="application/soap+xml")
        return web.Response(text=ENVELOPE.format(answer), content_type="application/soap+xml")

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    return runner, port


def _with_device(check: Callable[[int], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        runner, port = await _device()
        try:
            return await asyncio.wait_for(check(port), 30)
        finally:
            await runner.cleanup()

    return asyncio.run(main())


def test_profiles_from_a_device_largest_first_without_credentials() -> None:
    found = _with_device(lambda port: urls.onvif_profiles("127.0.0.1", port,
                                                          Credentials(USER, PASSWORD)))
    assert [(p.token, p.width, p.height) for p in found] == [
        ("main", 2560, 1440), ("sub", 640, 360)]
    assert [p.uri for p in found] == ["rtsp://127.0.0.1:554/Streaming/main",
                                      "rtsp://127.0.0.1:554/Streaming/sub"]


def test_wrong_password_is_a_clear_error_without_the_secret() -> None:
    with pytest.raises(UrlError, match="refused the user name or password") as info:
        _with_device(lambda port: urls.onvif_profiles("127.0.0.1", port,
                                                      Credentials(USER, "wrong-pw")))
    assert "wrong-pw" not in str(info.value)
    assert "authentication failed" in str(info.value)


def test_no_device_is_a_clear_error() -> None:
    async def nothing(port: int) -> Any:
        return await urls.onvif_profiles("127.0.0.1", 9, Credentials(USER, PASSWORD))

    with pytest.raises(UrlError, match=r"127\.0\.0\.1:9 did not give its profiles") as info:
        _with_device(nothing)
    assert PASSWORD not in str(info.value)
