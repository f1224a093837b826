"""The camera wall's decoding: 16 tiles of 640×360 at 25 fps from the loopback RTSP server,
beside the same 16 streams decoded by bare libVLC without Qt, in the same run.

- **wall**: 16 `StreamPlayer`s (libVLC video callbacks → QImage, taken by the GUI thread's
  frame pump), each painted by a real ~478×268 widget of a 4×4 grid at 1920×1080
  (offscreen), the player told the tile's size (libVLC scales while converting, the tile
  paints 1:1). Judged: the frames each tile *painted* (a paint showing a frame it had not
  shown before; decoded frames are printed beside them), and the CPU of this process and its
  relay children (ffmpeg).
- **bare**: a separate process with no Qt at all: python-vlc players fed by the same
  ffmpeg relays, converting to RV32 at the same scaled size as the wall's tiles, with a
  display callback that only counts frames (nothing copied): the same streams, the same
  decoding and scaling, nothing else — the peer of "CPU ≤ 1.2× bare".
- **switch**: one tile switches camera ≥ 20 times while the other 15 play: play() → the
  first frame on the GUI thread (keyframe every 0.48 s in the clips), p50/p95.

Each figure is the median of several windows (5 of 3 s; ``--quick`` 3 of 2 s), every window
printed with its load average. A tile that never went live fails the run; so does a relay
restarted while measuring or while another tile switches (the wall's players count their
attempts), and a bare relay that ended. The RTSP server's own CPU is not counted (it stands
for the cameras).

Run alone: ``python -m benchmarks.bench_video [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TILES = 16


def run(quick: bool = False) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QSize, Qt, QTimer
    from PySide6.QtGui import QColor, QPainter, QPaintEvent
    from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

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

    warmup_s, windows, seconds, switches = (3.0, 3, 2.0, 20) if quick else (4.0, 5, 3.0, 30)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - Qt needs one alive
    print(f"\nvideo: {TILES} tiles of 640×360 at 25 fps from loopback RTSP ({load_line()} "
          "at start)", flush=True)

    class Tile(QWidget):
        def __init__(self, player: StreamPlayer) -> None:
            super().__init__()
            self.player = player
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
            else:
                p.drawImage(self.rect(), image)
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
        new_frames = new_frame_counter(tiles, lambda tile: tile.player.image())
        for p, tile, url in zip(players, tiles, urls, strict=True):
            p.set_display_size(tile.width(), tile.height())
            p.play(url, redacted=url)
        until(lambda: all(p.state is StreamState.LIVE for p in players), 30)
        live = sum(p.state is StreamState.LIVE for p in players)
        if live < TILES:
            print("  not every tile went live: " + ", ".join(p.state.value for p in players))
        spin(warmup_s)
        wall = measure(windows, seconds, spin, players, new_frames.counts,
                       exclude_server(server))
        size = wall_size(players)

        # switches on tile 0 while the other 15 keep playing
        times = []
        others = [server.url(f"cam{k:03d}/sub") for k in range(TILES + 1, TILES + 9)]
        attempts = [p.attempts for p in players]
        for n in range(switches):
            target = others[n % len(others)]
            t_play = time.perf_counter()
            players[0].play(target, redacted=target)
            if until(lambda: players[0].state is StreamState.LIVE, 10):
                times.append(time.perf_counter() - t_play)
            spin(0.3)
        # each switch starts one attempt on tile 0; any other is a restart
        unasked = sum(p.attempts - a for p, a in zip(players, attempts, strict=True)) - switches
        for p in players:
            p.close(wait=True)
        window.close()

        # the bare peer, now that the wall is gone (same server, same streams, same size)
        bare = run_bare(urls, size, warmup_s, windows, seconds)
    finally:
        server.stop()

    print_windows("wall", wall)
    print_windows("bare", bare)
    report_windows(wall, bare, TILES, live)
    report("relay restarts while tile 0 switched camera (beyond the switches)", unasked, "",
           at_most(0, "0"), text=str(unasked))
    p95 = pct(times, 95) * 1000 if times else float("nan")
    report(f"camera switch → first frame (n={len(times)}/{switches}), p95", p95, "ms",
           at_most(GOALS["switch_s"] * 1000, f"p95 ≤ {GOALS['switch_s'] * 1000:.0f} ms"),
           text=f"p50 {pct(times, 50) * 1000:.0f} ms, p95 {p95:.0f} ms, "
           f"max {max(times) * 1000:.0f} ms" if times else "no switch reached a frame")
    return {"painted_min": median([min(w.painted) for w in wall]),
            "decoded_min": median([min(w.decoded) for w in wall]),
            "cpu": median([w.cpu for w in wall]), "bare_cpu": median([w.cpu for w in bare]),
            "switch_p95": p95 / 1000}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_video",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=float, default=4.0, help=argparse.SUPPRESS)
    parser.add_argument("--windows", type=int, default=5, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=3.0, help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    parser.add_argument("urls", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        from ._video import bare

        size = tuple(int(v) for v in args.size.split("x")) if args.size else None
        print(json.dumps(bare(args.urls, size, args.warmup, args.windows,  # type: ignore[arg-type]
                              args.seconds)))
        return 0
    run(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
