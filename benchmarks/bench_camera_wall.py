"""The camera wall as the officer gets it: the real ``CameraWall`` (4×4, 16 cameras of
640×360 at 25 fps from the loopback RTSP server) with its tiles' overlays (name, ward,
clock, state badge), beside the same 16 streams decoded by bare libVLC without Qt,
converting at the same size as the wall's tiles (the peer of bench_video, run in its own
process after the wall is gone), in the same run.

Judged: the frames each tile *painted* (a paint showing a frame the tile had not shown
before: the clock's repaint of the same frame is not one), the median of several windows
(each printed with its load average); a tile that never went live, a relay restarted while
measuring, or a stream that stalled at any time fails the run.

Also: double-click focus → the main stream's first frame, and back → the sub-stream's
first frame (p50/p95), the switches an officer makes most.

Run alone: ``python -m benchmarks.bench_camera_wall [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TILES = 16


def run(quick: bool = False) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gvcommand.core.model import Camera
    from gvcommand.ui.camera_wall.players import live_address, make_player
    from gvcommand.ui.camera_wall.wall import CameraWall
    from gvcommand.video.player import StreamPlayer, StreamState
    from gvcommand.video.rtsp_server import RtspServer

    from ._common import at_most, pct, report
    from ._video import (
        GOALS,
        exclude_server,
        load_line,
        measure,
        median,
        new_frame_counter,
        print_windows,
        report_windows,
        run_bare,
        wall_size,
    )

    warmup_s, windows, seconds, focuses = (3.0, 3, 2.0, 6) if quick else (4.0, 5, 3.0, 12)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs one alive
    print(f"\ncamera wall: the real wall, 4×4 of 640×360 at 25 fps from loopback RTSP "
          f"({load_line()} at start)", flush=True)

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
        new_frames = new_frame_counter(
            wall.tiles[:TILES], lambda tile: tile.image if tile.camera is not None else None)
        for i, code in enumerate(cams):
            wall.assign(i, code)
        players = [p for p in (wall.player_at(i) for i in range(TILES))
                   if isinstance(p, StreamPlayer)]
        stalls: list[str] = []  # a stream that stalled or had to reconnect, at any time
        for p in players:
            p.state_changed.connect(
                lambda state, detail, p=p: stalls.append(f"{p.redacted}: {detail}")
                if state in (StreamState.STALLED, StreamState.RECONNECTING,
                             StreamState.FAILED) else None)
        until(lambda: all(p.state is StreamState.LIVE for p in players), 30)
        live = sum(p.state is StreamState.LIVE for p in players)
        if live < TILES:
            print("  not every tile went live: " + ", ".join(p.state.value for p in players))
        spin(warmup_s)
        measured = measure(windows, seconds, spin, players, new_frames.counts,
                           exclude_server(server))
        size = wall_size(players)

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
        bare = run_bare(urls, size, warmup_s, windows, seconds)
    finally:
        server.stop()

    print_windows("wall", measured)
    print_windows("bare", bare)
    report_windows(measured, bare, TILES, live)
    report("streams that stalled or reconnected (whole run)", len(stalls), "", at_most(0, "0"),
           text=f"{len(stalls)}" + (f": {stalls[0]}" if stalls else ""))
    figures: dict[str, float] = {}
    for key, name, times in (("focus_p95", "focus → main stream's first frame", to_main),
                             ("back_p95", "back to the grid → sub-stream's first frame",
                              to_sub)):
        p95 = pct(times, 95) * 1000 if times else float("nan")
        figures[key] = p95 / 1000
        report(f"{name} (n={len(times)}/{focuses}), p95", p95, "ms",
               at_most(GOALS["switch_s"] * 1000, f"p95 ≤ {GOALS['switch_s'] * 1000:.0f} ms"),
               text=f"p50 {pct(times, 50) * 1000:.0f} ms, p95 {p95:.0f} ms" if times
               else "never")
    return {"painted_min": median([min(w.painted) for w in measured]),
            "cpu": median([w.cpu for w in measured]), "bare_cpu": median([w.cpu for w in bare]),
            **figures}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_camera_wall",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    run(parser.parse_args().quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
