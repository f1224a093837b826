"""Run every benchmark and print its figures: `python -m benchmarks [--quick] [--pg URL]`."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys

from . import bench_appends, bench_latency, bench_replay
from ._common import DEFAULT_PG, PgAdmin


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--pg", default=os.environ.get("GVCOMMAND_BENCH_PG_URL", DEFAULT_PG),
                        help="a PostgreSQL server where throwaway databases may be created "
                        "(default %(default)s)")
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke check)")
    parser.add_argument("--only", choices=["appends", "latency", "replay", "map", "start", "avl",
                                           "routing", "repaint", "video", "wall", "cameras",
                                           "recovery"],
                        action="append")
    parser.add_argument("--replay-events", type=int, default=1_000_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    pg = PgAdmin(args.pg)
    if not pg.available():
        print(f"PostgreSQL at {pg.url.render_as_string(hide_password=True)} does not answer: "
              "its benchmarks are skipped", file=sys.stderr)
        pg = None  # type: ignore[assignment]
    print(f"gvcommand benchmarks on {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    chosen = args.only or ["appends", "latency", "replay", "map", "start", "avl", "routing",
                           "repaint", "video", "wall", "cameras", "recovery"]
    try:
        if "appends" in chosen:
            bench_appends.run(pg, args.quick)
        if "latency" in chosen:
            bench_latency.run(pg, args.quick)
        if "replay" in chosen:
            events = 50_000 if args.quick else args.replay_events
            bench_replay.run(pg, events)
        if "map" in chosen:
            from . import bench_map  # Qt: imported only when asked for

            bench_map.run(args.quick)
        if "avl" in chosen:
            from . import bench_avl

            bench_avl.run(pg, args.quick)
        if "routing" in chosen:
            from . import bench_routing

            bench_routing.run(args.quick)
        if "repaint" in chosen:
            from . import bench_console_repaint  # Qt: two console windows

            bench_console_repaint.run(pg, 30 if args.quick else 100)
        if "video" in chosen:
            from . import bench_video  # Qt, libVLC, ffmpeg relays, the loopback RTSP server

            bench_video.run(args.quick)
        if "wall" in chosen:
            from . import bench_camera_wall  # the real wall's tiles over the same streams

            bench_camera_wall.run(args.quick)
        if "cameras" in chosen:
            from . import bench_cameras

            bench_cameras.run(args.quick)
        if "recovery" in chosen:
            from . import bench_recovery  # Qt: a console window; the database lost and back

            bench_recovery.run(pg, 5 if args.quick else 20)
        if "start" in chosen:
            from . import bench_start

            bench_start.run(days=30 if args.quick else 365)
    finally:
        if pg is not None:
            pg.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
