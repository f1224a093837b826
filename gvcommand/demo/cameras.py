"""The demo's cameras: police ones at the main crossings, ward and private ones near the
hotspots and along the roads, all streaming from the demo's loopback RTSP server."""

from __future__ import annotations

import math
import os

from ..core import commands as c
from ..core.model import CameraOwner, CameraVendor
from ..geo.editions import BoundaryEdition
from ..store.db import StoreError
from .district import DemoLayout, Sites, crossings, rng_for

DEMO_RTSP_PORT_ENV = "GVCOMMAND_DEMO_RTSP_PORT"
DEFAULT_DEMO_RTSP_PORT = 8554
"""The demo's cameras are generic ones streaming from the demo's loopback RTSP server
(gvcommand.video.rtsp_server): camera N at /camNNN (main) and /camNNN/sub, on the port this
variable says when the demo is seeded."""


def demo_rtsp_port() -> int:
    text = os.environ.get(DEMO_RTSP_PORT_ENV, "").strip()
    if not text:
        return DEFAULT_DEMO_RTSP_PORT
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise StoreError(f"${DEMO_RTSP_PORT_ENV}={text!r} is not a TCP port (1–65535)")
    return int(text)


def add_cameras(layout: DemoLayout, current: BoundaryEdition,
                total: int = 120) -> list[c.AddCamera]:
    port = demo_rtsp_port()
    rng = rng_for(layout.seed, "cameras")
    sites = Sites(layout, current)
    # (x, y, bearing, kind, label): police at the main crossings, then ward and private ones
    spots: list[tuple[float, float, float, CameraOwner, str]] = []
    for p, (a, b) in sorted(crossings(layout.roads, layout.outline_m),
                            key=lambda cr: (round(cr[0].y), round(cr[0].x))):
        for road in (a, b):
            label = f"Ngã tư {a} – {b} (hướng {road})"
            line = layout.roads[road]
            q = line.interpolate(line.project(p) + 5)
            bearing = math.degrees(math.atan2(q.x - p.x, q.y - p.y)) % 360
            spots.append((p.x + 6, p.y + 6, (bearing + rng.choice((0, 180))) % 360,
                          CameraOwner.POLICE, label))
    spots = spots[: total // 3]
    wards = {w.code: w.name for w in current.wards}
    while len(spots) < total:
        owner = CameraOwner.WARD if len(spots) < total * 0.7 else CameraOwner.PRIVATE
        if rng.random() < 0.5:
            spot = rng.choices(layout.hotspots, [h.weight for h in layout.hotspots])[0]
            x, y = sites.near(rng, spot.x, spot.y, 300)
            bearing = rng.uniform(0, 360)
        else:
            x, y, bearing = sites.on_road(rng)
        spots.append((x, y, bearing, owner, ""))
    xs, ys = [s[0] for s in spots], [s[1] for s in spots]
    lon, lat, codes = sites.lonlat_wards(xs, ys)
    addresses = sites.addresses(rng, xs, ys)
    prefix = {CameraOwner.POLICE: "CS", CameraOwner.WARD: "PH", CameraOwner.PRIVATE: "TN"}
    counters = dict.fromkeys(prefix, 0)
    cameras = []
    for i, (_x, _y, bearing, owner, label) in enumerate(spots):
        counters[owner] += 1
        if owner is CameraOwner.WARD:
            label = f"Camera {wards[codes[i]]} – {addresses[i]}"
        elif owner is CameraOwner.PRIVATE:
            label = f"{rng.choice(('Camera nhà dân', 'Camera cửa hàng'))} – {addresses[i]}"
        stream = f"rtsp://127.0.0.1:{port}/cam{i + 1:03d}"
        cameras.append(c.AddCamera(
            f"{prefix[owner]}-{counters[owner]:03d}", label, float(lon[i]), float(lat[i]), owner,
            codes[i], round(bearing, 1), float(rng.randrange(60, 111, 5)),
            float(rng.randrange(40, 151, 10)), vendor=CameraVendor.GENERIC,
            main_url=stream, sub_url=f"{stream}/sub", address=addresses[i],
        ))
    return cameras
