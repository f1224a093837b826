"""Importers on real files (../shared/data) and on files written here in real formats by GDAL."""

from __future__ import annotations

import csv
import threading
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pytest
import shapely
from pyogrio import raw
from pyproj import Geod

from gvcommand.geo import crs
from gvcommand.geo import vn_legacy_encodings as legacy
from gvcommand.geo.importers import (
    GeoImportError,
    ImportCancelled,
    read_layer,
    read_points_csv,
)

from .._needs import SHARED_DATA, present

POLYGONS = {"Polygon", "MultiPolygon"}
GEOD = Geod(ellps="WGS84")
# ARCHITECTURE.md reference: WGS84 (106.665, 10.838) in EPSG:9210 and in EPSG:32648.
REF_LONLAT = (106.665, 10.838)
REF_9210 = (599850.583, 1198688.945)
REF_32648 = (682013.564, 1198564.494)
WARD_NAMES = ["Phường 1", "Phường Hạnh Thông", "Phường An Hội Đông", "Quận Gò Vấp", "Đội 3"]


def data(relative: str) -> Path:
    """``../shared/data/<relative>``; missing, the test skips (fails in CI)."""
    return present(SHARED_DATA / relative)


def write(
    path: Path,
    geoms: list[Any],
    *,
    geometry_type: str,
    crs_code: str | None = None,
    driver: str | None = None,
    encoding: str | None = None,
    layer: str | None = None,
    **fields: list[Any],
) -> Path:
    """Write a real file through GDAL (pyogrio.raw.write)."""
    wkb = np.array(shapely.to_wkb(geoms), dtype=object)
    values = [np.array(v, dtype=object) for v in fields.values()]
    raw.write(
        str(path), wkb, values, list(fields), driver=driver, geometry_type=geometry_type,
        crs=crs_code, encoding=encoding, layer=layer,
    )  # fmt: skip
    return path


def square(lon: float, lat: float, size: float = 0.004) -> shapely.Polygon:
    return shapely.box(lon, lat, lon + size, lat + size)


def projected(geom: shapely.Geometry, code: str) -> shapely.Geometry:
    return crs.transform_geometry(geom, crs.WGS84, code)


def assert_close_to_wgs84(result_geom: Any, source_geom: Any, code: str) -> None:
    """Same shape as ``source_geom`` taken through crs.to_wgs84, within 1e-7°.

    Normalised first: the Shapefile driver rewrites rings clockwise, as its format requires.
    """
    expected = shapely.transform(source_geom, lambda xy: np.c_[crs.to_wgs84(code, *xy.T)])
    np.testing.assert_allclose(
        shapely.get_coordinates(shapely.normalize(result_geom)),
        shapely.get_coordinates(shapely.normalize(expected)),
        atol=1e-7,
    )


# --- real files ----------------------------------------------------------------------------


def test_district_outline_geojson() -> None:
    result = read_layer(
        data("boundaries/govap_district_outline_gischinhphu.geojson"), geometry_types=POLYGONS
    )
    assert len(result.features) == 1
    outline = result.features[0]
    assert outline.geometry.geom_type == "MultiPolygon"
    assert outline.name == "Quận Gò Vấp"
    assert crs.geodesic_area_km2(outline.geometry) == pytest.approx(19.96, abs=0.05)
    assert result.source_crs == crs.WGS84
    assert result.warnings == []


def test_six_ward_kmz_files() -> None:
    folder = data("boundaries/govap_wards_2025_kmz")
    wards = []
    for kmz in sorted(folder.glob("*.kmz")):
        result = read_layer(kmz, geometry_types=POLYGONS)
        assert result.warnings == [] and result.source_crs == crs.WGS84
        wards.extend(result.features)
    assert len(wards) == 6
    names = {w.name for w in wards}
    expected = {"Gò Vấp", "Hạnh Thông", "An Nhơn", "An Hội Đông", "Thông Tây Hội", "An Hội Tây"}
    assert names == expected
    assert all(n == unicodedata.normalize("NFC", n) for n in names if n)
    assert all(w.geometry.is_valid and not w.geometry.has_z for w in wards)
    union = shapely.union_all([w.geometry for w in wards])
    assert crs.geodesic_area_km2(union) == pytest.approx(19.73, abs=0.1)
    assert wards[0].attributes["ma_xa"]  # ExtendedData comes through as attributes


def test_memphis_precincts_one_repaired() -> None:
    path = data("crime/memphis_precincts.geojson")
    result = read_layer(path, name_field="precinct", expect_vietnam=False)
    assert len(result.features) == 9
    repaired = [w for w in result.warnings if "repaired" in w]
    assert len(repaired) == 1 and "'Appling Farms'" in repaired[0] and path.name in repaired[0]
    assert len(result.warnings) == 1  # and no "outside Vietnam" warning when not expected
    assert all(f.geometry.is_valid and f.geometry.geom_type in POLYGONS for f in result.features)
    appling = next(f for f in result.features if f.name == "Appling Farms")
    assert crs.geodesic_area_km2(appling.geometry) == pytest.approx(136.44, rel=0.02)

    default = read_layer(path, name_field="precinct")
    assert any("outside Vietnam" in w for w in default.warnings)


def test_osm_roads_lines_and_progress() -> None:
    calls: list[tuple[int, int]] = []
    result = read_layer(
        data("osm/govap_roads_osm2018.geojson"), progress=lambda d, t: calls.append((d, t))
    )
    assert len(result.features) == 1506
    assert {f.geometry.geom_type for f in result.features} == {"LineString"}
    km = sum(GEOD.geometry_length(f.geometry) for f in result.features) / 1000
    # SOURCES.md says 294.5 km; pyproj.Geod on the file itself gives 310.84 km (checked
    # independently with Geod.line_length over the raw JSON), so the measured figure is used.
    # 294.5 km is the length inside the district boundary (tests/geo/test_roads.py).
    assert km == pytest.approx(310.84, abs=1.0)
    assert calls[0] == (0, 1506) and calls[-1] == (1506, 1506)
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and all(t == 1506 for _, t in calls)


def test_real_point_csvs() -> None:
    robberies = read_points_csv(
        data("crime/memphis_robberies_2019.csv"), x="longitude", y="latitude",
        expect_vietnam=False,
    )  # fmt: skip
    assert len(robberies.features) == 2245 and robberies.warnings == []
    assert robberies.features[0].attributes["offense_type"] == "personal robbery"
    chicago = read_points_csv(
        data("crime/chicago_southside_2016_sample.csv"), x="Longitude", y="Latitude",
        name="Case Number",
    )  # fmt: skip
    assert len(chicago.features) == 1000
    assert len(chicago.warnings) == 1 and "outside Vietnam" in chicago.warnings[0]

    nyc = read_points_csv(
        data("cameras/nyc_dot_cameras_2020.csv"), x="lon", y="lat", name="name",
        expect_vietnam=False,
    )  # fmt: skip
    assert len(nyc.features) == 723 and nyc.warnings == []
    assert nyc.features[0].name == "1 Ave @ 110 St"
    georgia = read_points_csv(
        data("cameras/gdot_georgia_cctv_2020.csv"), x="lon", y="lat", expect_vietnam=False
    )
    assert len(georgia.features) == 3040
    assert len(georgia.warnings) == 1 and "skipped 3 row(s) with 0,0" in georgia.warnings[0]


# --- formats written here ------------------------------------------------------------------


@pytest.fixture
def vn2000_shapefile(tmp_path: Path) -> tuple[Path, list[Any]]:
    wgs = [square(106.66, 10.83), square(106.68, 10.85), shapely.Point(*REF_LONLAT).buffer(0.001)]
    geoms = [projected(g, crs.VN2000_TM3_HCMC) for g in wgs]
    path = write(
        tmp_path / "wards_vn2000.shp", geoms, geometry_type="Polygon",
        crs_code=crs.VN2000_TM3_HCMC, TEN=["Phường A", "Phường B", "Trụ sở"],
    )  # fmt: skip
    return path, geoms


def test_shapefile_vn2000_with_prj(vn2000_shapefile: tuple[Path, list[Any]]) -> None:
    path, geoms = vn2000_shapefile
    assert path.with_suffix(".prj").exists()
    result = read_layer(path, geometry_types=POLYGONS)
    assert result.source_crs == "EPSG:9210" and result.warnings == []
    assert [f.name for f in result.features] == ["Phường A", "Phường B", "Trụ sở"]
    for feature, geom in zip(result.features, geoms, strict=True):
        assert_close_to_wgs84(feature.geometry, geom, crs.VN2000_TM3_HCMC)
    # Independent of our own code path: the reference point from ARCHITECTURE.md.
    point = write(
        path.with_name("ref.shp"), [shapely.Point(*REF_9210)], geometry_type="Point",
        crs_code=crs.VN2000_TM3_HCMC,
    )  # fmt: skip
    lonlat = read_layer(point).features[0].geometry
    assert (lonlat.x, lonlat.y) == pytest.approx(REF_LONLAT, abs=1e-7)


def test_shapefile_without_prj_suggests_crs(vn2000_shapefile: tuple[Path, list[Any]]) -> None:
    path, geoms = vn2000_shapefile
    path.with_suffix(".prj").unlink()
    with pytest.raises(GeoImportError) as err:
        read_layer(path)
    message = str(err.value)
    assert path.name in message and "no coordinate system" in message
    assert "EPSG:9210" in message and "--crs EPSG:9210" in message
    result = read_layer(path, crs="EPSG:9210")
    assert result.source_crs == "EPSG:9210" and len(result.features) == 3
    assert_close_to_wgs84(result.features[0].geometry, geoms[0], crs.VN2000_TM3_HCMC)


def test_shapefile_without_prj_in_lonlat_is_assumed_wgs84(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match=r"'crs' was not provided"):  # pyogrio, rightly
        path = write(tmp_path / "p.shp", [shapely.Point(*REF_LONLAT)], geometry_type="Point")
    result = read_layer(path)
    assert result.source_crs == crs.WGS84 and "WGS 84 (EPSG:4326) is assumed" in result.warnings[0]


def test_utf8_shapefile_with_cpg(tmp_path: Path) -> None:
    geoms = [square(106.66 + i * 0.01, 10.83) for i in range(len(WARD_NAMES))]
    path = write(
        tmp_path / "utf8.shp", geoms, geometry_type="Polygon", crs_code=crs.WGS84,
        encoding="UTF-8", TEN=WARD_NAMES,
    )  # fmt: skip
    assert path.with_suffix(".cpg").read_text().strip().upper().startswith("UTF")
    result = read_layer(path)
    assert [f.name for f in result.features] == WARD_NAMES
    assert result.warnings == []


@pytest.mark.parametrize("keep_cpg", [True, False], ids=["cpg-1252", "no-cpg"])
@pytest.mark.parametrize("table", [legacy.TCVN3, legacy.VNI])
def test_legacy_encoded_dbf_is_converted(tmp_path: Path, table: str, keep_cpg: bool) -> None:
    names = WARD_NAMES
    encode = legacy.encode_vni if table == legacy.VNI else legacy.encode_tcvn3
    mojibake = [encode(n).decode("cp1252") for n in names]
    geoms = [shapely.Point(106.66 + i * 0.001, 10.83) for i in range(len(names))]
    path = write(
        tmp_path / "legacy.shp", geoms, geometry_type="Point", crs_code=crs.WGS84,
        encoding="cp1252", TEN=mojibake, MA=[str(i) for i in range(len(names))],
    )  # fmt: skip
    if not keep_cpg:
        path.with_suffix(".cpg").unlink()
    assert b"Ph\xad\xeang" in path.with_suffix(".dbf").read_bytes() or table == legacy.VNI
    result = read_layer(path)
    assert [f.name for f in result.features] == names
    assert result.warnings == [f"converted field 'TEN' from {table} to Unicode"]


def test_western_latin1_text_is_left_alone(tmp_path: Path) -> None:
    names = ["Café Müller", "Señor Frog's", "Gò"]
    path = write(
        tmp_path / "latin.shp", [shapely.Point(106.66, 10.83)] * 3, geometry_type="Point",
        crs_code=crs.WGS84, encoding="latin1", NAME=names,
    )  # fmt: skip
    result = read_layer(path)
    assert [f.name for f in result.features] == names and result.warnings == []


def test_zipped_shapefile(vn2000_shapefile: tuple[Path, list[Any]], tmp_path: Path) -> None:
    path, _ = vn2000_shapefile
    archive = tmp_path / "ranh giới phường.zip"  # Vietnamese and a space in the path
    with zipfile.ZipFile(archive, "w") as z:
        for part in path.parent.glob(f"{path.stem}.*"):
            z.write(part, f"export/{part.name}")
    result = read_layer(archive, geometry_types=POLYGONS)
    assert result.source_crs == "EPSG:9210" and len(result.features) == 3
    readme = tmp_path / "readme.zip"
    with zipfile.ZipFile(readme, "w") as z:
        z.writestr("readme.txt", "no map here")
    with pytest.raises(GeoImportError, match=r"readme.zip: the archive holds nothing GDAL"):
        read_layer(readme)


def test_geopackage_utm48n(tmp_path: Path) -> None:
    wgs = [square(106.65, 10.82, 0.01), shapely.Point(*REF_LONLAT).buffer(0.002)]
    geoms = [projected(g, crs.UTM48N) for g in wgs] + [shapely.Point(*REF_32648).buffer(1)]
    path = write(
        tmp_path / "zones.gpkg", geoms, geometry_type="Polygon", crs_code=crs.UTM48N,
        layer="zones", ten=["Khu A", "Khu B", "Mốc"],
    )  # fmt: skip
    result = read_layer(path, geometry_types=POLYGONS)
    assert result.source_crs == "EPSG:32648" and result.layer == "zones"
    assert [f.name for f in result.features] == ["Khu A", "Khu B", "Mốc"]
    for feature, geom in zip(result.features, geoms, strict=True):
        assert_close_to_wgs84(feature.geometry, geom, crs.UTM48N)
    centre = result.features[2].geometry.centroid
    assert (centre.x, centre.y) == pytest.approx(REF_LONLAT, abs=1e-7)


def test_kml_two_placemarks(tmp_path: Path) -> None:
    names = ["Công an phường Gò Vấp", "Trụ sở An Nhơn"]
    pts = [shapely.Point(*REF_LONLAT), shapely.Point(106.67, 10.84)]
    path = write(
        tmp_path / "posts.kml", pts, geometry_type="Point", crs_code=crs.WGS84, driver="KML",
        Name=names,
    )  # fmt: skip
    result = read_layer(path, geometry_types={"Point"})
    assert [f.name for f in result.features] == names
    assert [(f.geometry.x, f.geometry.y) for f in result.features] == [REF_LONLAT, (106.67, 10.84)]


def test_kmz_without_libkml_goes_through_vsizip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kml = write(
        tmp_path / "doc.kml", [square(106.66, 10.83)], geometry_type="Polygon",
        crs_code=crs.WGS84, driver="KML", Name=["Hạnh Thông"],
    )  # fmt: skip
    kmz = tmp_path / "ward.kmz"
    with zipfile.ZipFile(kmz, "w") as z:
        z.write(kml, "doc.kml")
    drivers = {k: v for k, v in pyogrio.list_drivers().items() if k != "LIBKML"}
    monkeypatch.setattr(pyogrio, "list_drivers", lambda *a, **k: drivers)
    result = read_layer(kmz, geometry_types=POLYGONS)
    assert [f.name for f in result.features] == ["Hạnh Thông"]


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def test_csv_lonlat_with_bad_rows(tmp_path: Path) -> None:
    rows = [["ten", "kinh_do", "vi_do"], ["Chốt 1", "106.665", "10.838"], ["Chốt 2", "", "10.8"]]
    rows += [["Chốt 3", "abc", "10.8"], ["Chốt 4", "106.67", "10.84"], ["Chốt 5", "0", "0"]]
    path = write_csv(tmp_path / "chot.csv", rows)
    result = read_points_csv(path, x="kinh_do", y="vi_do", name="ten")
    assert [f.name for f in result.features] == ["Chốt 1", "Chốt 4"]
    assert (result.features[0].geometry.x, result.features[0].geometry.y) == REF_LONLAT
    assert any(
        "skipped 2 row(s) with blank or unparsable" in w and "3, 4" in w for w in result.warnings
    )
    assert any("skipped 1 row(s) with 0,0" in w and "lines 6" in w for w in result.warnings)
    assert result.features[0].attributes == {
        "ten": "Chốt 1",
        "kinh_do": "106.665",
        "vi_do": "10.838",
    }


def test_csv_vn2000_xy_semicolon_decimal_comma(tmp_path: Path) -> None:
    x, y = (f"{v:.3f}".replace(".", ",") for v in REF_9210)
    path = write_csv(tmp_path / "vn2000.csv", [["ma", "X", "Y"], ["A1", x, y]], delimiter=";")
    result = read_points_csv(path, x="X", y="Y", crs=crs.VN2000_TM3_HCMC)
    point = result.features[0].geometry
    assert (point.x, point.y) == pytest.approx(REF_LONLAT, abs=1e-7)
    assert result.source_crs == "EPSG:9210" and result.warnings == []
    with pytest.raises(GeoImportError, match=r"look like EPSG:9210.*--crs EPSG:9210") as err:
        read_points_csv(path, x="X", y="Y")
    assert "vn2000.csv" in str(err.value)


def test_csv_errors(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [["lon", "lat"], ["", ""], ["x", "y"]])
    with pytest.raises(GeoImportError, match=r"bad.csv: no row has usable coordinates"):
        read_points_csv(path, x="lon", y="lat")
    with pytest.raises(GeoImportError, match=r"no column 'lng'; its columns are: lon, lat"):
        read_points_csv(path, x="lng", y="lat")
    tcvn3 = tmp_path / "tcvn3.csv"
    tcvn3.write_bytes(b"ten,lon,lat\n" + legacy.encode_tcvn3("Gò Vấp") + b",106.6,10.8\n")
    with pytest.raises(GeoImportError, match=r"tcvn3.csv: is not utf-8 text"):
        read_points_csv(tcvn3, x="lon", y="lat")
    result = read_points_csv(tcvn3, x="lon", y="lat", name="ten", encoding="latin-1")
    assert result.features[0].name == "Gò Vấp"
    assert result.warnings == ["converted field 'ten' from TCVN3 to Unicode"]


# --- malformed inputs --------------------------------------------------------------------


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(GeoImportError, match=r"nowhere.geojson: file not found"):
        read_layer(tmp_path / "nowhere.geojson")
    (tmp_path / "empty.geojson").touch()
    with pytest.raises(GeoImportError, match=r"empty.geojson: the file is empty"):
        read_layer(tmp_path / "empty.geojson")
    (tmp_path / "none.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(GeoImportError, match=r"none.geojson: layer 'none' has no features"):
        read_layer(tmp_path / "none.geojson")


def test_truncated_geojson(tmp_path: Path) -> None:
    text = data("boundaries/govap_district_outline_gischinhphu.geojson").read_text()
    path = tmp_path / "truncated.geojson"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(GeoImportError, match=r"truncated.geojson: cannot be read.*truncated"):
        read_layer(path)


def test_shp_without_shx(vn2000_shapefile: tuple[Path, list[Any]]) -> None:
    path, _ = vn2000_shapefile
    path.with_suffix(".shx").unlink()
    with pytest.raises(GeoImportError, match=r"wards_vn2000.shp: the \.shx file .* is missing"):
        read_layer(path)


def test_truncated_shp(vn2000_shapefile: tuple[Path, list[Any]]) -> None:
    # GDAL itself would return the missing features as "no geometry" without an error.
    path, _ = vn2000_shapefile
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(GeoImportError, match=r"wards_vn2000.shp: the .shp file is cut short"):
        read_layer(path)


def test_random_bytes_gpkg(tmp_path: Path) -> None:
    path = tmp_path / "noise.gpkg"
    path.write_bytes(np.random.default_rng(7).bytes(4096))
    with pytest.raises(GeoImportError, match=r"noise.gpkg: cannot be read as map data"):
        read_layer(path)


def test_repairs_degenerates_and_collections(tmp_path: Path) -> None:
    lon, lat = REF_LONLAT
    bowtie = shapely.Polygon(
        [(lon, lat), (lon + 0.01, lat + 0.01), (lon + 0.01, lat), (lon, lat + 0.01)]
    )
    flat = shapely.Polygon([(lon, lat), (lon + 0.01, lat), (lon + 0.02, lat)])  # no area
    pair = shapely.GeometryCollection([square(lon, lat), square(lon + 0.004, lat)])  # touching
    path = write(
        tmp_path / "mixed.geojson", [bowtie, flat, pair, None], geometry_type="Unknown",
        crs_code=crs.WGS84, driver="GeoJSON", ten=["Nơ", "Dẹt", "Đôi", "Trống"],
    )  # fmt: skip
    result = read_layer(path, geometry_types=POLYGONS)
    assert [f.name for f in result.features] == ["Nơ", "Đôi"]
    assert result.features[0].geometry.geom_type == "MultiPolygon"
    assert result.features[1].geometry.geom_type == "Polygon"  # dissolved along the shared edge
    assert all(f.geometry.is_valid for f in result.features)
    assert (
        "repaired the invalid geometry of feature 1 'Nơ' (Self-intersection" in result.warnings[0]
    )
    assert "feature 2 'Dẹt' has a degenerate geometry" in result.warnings[1]
    assert "skipped 1 feature(s) with no geometry (features 4)" in result.warnings[2]


def test_points_in_a_boundary_import(tmp_path: Path) -> None:
    path = write(
        tmp_path / "posts.geojson", [shapely.Point(*REF_LONLAT)] * 2, geometry_type="Point",
        crs_code=crs.WGS84, driver="GeoJSON", name=["Chốt A", "Chốt B"],
    )  # fmt: skip
    with pytest.raises(GeoImportError) as err:
        read_layer(path, geometry_types=POLYGONS)
    assert "posts.geojson: feature 1 'Chốt A' is a Point" in str(err.value)
    assert "MultiPolygon or Polygon" in str(err.value) and err.value.feature == 1


def test_unknown_name_field_and_layer(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    for layer in ("wards", "posts"):
        write(
            path, [square(106.66, 10.83)], geometry_type="Polygon", crs_code=crs.WGS84,
            layer=layer, ten=["X"], ma=["1"],
        )  # fmt: skip
    with pytest.raises(GeoImportError, match=r"two.gpkg: has no field 'TEN'; .*: ten, ma"):
        read_layer(path, name_field="TEN", layer="wards")
    with pytest.raises(GeoImportError, match=r"two.gpkg: has no layer 'ward'; .*: wards, posts"):
        read_layer(path, layer="ward")
    result = read_layer(path)
    assert result.layer == "wards" and "has 2 layers (wards, posts)" in result.warnings[0]


def test_projected_geojson_without_crs_member(tmp_path: Path) -> None:
    path = tmp_path / "metres.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        f'"geometry": {{"type": "Point", "coordinates": [{REF_9210[0]}, {REF_9210[1]}]}}}}]}}'
    )
    with pytest.raises(GeoImportError, match=r"metres.geojson: is read as WGS 84 .*EPSG:9210"):
        read_layer(path)
    point = read_layer(path, crs="EPSG:9210").features[0].geometry
    assert (point.x, point.y) == pytest.approx(REF_LONLAT, abs=1e-7)
    # The same point with a "crs" member (GDAL writes one for a non-WGS 84 GeoJSON).
    declared = write(
        tmp_path / "declared.geojson", [shapely.Point(*REF_9210)], geometry_type="Point",
        crs_code=crs.VN2000_TM3_HCMC, driver="GeoJSON",
    )  # fmt: skip
    assert "EPSG::9210" in declared.read_text()
    result = read_layer(declared)
    assert result.source_crs == "EPSG:9210" and result.warnings == []
    point = result.features[0].geometry
    assert (point.x, point.y) == pytest.approx(REF_LONLAT, abs=1e-7)


# --- progress and cancel -------------------------------------------------------------------


def test_progress_and_cancel_in_batches(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    pts = list(shapely.points(106.64 + rng.random(2500) * 0.06, 10.81 + rng.random(2500) * 0.05))
    path = write(tmp_path / "many.shp", pts, geometry_type="Point", crs_code=crs.WGS84)
    calls: list[tuple[int, int]] = []
    result = read_layer(path, progress=lambda d, t: calls.append((d, t)))
    assert len(result.features) == 2500
    assert calls == [(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]

    cancel = threading.Event()
    seen: list[int] = []

    def stop_at_first(done: int, total: int) -> None:
        seen.append(done)
        cancel.set()

    with pytest.raises(ImportCancelled, match=r"many.shp: import cancelled"):
        read_layer(path, progress=stop_at_first, cancel=cancel)
    assert seen == [0]
    csv_path = write_csv(tmp_path / "p.csv", [["x", "y"], ["106.6", "10.8"]])
    with pytest.raises(ImportCancelled):
        read_points_csv(csv_path, x="x", y="y", progress=stop_at_first, cancel=cancel)
    assert seen == [0, 0] and issubclass(ImportCancelled, GeoImportError)


def test_cancel_geojson_after_first_progress() -> None:
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def stop_at_first(done: int, total: int) -> None:
        seen.append((done, total))
        cancel.set()

    with pytest.raises(ImportCancelled, match=r"govap_roads_osm2018.geojson: import cancelled"):
        read_layer(data("osm/govap_roads_osm2018.geojson"), progress=stop_at_first, cancel=cancel)
    assert seen == [(0, 1506)]


# --- legacy encodings ----------------------------------------------------------------------

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


def vietnamese_letters() -> list[str]:
    letters = set(_LETTERS)
    for base in "aăâeêioôơuưy":
        letters.update(unicodedata.normalize("NFC", base + tone) for tone in _TONES)
    lower = sorted(letters)
    assert len(lower) == 29 + 12 * 5  # 29 letters of the alphabet, 60 toned vowels
    return lower + [c.upper() for c in lower]


@pytest.mark.parametrize(
    ("encode", "decode"),
    [(legacy.encode_tcvn3, legacy.decode_tcvn3), (legacy.encode_vni, legacy.decode_vni)],
    ids=["TCVN3", "VNI"],
)
def test_every_vietnamese_letter_round_trips(encode: Any, decode: Any) -> None:
    letters = vietnamese_letters()
    for letter in letters:
        assert decode(encode(letter)) == letter, letter
    text = " ".join(letters)
    assert decode(encode(text)) == text


def test_legacy_detection_samples() -> None:
    # The mojibake forms people actually see, as given in the brief.
    assert legacy.decode_tcvn3("Ph­êng".encode("cp1252")) == "Phường"
    assert legacy.decode_vni("Phöôøng".encode("cp1252")) == "Phường"
    assert legacy.detect_legacy_encoding(["Ph­êng 10", "Hµ Néi"]) == legacy.TCVN3
    assert legacy.detect_legacy_encoding(["Phöôøng 10", "Haø Noäi"]) == legacy.VNI
    utf8_as_latin1 = "Phường Gò Vấp".encode().decode("latin-1")
    assert legacy.detect_legacy_encoding([utf8_as_latin1]) == legacy.UTF8
    # VNI words that happen to use only Latin-1 letters, e.g. "Taân Phuù" for "Tân Phú".
    assert legacy.detect_legacy_encoding(["Taân Phuù", "Goø Vaáp"]) == legacy.VNI
    words = "Nguyễn Văn Lượng khuỷu người giữa quốc Hoà thuở uống oanh Hoằng Quận Hội Tây"
    assert all(legacy.is_vietnamese_word(w) for w in words.split())
    assert not any(map(legacy.is_vietnamese_word, ["Taân", "Phuù", "Phửụứng", "cafộ", "Müller"]))
    clean = (["Gò"], ["Tân Phú", "Bà"], ["Phường Gò Vấp"], ["Café Müller"], ["ASCII"], [None])
    for values in clean:
        assert legacy.detect_legacy_encoding(values) is None, values
