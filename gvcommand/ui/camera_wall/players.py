"""The camera wall's players and addresses: what the wall needs of a stream player
(:class:`Player`; libVLC's ``gvcommand.video.player.StreamPlayer`` by :func:`make_player`)
and a camera's live address with its credentials (:func:`live_address`), both made here for
whoever builds a wall (the dock, the tests, the benchmark)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from ...core.model import Camera, StreamKind
from ...video.credentials import CredentialStore
from ...video.urls import UrlError, opened_url


class Player(Protocol):
    """What the wall needs of a stream player (``gvcommand.video.player.StreamPlayer``)."""

    frame_ready: Any  # Signal()
    state_changed: Any  # Signal(StreamState, str)

    @property
    def state(self) -> Any: ...
    @property
    def detail(self) -> str: ...
    @property
    def last_frame_us(self) -> int | None: ...

    def play(self, url: str, *, redacted: str) -> None: ...
    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def image(self) -> QImage | None: ...


StreamUrl = Callable[[Camera, StreamKind], tuple[str, str]]
"""A camera's live address for a stream, with credentials, and the same address redacted
(the only one ever shown or logged)."""


def make_player(parent: QObject) -> Player:
    """A libVLC player for a tile (gvcommand.video.player)."""
    from ...video.player import StreamPlayer

    return StreamPlayer(parent)


def live_address(credentials: Callable[[], CredentialStore] | None = None) -> StreamUrl:
    """Live addresses from the camera record (gvcommand.video.urls) with its credentials
    from the keyring or the encrypted store (opened when first needed)."""
    opened: list[CredentialStore] = []

    def address(camera: Camera, stream: StreamKind) -> tuple[str, str]:
        creds = None
        if camera.credential_ref:
            if not opened:
                if credentials is None:
                    raise UrlError(f"camera {camera.code}: no credential store")
                opened.append(credentials())
            creds = opened[0].get(camera.credential_ref)
            if creds is None:
                raise UrlError(f"camera {camera.code}: no credentials stored under "
                               f"{camera.credential_ref!r}")
        return opened_url(camera, stream, creds)

    return address


def now_us() -> int:
    """The wall clock in microseconds (a frame's time, the tiles' clock)."""
    return time.time_ns() // 1000
