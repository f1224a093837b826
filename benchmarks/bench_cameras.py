"""Cameras around an incident, and a camera registry import.

Ranking: rank_cameras (UTM through geo.crs, vectorised) for random incidents among 3,000
cameras, beside the peer: the exact geodesic (pyproj.Geod) to every camera, which is what a
careful one-off script would do. Real positions (Georgia DOT, 3,040 cameras) where
../shared/data is present, else 3,000 synthetic cameras over Gò Vấp. Both give the same
cameras (checked on every incident).

Import: `gvcommand-admin import-cameras` of those cameras into a fresh SQLite database (one
transaction, every row checked), then the same file again (nothing to change).

    python -m benchmarks.bench_cameras [--quick]
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import pyproj

from gvcommand.analysis.cameras import NEAR_M, rank_cameras
from gvcommand.core.model import Camera

from ._common import Timer, at_most, line, pct, report

GDOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "cameras" / (
    "gdot_georgia_cctv_2020.csv")
BOX = (106.640, 10.815, 106.695, 10.860)  # Gò Vấp, roughly


def _cameras(rng: random.Random) -> tuple[str, list[Camera]]:
    if GDOT.exists():
        with GDOT.open(newline="", encoding="utf-8") as fh:
            cams = [Camera(r["cctv_id"], r["name"], float(r["lon"]), float(r["lat"]))
                    for r in csv.DictReader(fh) if float(r["lat"]) != 0.0]
        return "Georgia DOT (real)", cams
    cams = [Camera(f"C{i:04d}", f"C{i:04d}", rng.uniform(BOX[0], BOX[2]),
                   rng.uniform(BOX[1], BOX[3]), azimuth_deg=rng.uniform(0, 360),
                   fov_deg=rng.choice((60.0, 90.0)), range_m=rng.choice((50.0, 100.0)))
            for i in range(3000)]
    return "synthetic Gò Vấp", cams


def _geodesic_peer(cams: list[Camera], lon: float, lat: float) -> list[str]:
    geod = pyproj.Geod(ellps="WGS84")
    n = len(cams)
    _, _, dist = geod.inv([lon] * n, [lat] * n, [c.lon for c in cams], [c.lat for c in cams])
    # cameras at one spot (several on a pole) tie: by code, as rank_cameras orders them
    return [c.code for d, c in sorted(zip(dist, cams, strict=True),
                                      key=lambda t: (round(t[0], 1), t[1].code))
            if d <= NEAR_M]


def run(quick: bool = False) -> None:
    rng = random.Random(11)
    source, cams = _cameras(rng)
    print(f"cameras: {len(cams)} ({source})", flush=True)
    ours, peer, differ, found = [], [], 0, 0
    for _ in range(30 if quick else 300):
        near = rng.choice(cams)  # incidents where cameras are (else most lists are empty)
        lon, lat = near.lon + rng.uniform(-0.002, 0.002), near.lat + rng.uniform(-0.002, 0.002)
        with Timer() as t:
            ranked = rank_cameras(cams, lon, lat)
        ours.append(t.elapsed)
        found += len(ranked)
        with Timer() as t:
            exact = _geodesic_peer(cams, lon, lat)
        peer.append(t.elapsed)
        if all(c.azimuth_deg is None for c in cams):
            differ += [r.camera.code for r in ranked] != exact
    report("rank cameras for an incident (UTM, vectorised), p95", pct(ours, 95) * 1e3, "ms",
           at_most(50, "p95 ≤ 50 ms (one click)"),
           text=f"p50 {pct(ours, 50) * 1e3:.1f} / p95 {pct(ours, 95) * 1e3:.1f} ms")
    report("peer: exact geodesic to every camera, p95", pct(peer, 95) * 1e3, "ms",
           text=f"p50 {pct(peer, 50) * 1e3:.1f} / p95 {pct(peer, 95) * 1e3:.1f} ms")
    line("cameras offered per incident (mean)", f"{found / len(ours):.1f}")
    if all(c.azimuth_deg is None for c in cams):
        report("incidents where the two orders differ", differ, "", at_most(0, "0"),
               text=str(differ))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cameras.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["code", "name", "lon", "lat", "azimuth", "fov", "range"])
            for c in cams:
                w.writerow([c.code, c.name, c.lon, c.lat, c.azimuth_deg or "", c.fov_deg or "",
                            c.range_m or ""])
        exe = Path(sys.executable).parent / "gvcommand-admin"
        db = f"sqlite:///{tmp}/cams.sqlite"
        env = dict(os.environ, XDG_STATE_HOME=tmp, GVCOMMAND_CONSOLE="bench")
        subprocess.run([str(exe), "--db", db, "init"], check=True, env=env,
                       capture_output=True)
        with Timer() as start:
            subprocess.run([str(exe), "--db", db, "list-users"], check=True, env=env,
                           capture_output=True)
        report("gvcommand-admin start (list-users), the import's overhead", start.elapsed, "s")
        for label in ("first import", "same file again"):
            with Timer() as t:
                subprocess.run([str(exe), "--db", db, "import-cameras", str(path)], check=True,
                               env=env, capture_output=True)
            report(f"import-cameras {len(cams)} rows, SQLite, {label}", t.elapsed, "s",
                   text=f"{t.elapsed:.2f} s ({max(0.0, t.elapsed - start.elapsed):.2f} s "
                   "beyond start)")


if __name__ == "__main__":
    run("--quick" in sys.argv)
