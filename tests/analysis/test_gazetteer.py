"""The gazetteer finds streets, wards and points whatever the officer's diacritics and case."""

from __future__ import annotations

import json

import pytest
import shapely

from gvcommand.analysis.gazetteer import (
    COMPLEX_POINT,
    POI,
    STREET,
    WARD,
    Gazetteer,
    fold,
)
from gvcommand.demo import roads as demo_roads
from gvcommand.demo.district import build_layout
from gvcommand.geo import crs

from .._needs import SHARED_DATA

OSM_ROADS = SHARED_DATA / "osm" / "govap_roads_osm2018.geojson"
OSM_POIS = SHARED_DATA / "osm" / "govap_pois_osm2018.geojson"


def test_fold() -> None:
    assert fold("Đường  Quang Trung") == "duong quang trung"
    assert fold("GÒ VẤP") == fold("gò vấp") == "go vap"
    assert fold("Nguyễn Văn Lượng, P.17") == "nguyen van luong p 17"


@pytest.fixture(scope="module")
def demo() -> Gazetteer:
    layout = build_layout(7)
    segments = demo_roads.road_segments(layout.roads, layout.outline_m, 7)
    g = Gazetteer()
    g.add_streets((s.name, s.road_class, shapely.from_wkb(s.wkb)) for s in segments)
    edition = layout.editions.editions[-1]
    g.add_areas(WARD, ((w.code, w.name, w.geometry) for w in edition.wards))
    g.add_points(COMPLEX_POINT, [("DPT-01", "Cổng chợ Hạnh Thông Tây", 106.657, 10.836)])
    return g


def test_demo_streets_without_diacritics(demo: Gazetteer) -> None:
    found = demo.search("quang trung")
    assert found[0].name == "Quang Trung" and found[0].kind == STREET
    # the point is on the street: within a metre of one of its segments
    layout = build_layout(7)
    x, y = crs.from_wgs84(crs.VN2000_TM3_HCMC, found[0].lon, found[0].lat)
    assert layout.roads["Quang Trung"].distance(shapely.Point(x, y)) < 1.0
    found = demo.search("LE DUC THO")
    assert found[0].name == "Lê Đức Thọ"  # the street, then its alleys (hẻm)
    assert all("Lê Đức Thọ" in p.name for p in found)
    assert demo.search("hem 18 le duc tho")[0].name == "Hẻm 18 Lê Đức Thọ"
    assert demo.search("nguyen van")[0].name in ("Nguyễn Văn Lượng", "Nguyễn Văn Nghi")
    assert demo.search("khong co duong nay") == []
    assert demo.search("   ") == []


def test_demo_wards_and_points(demo: Gazetteer) -> None:
    go_vap = demo.search("go vap")[0]
    assert (go_vap.kind, go_vap.name, go_vap.ident) == (WARD, "Gò Vấp", "go-vap")
    layout = build_layout(7)
    ward = layout.editions.editions[-1].ward("go-vap")
    assert ward.geometry.contains(shapely.Point(go_vap.lon, go_vap.lat))
    # "hanh thong": the ward first (whole name), then the complex point
    assert [(p.kind, p.name) for p in demo.search("hanh thong")] == [
        (WARD, "Hạnh Thông"), (COMPLEX_POINT, "Cổng chợ Hạnh Thông Tây")]


@pytest.mark.shared_data(OSM_ROADS, OSM_POIS)
def test_real_osm_roads() -> None:
    data = json.loads(OSM_ROADS.read_text(encoding="utf-8"))
    g = Gazetteer()
    streets = g.add_streets(
        (f["properties"].get("name"), f["properties"].get("highway") or "road",
         shapely.geometry.shape(f["geometry"])) for f in data["features"])
    assert streets > 50
    for query, expected in (("quang trung", "Quang Trung"), ("phan van tri", "Phan Văn Trị"),
                            ("NGUYEN OANH", "Nguyễn Oanh"), ("le duc tho", "Lê Đức Thọ")):
        found = g.search(query)
        assert found and found[0].name == expected, (query, [p.name for p in found[:5]])
        assert crs.HCMC_BBOX[0] < found[0].lon < crs.HCMC_BBOX[2]
        assert crs.HCMC_BBOX[1] < found[0].lat < crs.HCMC_BBOX[3]
    pois = json.loads(OSM_POIS.read_text(encoding="utf-8"))["features"]
    g.add_points(POI, [(str(f["properties"]["osm_id"]), f["properties"]["name"],
                        *f["geometry"]["coordinates"][:2])
                       for f in pois if f["properties"].get("name")
                       and f["geometry"]["type"] == "Point"])
    assert any(p.kind == POI for p in g.search("cafe"))
