"""The demo's complex points (địa bàn phức tạp): places near the hotspots where trouble
recurs, a few of them since settled."""

from __future__ import annotations

import math

from ..core import commands as c
from ..core.model import ComplexPointStatus
from ..geo.editions import BoundaryEdition
from .district import DemoLayout, Sites, rng_for

_POINT_KINDS = (
    ("Cổng {spot}", "Cướp giật điện thoại, túi xách của khách đi chợ buổi tối"),
    ("Hẻm {address}", "Trộm cắp xe máy, đột nhập nhà dân"),
    ("Khu quán nhậu gần {spot}", "Gây rối, đánh nhau sau khi nhậu"),
    ("Đoạn đường {road}", "Thanh thiếu niên tụ tập, đua xe, nẹt pô ban đêm"),
    ("Bãi giữ xe khu vực {spot}", "Trộm cắp xe máy, phụ tùng"),
)
_SETTLED = "Đã lắp thêm camera, tăng cường tuần tra; 3 tháng liền không phát sinh vụ việc"


def add_complex_points(layout: DemoLayout, current: BoundaryEdition) -> list[list[c.Command]]:
    """Three points near each hotspot and one elsewhere, each with its commands (added,
    and for five of them settled since)."""
    rng = rng_for(layout.seed, "complex-points")
    sites = Sites(layout, current)
    picks: list[tuple[float, float, str, str]] = []
    for spot in layout.hotspots:
        for template, note in rng.sample(_POINT_KINDS, 3):
            while True:
                d, a = rng.uniform(80, 350), rng.uniform(0, 2 * math.pi)
                x, y = spot.x + d * math.cos(a), spot.y + d * math.sin(a)
                if sites.inside(x, y):
                    break
            picks.append((x, y, template.replace("{spot}", spot.name), note))
    x, y = sites.anywhere(rng)
    picks.append((x, y, "Khu đất trống {road}", "Tụ tập sử dụng bóng cười, đua xe ban đêm"))
    xs, ys = [p[0] for p in picks], [p[1] for p in picks]
    lon, lat, codes = sites.lonlat_wards(xs, ys)
    addresses = sites.addresses(rng, xs, ys)
    settled = set(rng.sample(range(len(picks)), 5))
    out: list[list[c.Command]] = []
    for i, (_x, _y, template, note) in enumerate(picks):
        road = addresses[i].split(" ", 1)[1]
        name = template.format(address=addresses[i], road=road)
        code = f"DPT-{i + 1:02d}"
        group: list[c.Command] = [
            c.AddComplexPoint(code, name, float(lon[i]), float(lat[i]), codes[i], note)]
        if i in settled:
            group.append(c.SetComplexPointStatus(code, ComplexPointStatus.RESOLVED, _SETTLED))
        out.append(group)
    return out
