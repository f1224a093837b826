"""`gvcommand-admin import-roads` on the real OSM extract and on files written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, box, mapping

from gvcommand.geo import crs as geo_crs
from gvcommand.store import schema
from gvcommand.store.roads import load_roads, verify_roads

from ._needs import SHARED_DATA
from .test_admin_cli import admin, db, ok, opened  # noqa: F401 - fixtures and helpers

OSM = SHARED_DATA / "osm" / "govap_roads_osm2018.geojson"
needs_osm = pytest.mark.shared_data(OSM)


def geojson(path: Path, features: list[tuple[dict[str, object], object]],
            crs: str | None = None) -> Path:
    doc: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": p, "geometry": mapping(g)}
                     for p, g in features],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def km_in(output: str) -> float:
    return float(output.split("length", 1)[1].split("km", 1)[0])


@needs_osm
def test_the_osm_extract_of_go_vap(db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    out = ok(admin(db, "import-roads", str(OSM), "--name", "OSM 2018")).output
    assert "stored 1506 road segments in network 'OSM 2018'" in out
    # whole ways, parts beyond the district boundary included (SOURCES.md's 294.5 km is
    # the length inside the boundary)
    assert km_in(out) == pytest.approx(310.84, abs=0.01)
    assert "residential 612" in out
    with opened(db) as store:
        loaded = load_roads(store)
        assert loaded is not None
        network, segments = loaded
        assert (network.name, network.segment_count, len(segments)) == ("OSM 2018", 1506, 1506)
        assert network.length_km == pytest.approx(310.843, abs=0.001)
        assert sum(s.name == "Quang Trung" for s in segments) > 0
        assert verify_roads(store) == []
        head = store.head()
    again = admin(db, "import-roads", str(OSM), "--name", "OSM 2018")
    assert again.exit_code == 1 and "already exists" in again.output
    with opened(db) as store:
        assert store.head() == head


def test_vn2000_file_with_named_fields(tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    lines = [LineString([(106.650, 10.835), (106.670, 10.826)]),
             LineString([(106.661, 10.840), (106.664, 10.841)])]
    path = geojson(tmp_path / "duong_go_vap.geojson", [
        ({"ten_duong": "Quang Trung", "cap": "chinh"},
         geo_crs.transform_geometry(lines[0], geo_crs.WGS84, geo_crs.VN2000_TM3_HCMC)),
        ({"ten_duong": None, "cap": "hem"},
         geo_crs.transform_geometry(lines[1], geo_crs.WGS84, geo_crs.VN2000_TM3_HCMC)),
    ])
    out = ok(admin(db, "import-roads", str(path), "--crs", "EPSG:9210",
                   "--name-field", "ten_duong", "--class-field", "cap")).output
    assert "stored 2 road segments in network 'duong_go_vap'" in out
    with opened(db) as store:
        loaded = load_roads(store)
        assert loaded is not None
        assert [(s.name, s.road_class) for s in loaded[1]] == [("Quang Trung", "chinh"),
                                                             (None, "hem")]
        back = shapely.from_wkb(loaded[1][0].wkb)
        assert back.hausdorff_distance(lines[0]) < 1e-7


def test_wrong_files_store_nothing(tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    wards = geojson(tmp_path / "wards.geojson", [({"name": "Phường 1"},
                                                  box(106.64, 10.81, 106.66, 10.86))])
    out = admin(db, "import-roads", str(wards))
    assert out.exit_code == 1
    assert str(wards) in out.output and "Polygon" in out.output and "lines" in out.output
    missing = admin(db, "import-roads", str(tmp_path / "nothing.geojson"))
    assert missing.exit_code == 1 and "file not found" in missing.output
    road = geojson(tmp_path / "r.geojson", [({"name": "Lê Đức Thọ"},
                                             LineString([(106.66, 10.84), (106.67, 10.85)]))])
    field = admin(db, "import-roads", str(road), "--class-field", "loai")
    assert field.exit_code == 1 and "no field 'loai'" in field.output
    with opened(db) as store:
        assert store.head()[0] == 0 and load_roads(store) is None


def test_verify_log_checks_the_road_segments(tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    road = geojson(tmp_path / "r.geojson", [
        ({"name": "Lê Đức Thọ", "highway": "secondary"},
         LineString([(106.66, 10.84), (106.67, 10.85)])),
        ({"name": "Hẻm 12 Lê Đức Thọ", "highway": "residential"},
         LineString([(106.665, 10.845), (106.666, 10.846)])),
    ])
    ok(admin(db, "import-roads", str(road), "--name", "thử"))
    out = ok(admin(db, "verify-log")).output
    assert "road networks: 1 (2 segments) match their imports" in out
    with opened(db) as store, store.engine.begin() as conn:
        conn.execute(schema.road_segments.update().where(schema.road_segments.c.idx == 1)
                     .values(name="Hẻm 14 Lê Đức Thọ"))
    broken = admin(db, "verify-log")
    assert broken.exit_code == 3
    assert "road network thử: segments were altered after their import" in broken.stderr
