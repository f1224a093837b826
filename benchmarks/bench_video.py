"""The camera wall's decoding: 16 tiles of 640×360 at 25 fps from the loopback RTSP server,
beside the same 16 streams decoded by bare libVLC without Qt, in the same run.

- **wall**: 16 `StreamPlayer`s (libVLC video callbacks → QImage, taken by the GUI thread's
  frame pump), each painted by a real ~478×268 widget of a 4×4 grid at 1920×1080
  (offscreen), the player told the tile's size (libVLC scales while converting, the tile
  paints 1:1): frames a second per tile (decoded, and painted) and the CPU of this
  process and its relay children (ffmpeg).
- **bare**: a separate process with no Qt at all: python-vlc players fed by the same
  ffmpeg relays, with a minimal video callback that only counts frames (nothing copied):
  the same streams, the same decoding, nothing else — the peer of "CPU ≤ 1.2× bare".
- **switch**: one tile switches camera ≥ 20 times while the other 15 play: play() → the
  first frame on the GUI thread (keyframe every 0.48 s in the clips), p50/p95.

The RTSP server's own CPU is not counted (it stands for the cameras). Print the load
average with the figures: on 2 shared cores a busy neighbour changes them.

Run alone: ``python -m benchmarks.bench_video [--quick]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TILES = 16
GOALS = {"fps": 24.0, "cpu_ratio": 1.2, "switch_s": 1.0}


class _CpuWindow:
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


# --- bare libVLC (a process of its own, no Qt imported) ----------------------------------------

def bare(urls: list[str], warmup_s: float, seconds: float) -> dict[str, object]:
    import ctypes

    from gvcommand.video.engine import VlcEngine
    from gvcommand.video.relay import Relay

    assert "PySide6" not in sys.modules
    engine = VlcEngine(route_log=False)
    counts = [0] * len(urls)
    buf_size = 2560 * 416
    buffers = [(ctypes.c_ubyte * buf_size)() for _ in urls]
    keep: list[object] = []
    players, relays = [], []
    import vlc

    for i, url in enumerate(urls):
        mp = engine.media_player()

        def lock(_o: object, planes: object, i: int = i) -> int:
            planes[0] = ctypes.addressof(buffers[i])  # type: ignore[index]
            return 1

        def display(_o: object, _p: object, i: int = i) -> None:
            counts[i] += 1

        def fmt(_o: object, chroma: Any, w: Any, h: Any, pitches: Any, lines: Any) -> int:
            ctypes.memmove(chroma, b"RV32", 4)
            pitches[0] = (w[0] * 4 + 31) // 32 * 32
            lines[0] = (h[0] + 31) // 32 * 32
            return 1

        from gvcommand.video.engine import DisplayCb, FormatCb, LockCb, UnlockCb

        cbs = (LockCb(lock), UnlockCb(), DisplayCb(display), FormatCb(fmt))  # as the wall
        keep.append(cbs)
        set_cbs = vlc.dll["libvlc_video_set_callbacks"]
        set_cbs.argtypes = [ctypes.c_void_p, LockCb, UnlockCb, DisplayCb, ctypes.c_void_p]
        set_fmt = vlc.dll["libvlc_video_set_format_callbacks"]
        set_fmt.argtypes = [ctypes.c_void_p, FormatCb, ctypes.c_void_p]
        set_cbs(mp._as_parameter_, cbs[0], cbs[1], cbs[2], None)
        set_fmt(mp._as_parameter_, cbs[3], None)
        if engine.rtsp_direct:
            media = engine.instance.media_new(url)
            media.add_option(":network-caching=300")
        else:
            assert engine.ffmpeg is not None
            relay = Relay(engine.ffmpeg, url, url, on_end=lambda _e: None)
            media = engine.instance.media_new_fd(relay.start().fileno())
            media.add_option(":demux=ts")
            media.add_option(":file-caching=150")
            relays.append(relay)
        mp.set_media(media)
        mp.play()
        players.append(mp)
    time.sleep(warmup_s)
    window = _CpuWindow()
    window.start()
    c0 = list(counts)
    t0 = time.perf_counter()
    time.sleep(seconds)
    wall = time.perf_counter() - t0
    fps = [(counts[i] - c0[i]) / wall for i in range(len(urls))]
    total, own, kids = window.stop()
    for relay in relays:
        relay.stop()
    for mp in players:
        mp.stop()
    for relay in relays:
        relay.close()
    return {"fps": fps, "cpu": total, "own": own, "kids": kids}


# --- the wall (Qt) -------------------------------------------------------------------------------

def run(quick: bool = False) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer
    from PySide6.QtGui import QColor, QPainter, QPaintEvent
    from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

    from gvcommand.video.player import StreamPlayer, StreamState
    from gvcommand.video.rtsp_server import RtspServer

    from ._common import line, pct

    warmup_s, seconds, switches = (3.0, 6.0, 20) if quick else (4.0, 15.0, 30)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs one alive
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nvideo: {TILES} tiles of 640×360 at 25 fps from loopback RTSP "
          f"(load average {load:.2f} at start, {os.cpu_count()} cores)", flush=True)

    class Tile(QWidget):
        def __init__(self, player: StreamPlayer) -> None:
            super().__init__()
            self.player, self.painted = player, 0
            self.setMinimumSize(QSize(480, 270))
            self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # the frame covers it
            player.frame_ready.connect(self.update)

        def paintEvent(self, _e: QPaintEvent) -> None:
            p = QPainter(self)
            image = self.player.image()
            if image is None:
                p.fillRect(self.rect(), QColor("black"))
            elif image.width() <= self.width() and image.height() <= self.height():
                # libVLC made it fit (set_display_size): 1:1, centred, bars around
                x, y = (self.width() - image.width()) // 2, (self.height() - image.height()) // 2
                p.drawImage(x, y, image)
                if x or y:
                    p.fillRect(0, 0, self.width(), y, QColor("black"))
                    p.fillRect(0, y + image.height(), self.width(), self.height(),
                               QColor("black"))
                self.painted += 1
            else:
                p.drawImage(self.rect(), image)
                self.painted += 1
            p.end()

    # wait inside Qt's event loop, as the console does (a processEvents polling loop would
    # add its own CPU to the wall's)
    def until(cond: Callable[[], bool], timeout_s: float) -> bool:
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(10)
        def check() -> None:
            if cond():
                loop.quit()

        poll.timeout.connect(check)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        poll.start()
        if not cond():
            loop.exec()
        poll.stop()
        return cond()

    def spin(seconds_: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds_ * 1000), loop.quit)
        loop.exec()

    server = RtspServer(cameras=TILES + 16)
    server.start()
    results: dict[str, float] = {}
    try:
        urls = [server.url(f"cam{k:03d}/sub") for k in range(1, TILES + 1)]
        window = QWidget()
        grid = QGridLayout(window)
        grid.setSpacing(2)
        players = [StreamPlayer() for _ in urls]
        tiles = [Tile(p) for p in players]
        for i, tile in enumerate(tiles):
            grid.addWidget(tile, i // 4, i % 4)
        window.resize(1920, 1080)
        window.show()
        spin(0.2)  # laid out: each tile knows its size
        for p, tile, url in zip(players, tiles, urls, strict=True):
            p.set_display_size(tile.width(), tile.height())
            p.play(url, redacted=url)
        if not until(lambda: all(p.state is StreamState.LIVE for p in players), 30):
            print("  not every tile went live: " + ", ".join(
                f"{p.state.value}" for p in players))
        spin(warmup_s)
        cpu = _CpuWindow()
        assert server.process is not None
        cpu.start(exclude=frozenset({server.process.pid}))  # the cameras are not the wall
        f0 = [p.frames for p in players]
        g0 = [t.painted for t in tiles]
        t0 = time.perf_counter()
        spin(seconds)
        wall = time.perf_counter() - t0
        total, own, kids = cpu.stop()
        fps = [(p.frames - f) / wall for p, f in zip(players, f0, strict=True)]
        painted = [(t.painted - g) / wall for t, g in zip(tiles, g0, strict=True)]

        # switches on tile 0 while the other 15 keep playing
        times = []
        others = [server.url(f"cam{k:03d}/sub") for k in range(TILES + 1, TILES + 9)]
        for n in range(switches):
            target = others[n % len(others)]
            t_play = time.perf_counter()
            players[0].play(target, redacted=target)
            if until(lambda: players[0].state is StreamState.LIVE, 10):
                times.append(time.perf_counter() - t_play)
            spin(0.3)
        for p in players:
            p.close(wait=True)
        window.close()

        # the bare peer, now that the wall is gone (same server, same streams)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_video", "--bare", "--warmup",
             str(warmup_s), "--seconds", str(seconds), *urls],
            capture_output=True, text=True, check=True).stdout
        b = json.loads(out.strip().splitlines()[-1])
    finally:
        server.stop()

    bfps = b["fps"]
    line("wall: decoded frames/s per tile (min / median)",
         f"{min(fps):.1f} / {statistics.median(fps):.1f}", f"≥ {GOALS['fps']:.0f}")
    line("wall: painted frames/s per tile (min / median)",
         f"{min(painted):.1f} / {statistics.median(painted):.1f}")
    line("bare libVLC: frames/s per stream (min / median)",
         f"{min(bfps):.1f} / {statistics.median(bfps):.1f}")
    line("wall: CPU, % of one core (process + relays)",
         f"{total:.0f} % ({own:.0f} + {kids:.0f})")
    line("bare libVLC: CPU, % of one core (process + relays)",
         f"{b['cpu']:.0f} % ({b['own']:.0f} + {b['kids']:.0f})")
    ratio = total / b["cpu"] if b["cpu"] else float("nan")
    line("wall CPU / bare CPU", f"{ratio:.2f}×", f"≤ {GOALS['cpu_ratio']}×")
    if times:
        line(f"camera switch → first frame (n={len(times)}/{switches})",
             f"p50 {pct(times, 50) * 1000:.0f} ms, p95 {pct(times, 95) * 1000:.0f} ms, "
             f"max {max(times) * 1000:.0f} ms", f"p95 ≤ {GOALS['switch_s'] * 1000:.0f} ms")
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    line("load average (1 min) at the end", f"{load_end:.2f}")
    results.update(fps_min=min(fps), fps_median=statistics.median(fps), cpu=total,
                   bare_cpu=float(b["cpu"]), ratio=ratio,
                   switch_p95=pct(times, 95) if times else float("nan"))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_video",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=float, default=4.0, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=15.0, help=argparse.SUPPRESS)
    parser.add_argument("urls", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        print(json.dumps(bare(args.urls, args.warmup, args.seconds)))
        return 0
    run(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
