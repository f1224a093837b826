"""`gvcommand-admin import-boundaries` and `ward-at` on real boundary files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import box, mapping

from gvcommand.geo import crs as geo_crs
from gvcommand.store.boundaries import load_editions, verify_polygons

from ._needs import SHARED_DATA
from .test_admin_cli import admin, db, ok, opened  # noqa: F401 - fixtures and helpers

KMZ_DIR = SHARED_DATA / "boundaries" / "govap_wards_2025_kmz"
KMZ = sorted(KMZ_DIR.glob("*.kmz"))
needs_kmz = pytest.mark.shared_data(KMZ_DIR)


def geojson(path: Path, features: list[tuple[str, object]], crs: str | None = None) -> Path:
    doc: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"ten": n}, "geometry": mapping(g)}
            for n, g in features
        ],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@needs_kmz
def test_the_six_2025_wards(db: str) -> None:  # noqa: F811
    assert len(KMZ) == 6, f"the six 2025 ward KMZ files are not all in {KMZ_DIR}: {KMZ}"
    ok(admin(db, "init"))
    out = ok(
        admin(
            db,
            "import-boundaries",
            *map(str, KMZ),
            "--edition",
            "Gò Vấp 2025",
            "--valid-from",
            "2025-07-01",
        )
    ).output
    assert "stored 6 wards" in out
    area = float(out.rsplit("area", 1)[1].split("km²")[0])
    assert area == pytest.approx(19.73, abs=0.1)
    assert ok(admin(db, "ward-at", "106.665", "10.838")).output.strip() == "Thông Tây Hội"
    before = admin(db, "ward-at", "106.665", "10.838", "--date", "2025-06-30")
    assert before.exit_code == 1 and "no boundary edition" in before.output
    outside = admin(db, "ward-at", "106.0", "10.0")
    assert outside.exit_code == 1 and "in no ward" in outside.output
    with opened(db) as store:
        [(_edition, wards)] = load_editions(store)
        assert {w.name for w in wards} == {
            "Gò Vấp",
            "Hạnh Thông",
            "An Nhơn",
            "An Hội Đông",
            "Thông Tây Hội",
            "An Hội Tây",
        }
        assert verify_polygons(store) == []
        assert [e.actor for e in store.iter_events()][-1].startswith("cli:")


def test_editions_in_time_and_bad_files_store_nothing(tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    old = geojson(
        tmp_path / "old.geojson",
        [
            ("Phường 1", box(106.64, 10.81, 106.66, 10.86)),
            ("Phường 3", box(106.66, 10.81, 106.68, 10.86)),
        ],
    )
    new = geojson(tmp_path / "new.geojson", [("An Nhơn", box(106.64, 10.81, 106.68, 10.86))])
    ok(
        admin(
            db,
            "import-boundaries",
            str(old),
            "--edition",
            "16 phường",
            "--valid-from",
            "2020-01-01",
            "--valid-to",
            "2024-12-31",
        )
    )
    ok(admin(db, "import-boundaries", str(new), "--edition", "2025", "--valid-from", "2025-01-01"))
    assert admin(db, "ward-at", "106.67", "10.83", "--date", "2024-06-01").output.strip() == (
        "Phường 3"
    )
    assert admin(db, "ward-at", "106.67", "10.83", "--date", "2025-06-01").output.strip() == (
        "An Nhơn"
    )

    overlapping = admin(
        db, "import-boundaries", str(new), "--edition", "again", "--valid-from", "2024-06-01"
    )
    assert overlapping.exit_code == 1 and "overlaps edition" in overlapping.output
    points = tmp_path / "points.geojson"
    points.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [106.6, 10.8]},
                    }
                ],
            }
        )
    )
    wrong = admin(
        db,
        "import-boundaries",
        str(old),
        str(points),
        "--edition",
        "x",
        "--valid-from",
        "2030-01-01",
    )
    assert wrong.exit_code == 1 and "points.geojson" in wrong.output
    with opened(db) as store:
        assert [e.name for e, _ in load_editions(store)] == ["16 phường", "2025"]


def test_projected_file_without_crs_gets_a_suggestion(tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    ward = box(106.64, 10.81, 106.68, 10.86)
    x, y = geo_crs.from_wgs84(geo_crs.VN2000_TM3_HCMC, *ward.exterior.xy)
    projected = shapely.Polygon(list(zip(x, y, strict=True)))
    path = geojson(tmp_path / "vn2000.geojson", [("An Nhơn", projected)])
    # GeoJSON without a crs member means WGS84 to GDAL: these metres are not lon/lat
    refused = admin(
        db, "import-boundaries", str(path), "--edition", "e", "--valid-from", "2025-01-01"
    )
    assert refused.exit_code == 1 and "EPSG:9210" in refused.output
    ok(
        admin(
            db,
            "import-boundaries",
            str(path),
            "--edition",
            "e",
            "--valid-from",
            "2025-01-01",
            "--crs",
            "EPSG:9210",
        )
    )
    assert admin(db, "ward-at", "106.66", "10.83", "--date", "2025-02-01").output.strip() == (
        "An Nhơn"
    )
