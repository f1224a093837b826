"""Run every benchmark and print its figures: `python -m benchmarks [--quick] [--pg URL]
[--only NAME] [--json FILE]`.

Every figure is printed with its goal, its verdict and the load average when it was taken;
``--json FILE`` also writes them all (with the machine, the commit and the arguments) so that
one run can be compared with another. The exit status is 1 when a figure missed its goal or
a benchmark could not finish, else 0."""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import _common, bench_appends, bench_latency, bench_replay
from ._common import DEFAULT_PG, PgAdmin, at_least, failed, load_average, report, section

BENCHES = ["appends", "latency", "replay", "map", "start", "avl", "routing", "repaint", "video",
           "wall", "cameras", "recovery"]
ORDER = ["appends", "latency", "replay", "map", "avl", "routing", "repaint", "video", "wall",
         "cameras", "recovery", "start"]
"""The order they run in (``start`` last: it is the longest)."""


def _commit() -> str:
    here = Path(__file__).resolve().parents[1]
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + (" (with uncommitted changes)" if dirty.strip() else "")


def _runner(name: str, args: argparse.Namespace, pg: PgAdmin | None) -> Callable[[], Any]:
    """The benchmark called ``name``; Qt, libVLC and the console are imported only when one
    that needs them is asked for."""
    if name == "appends":
        return lambda: bench_appends.run(pg, args.quick)
    if name == "latency":
        return lambda: bench_latency.run(pg, args.quick)
    if name == "replay":
        return lambda: bench_replay.run(pg, 50_000 if args.quick else args.replay_events)
    if name == "map":
        from . import bench_map

        return lambda: bench_map.run(args.quick)
    if name == "avl":
        from . import bench_avl

        return lambda: bench_avl.run(pg, args.quick)
    if name == "routing":
        from . import bench_routing

        return lambda: bench_routing.run(args.quick)
    if name == "repaint":
        from . import bench_console_repaint  # two console windows

        return lambda: bench_console_repaint.run(pg, 30 if args.quick else 100)
    if name == "video":
        from . import bench_video  # libVLC, ffmpeg relays, the loopback RTSP server

        return lambda: bench_video.run(args.quick)
    if name == "wall":
        from . import bench_camera_wall  # the real wall's tiles over the same streams

        return lambda: bench_camera_wall.run(args.quick)
    if name == "cameras":
        from . import bench_cameras

        return lambda: bench_cameras.run(args.quick)
    if name == "recovery":
        from . import bench_recovery  # a console window; the database lost and back

        return lambda: bench_recovery.run(pg, 5 if args.quick else 20)
    if name == "start":
        from . import bench_start

        return lambda: bench_start.run(days=30 if args.quick else 365)
    raise ValueError(name)


def write_json(path: Path, meta: dict[str, Any]) -> None:
    bad = failed()
    doc = {**meta, "finished": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
           "load_end": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
           "verdict": "FAIL" if bad else "PASS",
           "failed": [f"{f.bench}: {f.name}" for f in bad],
           "figures": [f.as_json() for f in _common.FIGURES]}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("GVCOMMAND_BENCH_PG_URL", DEFAULT_PG),
                        help="a PostgreSQL server where throwaway databases may be created "
                        "(default %(default)s)")
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke check)")
    parser.add_argument("--only", choices=BENCHES, action="append")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="write every figure with its goal, verdict and load to FILE")
    parser.add_argument("--replay-events", type=int, default=1_000_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    pg: PgAdmin | None = PgAdmin(args.pg)
    assert pg is not None
    if not pg.available():
        print(f"PostgreSQL at {pg.url.render_as_string(hide_password=True)} does not answer: "
              "its benchmarks are skipped", file=sys.stderr)
        pg = None
    meta = {"started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "host": platform.node(), "cores": os.cpu_count(),
            "python": platform.python_version(), "commit": _commit(), "argv": sys.argv[1:],
            "quick": args.quick, "postgresql": pg is not None,
            "load_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}
    print(f"gvcommand benchmarks on {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {load_average():.2f}")
    chosen = [name for name in ORDER if name in (args.only or BENCHES)]
    try:
        for name in chosen:
            with section(name):
                try:
                    _runner(name, args, pg)()
                    finished = 1.0
                except Exception:  # one benchmark's failure must not hide the others' figures
                    traceback.print_exc()
                    finished = 0.0
                if not finished:
                    report("the benchmark ran to its end", finished, "", at_least(1, "yes"),
                           text="no: it raised (traceback above)")
    finally:
        if pg is not None:
            pg.drop_all()
        if args.json is not None:
            write_json(args.json, meta)
    bad = failed()
    print(f"\n{len(_common.FIGURES)} figures, {len(bad)} missed their goal"
          + (": " + "; ".join(f"{f.bench}: {f.name}" for f in bad) if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
