"""libVLC video callbacks into RV32 buffers, handed to the GUI thread as QImages.

The callbacks run on libVLC's threads: they only pick a buffer and count the frame (and,
if given, call `notify` once until the GUI thread has taken it). No Qt object is made
there and libVLC is never called back. The GUI thread polls `count` (the players' frame
pump) rather than being signalled per frame: 16 tiles × 25 fps of queued signals cost
more than the pump's 50 checks a second. Four buffers: the
one libVLC renders into is never the latest finished one nor the one the GUI thread is
copying, so a frame is never torn.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QImage

from .engine import CleanupCb, DisplayCb, FormatCb, LockCb, UnlockCb

_BUFFERS = 4

def _align(value: int, to: int = 32) -> int:
    return (value + to - 1) // to * to


def fit(source: tuple[int, int], box: tuple[int, int]) -> tuple[int, int] | None:
    """The source's size scaled down (never up) to fit the box, in even numbers; None when
    it fits already."""
    scale = min(box[0] / source[0], box[1] / source[1])
    if scale >= 1.0:
        return None
    return max(2, round(source[0] * scale) // 2 * 2), max(2, round(source[1] * scale) // 2 * 2)


class FrameSink:
    """Owns the buffers and the ctypes callbacks of one libVLC media player."""

    def __init__(self, notify: Callable[[], None] | None = None) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._buffers: list[Any] = []
        self.width = self.height = self.pitch = 0
        self.formats = 0  # bumped by every format (re)negotiation
        self.sized = 0  # the negotiation `visible` was last asked for (GUI thread)
        self.size_tries = 0  # frames that waited for it (GUI thread)
        self.target: tuple[int, int] | None = None  # the size to ask libVLC for, if known
        self.visible: tuple[int, int] | None = None  # set by the GUI thread: the picture
        # without the decoder's padding rows (VLC hands buffers of the coded size, e.g.
        # 640×386 for 640×360)
        self._latest = -1
        self._reading = -1
        self._writing: set[int] = set()
        self.count = 0  # frames displayed since the player was made
        self.last_mono = 0.0  # time.monotonic() of the last one
        self.last_wall = 0.0  # time.time() of the last one
        self._pending = False
        self.accepting = False  # False: frames are counted but the GUI is not told
        # keep references: libVLC holds raw pointers to these
        self.format_cb = FormatCb(self._on_format)
        self.cleanup_cb = CleanupCb(self._on_cleanup)
        self.lock_cb = LockCb(self._on_lock)
        self.unlock_cb = UnlockCb()  # NULL: nothing to do there, and one Python call less
        self.display_cb = DisplayCb(self._on_display)

    def attach(self, media_player: Any) -> None:
        import vlc

        set_format = vlc.dll["libvlc_video_set_format_callbacks"]  # a fresh function object
        set_format.argtypes = [ctypes.c_void_p, FormatCb, CleanupCb]
        set_format.restype = None
        set_cbs = vlc.dll["libvlc_video_set_callbacks"]
        set_cbs.argtypes = [ctypes.c_void_p, LockCb, UnlockCb, DisplayCb, ctypes.c_void_p]
        set_cbs.restype = None
        handle = media_player._as_parameter_  # python-vlc keeps the C pointer there
        set_cbs(handle, self.lock_cb, self.unlock_cb, self.display_cb, None)
        set_format(handle, self.format_cb, self.cleanup_cb)

    # --- libVLC threads -----------------------------------------------------------------

    def _on_format(self, _opaque: Any, chroma: Any, width: Any, height: Any, pitches: Any,
                   lines: Any) -> int:
        ctypes.memmove(chroma, b"RV32", 4)
        target = self.target
        if target is not None:
            # libVLC scales the picture to this size while it converts it to RV32 anyway:
            # a tile then paints it 1:1 instead of scaling every frame itself
            width[0], height[0] = target
        w, h = int(width[0]), int(height[0])
        pitch, rows = _align(w * 4), _align(h)
        pitches[0], lines[0] = pitch, rows
        with self._lock:
            self._buffers = [(ctypes.c_ubyte * (pitch * rows))() for _ in range(_BUFFERS)]
            self.width, self.height, self.pitch = w, h, pitch
            self.formats += 1
            self.visible = None
            self._latest = self._reading = -1
            self._writing.clear()
        return _BUFFERS

    def _on_cleanup(self, _opaque: Any) -> None:
        with self._lock:
            self._latest = -1

    def _on_lock(self, _opaque: Any, planes: Any) -> int:
        with self._lock:
            busy = {self._latest, self._reading}
            free = [i for i in range(_BUFFERS) if i not in busy and i not in self._writing]
            if not free:  # frames locked and then dropped unseen: take one of those back
                free = [i for i in range(_BUFFERS) if i not in busy]
            index = free[0]
            self._writing.add(index)
            planes[0] = ctypes.addressof(self._buffers[index])
        return index + 1  # the picture id; never NULL

    def _on_display(self, _opaque: Any, picture: Any) -> None:
        index = (picture or 1) - 1
        with self._lock:
            self._writing.discard(index)
            self._latest = index
            self.count += 1
            self.last_mono = time.monotonic()
            self.last_wall = time.time()
            tell = self.accepting and not self._pending and self._notify is not None
            if tell:
                self._pending = True
        if tell:
            self._notify()  # type: ignore[misc]

    # --- GUI thread ---------------------------------------------------------------------

    def take(self) -> QImage | None:
        """A copy of the latest frame (None before the first); re-arms the notification."""
        with self._lock:
            self._pending = False
            index = self._latest
            if index < 0:
                return None
            self._reading = index
            buf, w, h, pitch = self._buffers[index], self.width, self.height, self.pitch
            if self.visible is not None:
                w, h = min(w, self.visible[0]), min(h, self.visible[1])
        try:
            return QImage(buf, w, h, pitch, QImage.Format.Format_RGB32).copy()
        finally:
            with self._lock:
                self._reading = -1

    def reset(self) -> None:
        with self._lock:
            self._pending = False
