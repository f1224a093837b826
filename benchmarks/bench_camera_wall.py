"""The camera wall as the officer gets it: the real ``CameraWall`` (4×4, 16 cameras of
640×360 at 25 fps from the loopback RTSP server) with its tiles' overlays (name, ward,
clock, state badge), beside the same 16 streams decoded by bare libVLC without Qt (the peer
of bench_video, run in its own process after the wall is gone), in the same run.

Also: double-click focus → the main stream's first frame, and back → the sub-stream's
first frame (p50/p95), the switches an officer makes most.

Run alone: ``python -m benchmarks.bench_camera_wall [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TILES = 16
GOALS = {"fps": 24.0, "cpu_ratio": 1.2, "switch_s": 1.0}


def run(quick: bool = False) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gvcommand.core.model import Camera
    from gvcommand.ui.camera_wall import CameraWall, live_address, make_player
    from gvcommand.video.player import StreamPlayer, StreamState
    from gvcommand.video.rtsp_server import RtspServer

    from ._common import line, pct
    from .bench_video import _CpuWindow

    warmup_s, seconds, focuses = (3.0, 6.0, 6) if quick else (4.0, 15.0, 12)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs one alive
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\ncamera wall: the real wall, 4×4 of 640×360 at 25 fps from loopback RTSP "
          f"(load average {load:.2f} at start, {os.cpu_count()} cores)", flush=True)

    def until(cond: Callable[[], bool], timeout_s: float) -> bool:
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(10)
        poll.timeout.connect(lambda: loop.quit() if cond() else None)
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

    server = RtspServer(cameras=TILES)
    server.start()
    try:
        cams = {f"cam{k:03d}": Camera(f"cam{k:03d}", f"Camera {k}", 106.665, 10.838,
                                      ward="P01", main_url=server.url(f"cam{k:03d}"),
                                      sub_url=server.url(f"cam{k:03d}/sub"))
                for k in range(1, TILES + 1)}
        wall = CameraWall(lambda: cams, lambda: {"P01": "Phường 1"}, make_player,
                          live_address())
        wall.resize(1920, 1080)
        wall.show()
        wall.set_layout("4x4")
        for i, code in enumerate(cams):
            wall.assign(i, code)
        players = [p for p in (wall.player_at(i) for i in range(TILES))
                   if isinstance(p, StreamPlayer)]
        if not until(lambda: all(p.state is StreamState.LIVE for p in players), 30):
            print("  not every tile went live: "
                  + ", ".join(p.state.value for p in players))
        spin(warmup_s)
        cpu = _CpuWindow()
        assert server.process is not None
        cpu.start(exclude=frozenset({server.process.pid}))
        f0 = [p.frames for p in players]
        g0 = [t.painted for t in wall.tiles]
        t0 = time.perf_counter()
        spin(seconds)
        span = time.perf_counter() - t0
        total, own, kids = cpu.stop()
        fps = [(p.frames - f) / span for p, f in zip(players, f0, strict=True)]
        painted = [(t.painted - g) / span for t, g in zip(wall.tiles, g0, strict=True)]

        # focus on a tile (its main stream, the others paused) and back (sub-streams)
        to_main, to_sub = [], []
        for n in range(focuses):
            slot = n % TILES
            p = players[slot]
            t = time.perf_counter()
            wall.focus(slot)
            # the main stream (1280 wide, scaled to the large tile: wider than any sub)
            if until(lambda p=p: p.state is StreamState.LIVE and p.size is not None
                     and p.size[0] > 640, 10):
                to_main.append(time.perf_counter() - t)
            t = time.perf_counter()
            wall.unfocus()
            # the sub-stream (640 wide at most, scaled to the tile by libVLC)
            if until(lambda p=p: p.state is StreamState.LIVE and p.size is not None
                     and p.size[0] <= 640, 10):
                to_sub.append(time.perf_counter() - t)
            until(lambda: all(q.state is StreamState.LIVE for q in players), 10)
        wall.shutdown()
        for p in players:
            p.close(wait=True)
        wall.close()
        urls = [server.url(f"cam{k:03d}/sub") for k in range(1, TILES + 1)]
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_video", "--bare", "--warmup",
             str(warmup_s), "--seconds", str(seconds), *urls],
            capture_output=True, text=True, check=True).stdout
        bare = json.loads(out.strip().splitlines()[-1])
    finally:
        server.stop()

    line("wall: decoded frames/s per tile (min / median)",
         f"{min(fps):.1f} / {statistics.median(fps):.1f}", f"≥ {GOALS['fps']:.0f}")
    line("wall: painted frames/s per tile, with overlays (min / median)",
         f"{min(painted):.1f} / {statistics.median(painted):.1f}")
    line("bare libVLC: frames/s per stream (min / median)",
         f"{min(bare['fps']):.1f} / {statistics.median(bare['fps']):.1f}")
    line("wall: CPU, % of one core (process + relays)", f"{total:.0f} % ({own:.0f} + {kids:.0f})")
    line("bare libVLC: CPU, % of one core (process + relays)",
         f"{bare['cpu']:.0f} % ({bare['own']:.0f} + {bare['kids']:.0f})")
    ratio = total / bare["cpu"] if bare["cpu"] else float("nan")
    line("wall CPU / bare CPU", f"{ratio:.2f}×", f"≤ {GOALS['cpu_ratio']}×")
    for name, times in (("focus → main stream's first frame", to_main),
                        ("back to the grid → sub-stream's first frame", to_sub)):
        if times:
            line(f"{name} (n={len(times)}/{focuses})",
                 f"p50 {pct(times, 50) * 1000:.0f} ms, p95 {pct(times, 95) * 1000:.0f} ms",
                 f"p95 ≤ {GOALS['switch_s'] * 1000:.0f} ms")
    load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    line("load average (1 min) at the end", f"{load_end:.2f}")
    return {"fps_min": min(fps), "painted_median": statistics.median(painted), "cpu": total,
            "bare_cpu": float(bare["cpu"]), "ratio": ratio,
            "focus_p95": pct(to_main, 95) if to_main else float("nan")}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_camera_wall",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    run(parser.parse_args().quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
