"""The one libVLC instance of a process, what it can open by itself, and its log.

`VlcEngine.shared()` makes the `vlc.Instance` once (no audio, no window, no title);
`rtsp_direct` says whether this libVLC has an RTSP client (the live555 module: Windows
and macOS builds do, Debian's does not) — where it has not, players relay RTSP through
FFmpeg. libVLC's own messages go into Python logging (warnings at DEBUG, errors at
INFO, each distinct message at most once a minute) with credentials in URLs redacted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

from .urls import redact  # the one redaction of camera addresses, re-exported here

log = logging.getLogger(__name__)
vlc_log = logging.getLogger("gvcommand.video.libvlc")

try:
    import vlc
except (ImportError, OSError) as _exc:  # python-vlc missing, or libvlc.so not found
    vlc = None
    _IMPORT_ERROR: str = str(_exc)
else:
    _IMPORT_ERROR = ""



class VideoUnavailable(RuntimeError):
    """libVLC (or python-vlc) cannot be loaded here; the message says what to install."""


def ffmpeg_path() -> str | None:
    return shutil.which(os.environ.get("GVCOMMAND_FFMPEG", "ffmpeg"))


def _plugin_dirs() -> list[Path]:
    dirs: list[Path] = []
    for candidate in (os.environ.get("VLC_PLUGIN_PATH"), getattr(vlc, "plugin_path", None)):
        if candidate:
            dirs.append(Path(candidate))
    libname = getattr(getattr(vlc, "dll", None), "_name", None)
    paths = [libname] if libname and os.path.isabs(libname) else []
    if sys.platform.startswith("linux"):
        try:  # where the dynamic loader found libvlc.so
            with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
                paths += [line.split()[-1] for line in maps if "libvlc.so" in line]
        except OSError:
            pass
    for lib in paths:
        dirs += [Path(lib).parent / "vlc" / "plugins", Path(lib).parent / "plugins"]
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


def detect_rtsp_direct() -> bool:
    """True when libVLC has its RTSP client (the live555 demux module).

    GVCOMMAND_VIDEO_RELAY=always|never overrides (always: relay even where libVLC could)."""
    forced = os.environ.get("GVCOMMAND_VIDEO_RELAY", "auto").lower()
    if forced in {"always", "never"}:
        return forced == "never"
    for d in _plugin_dirs():
        if any(d.glob("*/liblive555_plugin.*")) or any(d.glob("liblive555_plugin.*")):
            return True
    return False


# libVLC's log callback hands over a printf format and a va_list: the C library formats it.
_vsnprintf: Any = None
try:
    _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6") \
        if sys.platform != "win32" else ctypes.cdll.msvcrt
    _vsnprintf = _libc.vsnprintf if sys.platform != "win32" else _libc._vsnprintf
    _vsnprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p]
    _vsnprintf.restype = ctypes.c_int
except (OSError, AttributeError):
    _vsnprintf = None

_get_context: Any = None
if vlc is not None:
    _get_context = vlc.dll["libvlc_log_get_context"]  # a fresh function object: own argtypes
    _get_context.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                             ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_uint)]
    _get_context.restype = None


def _log_module(ctx: Any) -> str:
    module, file = ctypes.c_char_p(), ctypes.c_char_p()
    line = ctypes.c_uint()
    try:
        _get_context(ctypes.cast(ctx, ctypes.c_void_p), ctypes.byref(module),
                     ctypes.byref(file), ctypes.byref(line))
    except (ctypes.ArgumentError, TypeError):
        return "?"
    return module.value.decode(errors="replace") if module.value else "?"


# Video callback prototypes. python-vlc declares the format callback's chroma argument as
# c_char_p (a copy: unwritable); this one passes the real pointer, and the callbacks are
# set through function objects with matching argument types (see _frames.FrameSink).
FormatCb = ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p),
                            ctypes.POINTER(ctypes.c_char), ctypes.POINTER(ctypes.c_uint),
                            ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_uint),
                            ctypes.POINTER(ctypes.c_uint))
CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
LockCb = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p))
UnlockCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p,
                            ctypes.POINTER(ctypes.c_void_p))
DisplayCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)

# libVLC: 3 warning, 4 error. Its errors are INFO here: every stream start logs a few
# (it tries the GPU decoders' picture formats before the one the callbacks take), and what
# an officer must know reaches the log as the player's own state changes.
_LOG_LEVELS = {3: logging.DEBUG, 4: logging.INFO}


class VlcEngine:
    """A shared `vlc.Instance` with the options the wall needs."""

    ARGS: ClassVar[tuple[str, ...]] = (
        "--no-audio", "--aout=adummy", "--no-xlib", "--no-video-title-show", "--no-osd", "--no-spu",
        "--no-stats", "--no-snapshot-preview", "--no-sub-autodetect-file", "--avcodec-hw=none",
        "--no-lua", "--ignore-config", "--no-media-library",
    )
    _shared: ClassVar[VlcEngine | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, extra_args: tuple[str, ...] = (), *, route_log: bool = True) -> None:
        if vlc is None:
            raise VideoUnavailable(f"libVLC is not available ({_IMPORT_ERROR}); install "
                                   "libvlc5 and vlc-plugin-base (scripts/setup.sh does)")
        self.args = (*self.ARGS, *extra_args)
        instance = vlc.Instance(list(self.args))
        if instance is None:
            raise VideoUnavailable("libVLC could not start (vlc.Instance failed); is "
                                   "vlc-plugin-base installed?")
        self.instance: Any = instance
        self.version = vlc.libvlc_get_version().decode(errors="replace")
        self.rtsp_direct = detect_rtsp_direct()
        self.ffmpeg = ffmpeg_path()
        self._seen: dict[bytes, float] = {}
        self._log_cb: Any = None
        if route_log:
            self._route_log()
        log.info("libVLC %s ready (RTSP %s)", self.version,
                 "played directly" if self.rtsp_direct else
                 f"relayed through FFmpeg ({self.ffmpeg or 'NOT FOUND'})")

    @classmethod
    def shared(cls) -> VlcEngine:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def media_player(self) -> Any:
        return self.instance.media_player_new()

    def _route_log(self) -> None:
        # Runs on libVLC threads: format, filter, hand to logging; never calls libVLC back
        # beyond reading the message's module name.
        def on_log(_data: Any, level: int, ctx: Any, fmt: bytes, args: int) -> None:
            py_level = _LOG_LEVELS.get(level)
            if py_level is None or not vlc_log.isEnabledFor(py_level):
                return
            now = time.monotonic()
            if now - self._seen.get(fmt, -1e9) < 60.0:
                return
            self._seen[fmt] = now
            if _vsnprintf is not None:
                buf = ctypes.create_string_buffer(1024)
                _vsnprintf(buf, len(buf), fmt, args)
                text = buf.value.decode(errors="replace")
            else:
                text = fmt.decode(errors="replace")
            module = _log_module(ctx)
            vlc_log.log(py_level, "libVLC %s: %s", module, redact(text))

        self._log_cb = vlc.CallbackDecorators.LogCb(on_log)  # keep: libVLC holds a raw pointer
        self.instance.log_set(self._log_cb, None)
