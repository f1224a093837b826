"""What the video benchmarks share: CPU of a process and its relays over a window, the count
of a tile's paints that show a new frame, measuring in several windows, the bare libVLC
peer (a process of its own, no Qt), and reporting the figures.

Every figure is the median of several windows (each window's figure printed beside it,
with the load average): one window on a shared 2-core machine can catch a neighbour's burst.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._common import at_least, at_most, load_average, report

GOALS = {"fps": 24.0, "cpu_ratio": 1.2, "switch_s": 1.0}


class CpuWindow:
    """CPU of this process and its children between start() and stop(), in % of one core.
    Children are sampled at both ends (relays live through the whole window)."""

    def start(self, exclude: frozenset[int] = frozenset()) -> None:
        import psutil

        self.proc = psutil.Process()
        self.kids = {c.pid: c for c in self.proc.children(recursive=True)
                     if c.pid not in exclude}
        self.t0 = time.perf_counter()
        self.c0 = {pid: self._cpu(c) for pid, c in self.kids.items()}
        self.self0 = self._cpu(self.proc)

    @staticmethod
    def _cpu(p: object) -> float:
        t = p.cpu_times()  # type: ignore[attr-defined]
        return float(t.user + t.system)

    def stop(self) -> tuple[float, float, float]:
        """(total %, own %, children %) of one core."""
        wall = time.perf_counter() - self.t0
        own = self._cpu(self.proc) - self.self0
        kids = 0.0
        for pid, c in self.kids.items():
            with contextlib.suppress(Exception):  # a child that ended in between: not counted
                kids += self._cpu(c) - self.c0[pid]
        return 100 * (own + kids) / wall, 100 * own / wall, 100 * kids / wall


@dataclass
class Window:
    """One measuring window: per tile (or stream) frames a second, and the CPU."""

    seconds: float
    painted: list[float]  # frames a second each tile painted that it had not shown before
    decoded: list[float]  # frames a second libVLC handed over (the wall) or converted (bare)
    cpu: float  # % of one core: the process and its relays
    own: float
    kids: float
    restarts: int  # attempts started during the window (none was asked for)
    load: float = field(default_factory=load_average)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def new_frame_counter(tiles: Sequence[Any], shown: Callable[[Any], Any]) -> Any:
    """An event filter on ``tiles`` that counts, per tile (``.counts``), the paints that show
    a frame the tile had not painted before (``shown(tile)``: the QImage it is about to
    paint, or None): repaints of the same frame (a clock's second, an overlay) are not
    frames. Keep the returned object as long as it is to count."""
    from PySide6.QtCore import QEvent, QObject

    class NewFrames(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.counts = [0] * len(tiles)
            self._last = [0] * len(tiles)
            self._index = {id(t): k for k, t in enumerate(tiles)}
            for tile in tiles:
                tile.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                k = self._index.get(id(watched))
                image = shown(watched) if k is not None else None
                if image is not None and not image.isNull() \
                        and image.cacheKey() != self._last[k]:  # type: ignore[index]
                    self._last[k] = image.cacheKey()  # type: ignore[index]
                    self.counts[k] += 1  # type: ignore[index]
            return False

    return NewFrames()


def measure(windows: int, seconds: float, spin: Callable[[float], None], players: Sequence[Any],
            painted: Sequence[int], exclude: frozenset[int]) -> list[Window]:
    """``windows`` back-to-back windows of ``seconds`` in Qt's event loop (``spin``)."""
    out = []
    for _ in range(windows):
        cpu = CpuWindow()
        cpu.start(exclude=exclude)
        f0 = [p.frames for p in players]
        g0 = list(painted)
        a0 = [p.attempts for p in players]
        t0 = time.perf_counter()
        spin(seconds)
        span = time.perf_counter() - t0
        total, own, kids = cpu.stop()
        out.append(Window(
            span, [(g - h) / span for g, h in zip(painted, g0, strict=True)],
            [(p.frames - f) / span for p, f in zip(players, f0, strict=True)],
            total, own, kids, sum(p.attempts - a for p, a in zip(players, a0, strict=True))))
    return out


def run_bare(urls: list[str], size: tuple[int, int] | None, warmup_s: float, windows: int,
             seconds: float) -> list[Window]:
    """The bare libVLC peer in a process of its own (see ``bare``)."""
    args = [sys.executable, "-m", "benchmarks.bench_video", "--bare", "--warmup", str(warmup_s),
            "--windows", str(windows), "--seconds", str(seconds)]
    if size is not None:
        args += ["--size", f"{size[0]}x{size[1]}"]
    here = Path(__file__).resolve().parents[1]  # where ``benchmarks`` is importable
    out = subprocess.run([*args, *urls], capture_output=True, text=True, check=True,
                         cwd=here).stdout
    return [Window(**w) for w in json.loads(out.strip().splitlines()[-1])]


def bare(urls: list[str], size: tuple[int, int] | None, warmup_s: float, windows: int,
         seconds: float) -> list[dict[str, Any]]:
    """The peer: python-vlc players fed by the same ffmpeg relays, converting to RV32 at
    ``size`` (the wall's tile: libVLC scales while it converts, as it does for the wall),
    with a display callback that only counts frames. No Qt at all. A relay that ends is
    not restarted: it is counted (as a restart the wall would have made)."""
    import ctypes

    import vlc

    from gvcommand.video.engine import DisplayCb, FormatCb, LockCb, UnlockCb, VlcEngine
    from gvcommand.video.relay import Relay

    assert "PySide6" not in sys.modules
    engine = VlcEngine(route_log=False)
    counts = [0] * len(urls)
    buf_size = 2560 * 1472 * 4
    buffers = [(ctypes.c_ubyte * buf_size)() for _ in urls]
    keep: list[object] = []
    players, relays = [], []
    ended: list[int] = []  # relays that ended (the wall would have restarted them)
    set_cbs = vlc.dll["libvlc_video_set_callbacks"]
    set_cbs.argtypes = [ctypes.c_void_p, LockCb, UnlockCb, DisplayCb, ctypes.c_void_p]
    set_fmt = vlc.dll["libvlc_video_set_format_callbacks"]
    set_fmt.argtypes = [ctypes.c_void_p, FormatCb, ctypes.c_void_p]
    for i, url in enumerate(urls):
        mp = engine.media_player()

        def lock(_o: object, planes: Any, i: int = i) -> int:
            planes[0] = ctypes.addressof(buffers[i])
            return 1

        def display(_o: object, _p: object, i: int = i) -> None:
            counts[i] += 1

        def fmt(_o: object, chroma: Any, w: Any, h: Any, pitches: Any, lines: Any) -> int:
            ctypes.memmove(chroma, b"RV32", 4)
            if size is not None and (w[0] > size[0] or h[0] > size[1]):
                w[0], h[0] = size  # scaled while converted, as for the wall's tiles
            pitches[0] = (w[0] * 4 + 31) // 32 * 32
            lines[0] = (h[0] + 31) // 32 * 32
            return 1

        cbs = (LockCb(lock), UnlockCb(), DisplayCb(display), FormatCb(fmt))  # as the wall
        keep.append(cbs)
        set_cbs(mp._as_parameter_, cbs[0], cbs[1], cbs[2], None)
        set_fmt(mp._as_parameter_, cbs[3], None)
        if engine.rtsp_direct:
            media = engine.instance.media_new(url)
            media.add_option(":network-caching=300")
        else:
            assert engine.ffmpeg is not None
            relay = Relay(engine.ffmpeg, url, url, on_end=lambda _e: ended.append(1))
            media = engine.instance.media_new_fd(relay.start().fileno())
            media.add_option(":demux=ts")
            media.add_option(":file-caching=150")
            relays.append(relay)
        mp.set_media(media)
        mp.play()
        players.append(mp)
    time.sleep(warmup_s)
    out = []
    for _ in range(windows):
        cpu = CpuWindow()
        cpu.start()
        c0 = list(counts)
        ended0 = len(ended)
        t0 = time.perf_counter()
        time.sleep(seconds)
        span = time.perf_counter() - t0
        fps = [(counts[i] - c0[i]) / span for i in range(len(urls))]
        total, own, kids = cpu.stop()
        out.append({"seconds": span, "painted": fps, "decoded": fps, "cpu": total, "own": own,
                    "kids": kids, "restarts": len(ended) - ended0, "load": load_average()})
    for relay in relays:
        relay.stop()
    for mp in players:
        mp.stop()
    for relay in relays:
        relay.close()
    return out


def print_windows(name: str, windows: list[Window]) -> None:
    for k, w in enumerate(windows, 1):
        print(f"    {name} window {k}: {w.seconds:.1f} s, frames/s per tile min "
              f"{min(w.painted):.1f} / median {median(w.painted):.1f} (decoded min "
              f"{min(w.decoded):.1f}), CPU {w.cpu:.0f} % ({w.own:.0f} + {w.kids:.0f}), "
              f"restarts {w.restarts}, load {w.load:.2f}", flush=True)


def report_windows(wall: list[Window], peer: list[Window], tiles: int, live: int) -> None:
    """The figures both video benchmarks report: tiles live, painted frames per tile (the
    slowest tile, median of the windows), decoded, the peer's, restarts, CPU and ratio."""
    report("tiles live before measuring", live, "tiles", at_least(tiles, f"all {tiles}"),
           text=f"{live} of {tiles}")
    slowest = [min(w.painted) for w in wall]
    report("wall: painted new frames/s, slowest tile (median of windows)", median(slowest),
           "fps", at_least(GOALS["fps"], f"≥ {GOALS['fps']:.0f}"),
           text=f"{median(slowest):.1f} (windows {min(slowest):.1f}–{max(slowest):.1f}; "
           f"median tile {median([median(w.painted) for w in wall]):.1f})")
    decoded = [min(w.decoded) for w in wall]
    report("wall: decoded frames/s, slowest tile (median of windows)", median(decoded), "fps",
           text=f"{median(decoded):.1f} (windows {min(decoded):.1f}–{max(decoded):.1f})")
    bare_fps = [min(w.decoded) for w in peer]
    report("bare libVLC: converted frames/s, slowest stream (median of windows)",
           median(bare_fps), "fps",
           text=f"{median(bare_fps):.1f} (windows {min(bare_fps):.1f}–{max(bare_fps):.1f})")
    restarts = sum(w.restarts for w in wall)
    report("wall: relay restarts while measuring", restarts, "", at_most(0, "0"),
           text=str(restarts))
    gone = sum(w.restarts for w in peer)
    report("bare libVLC: relays that ended while measuring", gone, "", at_most(0, "0"),
           text=str(gone))
    cpu, bare_cpu = median([w.cpu for w in wall]), median([w.cpu for w in peer])
    report("wall: CPU, % of one core (process + relays, median of windows)", cpu, "%",
           text=f"{cpu:.0f} % ({median([w.own for w in wall]):.0f} + "
           f"{median([w.kids for w in wall]):.0f})")
    report("bare libVLC: CPU, % of one core (process + relays, median of windows)", bare_cpu,
           "%", text=f"{bare_cpu:.0f} % ({median([w.own for w in peer]):.0f} + "
           f"{median([w.kids for w in peer]):.0f})")
    ratio = cpu / bare_cpu if bare_cpu else float("nan")
    report("wall CPU / bare CPU", ratio, "×", at_most(GOALS["cpu_ratio"],
                                                     f"≤ {GOALS['cpu_ratio']}×"),
           text=f"{ratio:.2f}×")


def wall_size(players: Sequence[Any]) -> tuple[int, int] | None:
    """The picture size the wall's players convert to (libVLC scaling to the tile)."""
    sizes = [p.size for p in players if p.size is not None]
    return max(sizes) if sizes else None


def exclude_server(server: Any) -> frozenset[int]:
    """The RTSP server stands for the cameras: its CPU is not the wall's."""
    return frozenset({server.process.pid}) if server.process is not None else frozenset()


def load_line() -> str:
    return f"load average {load_average():.2f}, {os.cpu_count()} cores"
