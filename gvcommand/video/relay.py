"""FFmpeg relay: RTSP in (over TCP), MPEG-TS out on a pipe that libVLC reads.

Debian's libVLC has no RTSP client, so a camera's RTSP stream is copied (no transcoding:
`-c:v copy`, ~1 % CPU) by an ffmpeg process into a pipe and libVLC plays the pipe. The
relay's stderr is read on a thread of its own: it tells the stream's codec and, when the
relay ends, why — classified into the few reasons an officer can act on. Only the
redacted URL is ever logged; the real one is only in ffmpeg's argument list.
"""

from __future__ import annotations

import logging
import re
import subprocess
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from .engine import redact

log = logging.getLogger(__name__)

# codecs the MPEG-TS muxer carries and libVLC's TS demuxer recognises; any other (MJPEG…)
# is relayed in NUT, which carries anything FFmpeg reads and libVLC opens from a pipe
# (Matroska does not: libVLC wants its cues, "cannot find any cluster")
TS_CODECS = frozenset({"h264", "hevc", "mpeg2video", "mpeg4", "mpeg1video"})


def container_for(codec: str | None) -> str:
    return "mpegts" if codec is None or codec in TS_CODECS else "nut"


class Failure(StrEnum):
    """Why a stream is not playing, in the words a tile shows."""

    AUTHENTICATION = "authentication failed"
    UNREACHABLE = "camera unreachable"
    NOT_FOUND = "stream not found on the camera"
    UNSUPPORTED_CODEC = "unsupported codec"
    MALFORMED_URL = "malformed URL"
    RELAY_DIED = "relay stopped"
    NO_PICTURE = "no picture"
    STREAM_ENDED = "stream ended"
    UNAVAILABLE = "video engine unavailable"

    @property
    def retry(self) -> bool:
        """False where trying again cannot help until someone changes something."""
        return self not in {Failure.MALFORMED_URL, Failure.UNAVAILABLE}


_PATTERNS: tuple[tuple[re.Pattern[str], Failure], ...] = (
    # status words, never bare numbers: a URL quoted in the line may hold "401" (a port,
    # Hikvision's channel 4 main stream /Streaming/Channels/401)
    (re.compile(r"Unauthorized|authori[sz]ation failed|403 Forbidden", re.I),
     Failure.AUTHENTICATION),
    (re.compile(r"Not Found", re.I), Failure.NOT_FOUND),
    (re.compile(r"Connection refused|timed out|No route to host|Network is unreachable|"
                r"Name or service not known|Temporary failure in name resolution|"
                r"Connection reset|Host is down|Cannot assign requested address", re.I),
     Failure.UNREACHABLE),
    (re.compile(r"Could not write header|Unsupported codec|codec not currently supported|"
                r"Could not find codec parameters|matches no streams", re.I),
     Failure.UNSUPPORTED_CODEC),
)
# lines worth quoting as the reason a relay ended (not its notes, e.g. "not enough frames
# to estimate rate; consider increasing probesize")
_ERRORISH = re.compile(r"error|fail|refused|timed out|reset|unreachable|not found|invalid|"
                       r"unauthori|forbidden|could not|cannot|unable|no route|end of file",
                       re.I)
_UNPROBED = re.compile(r"Could not find codec parameters|unspecified size|"
                       r"dimensions not set", re.I)
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+)")
_DIMS = re.compile(r", (\d{2,5})x(\d{2,5})(?:[ ,]|$)")
_DAR = re.compile(r"DAR (\d+):(\d+)")


def display_size(line: str) -> tuple[int, int] | None:
    """The picture's size on screen from ffmpeg's stream line (non-square pixels widened
    by the display aspect ratio), or None."""
    dims = _DIMS.search(line)
    if dims is None:
        return None
    w, h = int(dims[1]), int(dims[2])
    dar = _DAR.search(line)
    if dar is not None and int(dar[2]) > 0:
        w = round(h * int(dar[1]) / int(dar[2]))
    return w, h


def classify(lines: list[str]) -> Failure | None:
    """The first recognised reason in ffmpeg's stderr lines (most specific first)."""
    for pattern, failure in _PATTERNS:
        if any(pattern.search(line) for line in lines):
            return failure
    return None


@dataclass
class RelayEnd:
    returncode: int
    failure: Failure
    detail: str  # a plain-words reason with ffmpeg's last meaningful line, redacted
    needs_probe: bool = False  # ffmpeg lacked the stream's parameters: probe next time


def relay_command(ffmpeg: str, url: str, *, transport: str = "tcp",
                  timeout_s: float = 5.0, probe: bool = False,
                  container: str = "mpegts") -> list[str]:
    """ffmpeg's arguments. Without probe it reads no stream data before relaying: the
    codec, size and parameter sets come from the camera's SDP (sprop-parameter-sets), which
    saves half a second on every camera switch; a camera whose SDP lacks them is retried
    with probing (`Relay.needs_probe`)."""
    probing = ["-analyzeduration", "1000000", "-probesize", "500000"] if probe \
        else ["-analyzeduration", "0", "-probesize", "32"]
    return [ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info",
            "-rtsp_transport", transport, "-timeout", str(int(timeout_s * 1_000_000)),
            "-fflags", "nobuffer", *probing,
            "-i", url, "-map", "0:v:0", "-an", "-sn", "-dn", "-c:v", "copy",
            "-f", container, "-muxdelay", "0", "-muxpreload", "0", "-flush_packets", "1",
            "pipe:1"]


class Relay:
    """One ffmpeg relay process. `start()` and `stop()` may block briefly: call them
    off the GUI thread. `on_end` is called once, on the stderr thread, when ffmpeg exits
    by itself (not after `stop()`)."""

    def __init__(self, ffmpeg: str, url: str, redacted: str,
                 on_end: Callable[[RelayEnd], None],
                 on_codec: Callable[[str], None] | None = None, *, probe: bool = False,
                 container: str = "mpegts") -> None:
        self.container = container
        self.command = relay_command(ffmpeg, url, probe=probe, container=container)
        self.redacted = redacted
        self.on_end, self.on_codec = on_end, on_codec
        self.process: subprocess.Popen[bytes] | None = None
        self.codec: str | None = None
        self.size: tuple[int, int] | None = None  # on screen, from ffmpeg's stream line
        self.lines: deque[str] = deque(maxlen=40)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def logged_command(self) -> str:
        return redact(" ".join(self.command))

    def start(self) -> IO[bytes]:
        """Starts ffmpeg; returns the pipe its MPEG-TS comes out of."""
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        bufsize=0)
        self._thread = threading.Thread(target=self._read_stderr, daemon=True,
                                        name=f"relay-{self.process.pid}")
        self._thread.start()
        assert self.process.stdout is not None
        return self.process.stdout

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _read_stderr(self) -> None:
        proc = self.process
        assert proc is not None and proc.stderr is not None
        for raw in proc.stderr:
            line = redact(raw.decode(errors="replace").rstrip())
            if not line:
                continue
            self.lines.append(line)
            if self.codec is None and (m := _VIDEO.search(line)) and "Input" not in line:
                self.codec = m.group(1)
                self.size = display_size(line)
                if self.on_codec is not None:
                    self.on_codec(self.codec)
        code = proc.wait()
        if self._stopping.is_set():
            return
        self.on_end(self.end_reason(code))

    def end_reason(self, code: int) -> RelayEnd:
        lines = list(self.lines)
        failure = classify(lines)
        # ffmpeg's banner (inputs, outputs, indented metadata) says nothing about an end
        interesting = [ln for ln in lines if not ln[:1].isspace() and not ln.startswith(
            ("Input #", "Output #", "Stream mapping", "Press [q]", "frame=", "video:"))
            and _ERRORISH.search(ln)]
        last = interesting[-1].strip() if interesting else ""
        if (failure is None and self.codec is None
                and any("Invalid data found when processing input" in ln for ln in lines)):
            # what ffmpeg says when a host took the connection but never answered in RTSP
            # within -timeout (measured: a silent listener), or answered garbage
            failure = Failure.UNREACHABLE
        if failure is None and code < 0:  # killed by a signal: not by us (stop() is quiet)
            failure = Failure.RELAY_DIED
        if failure is None:
            if self.codec is not None and container_for(self.codec) != self.container:
                failure = Failure.UNSUPPORTED_CODEC
            elif self.codec is not None:
                failure = Failure.STREAM_ENDED
            else:
                failure = Failure.RELAY_DIED
        detail = f"{failure.value}"
        if failure is Failure.UNSUPPORTED_CODEC:
            detail += f" ({self.codec})" if self.codec else " (no video stream FFmpeg can read)"
        if code < 0:
            detail += f"; ffmpeg was killed (signal {-code})"
        elif failure is Failure.RELAY_DIED or code != 0:
            detail += f"; ffmpeg exited with code {code}"
        if last:
            detail += f": {last[-160:]}"
        needs_probe = any(_UNPROBED.search(ln) for ln in lines)
        return RelayEnd(code, failure, detail, needs_probe)

    def stop(self, timeout_s: float = 2.0) -> None:
        """Ends ffmpeg (SIGTERM, then SIGKILL) and waits for it: no orphan relay. The
        pipe stays open (libVLC sees its end of file): `close()` it after the player stops."""
        self._stopping.set()
        proc = self.process
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout_s)
        if self._thread is not None:
            self._thread.join(timeout_s)
        if proc.stderr is not None:
            proc.stderr.close()

    def close(self) -> None:
        """Closes the pipe libVLC read from: only once the player using it has stopped
        (a closed descriptor number may be reused at once by another open)."""
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
