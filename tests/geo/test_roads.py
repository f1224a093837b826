"""Road networks read from real files: the OSM extract of Gò Vấp, and lines written here by
GDAL as GeoJSON, Shapefile (VN-2000), GeoPackage (UTM 48N) and KML."""

from __future__ import annotations

import collections
from pathlib import Path

import pyogrio
import pytest
import shapely
from pyogrio import raw

from gvcommand.geo import crs
from gvcommand.geo.importers import GeoImportError
from gvcommand.geo.roads import DEFAULT_CLASS, geodesic_length_m, read_roads

from .test_importers import data, projected, write

QUANG_TRUNG = shapely.LineString([(106.650, 10.835), (106.660, 10.830), (106.670, 10.826)])
ALLEY = shapely.MultiLineString([[(106.661, 10.840), (106.662, 10.841)],
                                 [(106.662, 10.841), (106.664, 10.841)]])


def test_osm_extract_of_go_vap() -> None:
    roads = read_roads(data("osm/govap_roads_osm2018.geojson"))
    assert len(roads.lines) == 1506 and roads.class_field == "highway"
    classes = collections.Counter(line.road_class for line in roads.lines)
    assert classes["residential"] == 612 and classes["primary"] == 40
    assert classes["service"] == 539
    # the whole ways, including the parts beyond the district boundary (see SOURCES.md's
    # 294.5 km, which is the length inside the boundary)
    assert roads.length_km == pytest.approx(310.843, abs=0.01)
    named = {line.name for line in roads.lines if line.name}
    assert {"Quang Trung", "Phan Văn Trị", "Nguyễn Oanh"} <= named
    assert roads.source_crs == crs.WGS84


def test_shapefile_in_vn2000_with_class_and_name_fields(tmp_path: Path) -> None:
    lines = [projected(g, crs.VN2000_TM3_HCMC) for g in (QUANG_TRUNG, ALLEY)]
    path = write(tmp_path / "duong.shp", lines, geometry_type="MultiLineString",
                 crs_code=crs.VN2000_TM3_HCMC, ten_duong=["Quang Trung", None],
                 cap=["chinh", "hem"])
    roads = read_roads(path, name_field="ten_duong", class_field="cap")
    assert roads.source_crs == crs.VN2000_TM3_HCMC
    assert [(r.name, r.road_class) for r in roads.lines] == [("Quang Trung", "chinh"),
                                                             (None, "hem")]
    # back in WGS 84, within a centimetre or so of the original
    assert roads.lines[0].length_m == pytest.approx(geodesic_length_m(QUANG_TRUNG), abs=0.05)
    assert roads.lines[0].geometry.hausdorff_distance(QUANG_TRUNG) < 1e-7


def test_geopackage_utm48n_and_kml(tmp_path: Path) -> None:
    gpkg = write(tmp_path / "roads.gpkg", [projected(QUANG_TRUNG, crs.UTM48N)],
                 geometry_type="LineString", crs_code=crs.UTM48N, name=["Quang Trung"],
                 fclass=["primary"])
    [line] = read_roads(gpkg).lines
    assert (line.name, line.road_class) == ("Quang Trung", "primary")
    assert line.length_m == pytest.approx(geodesic_length_m(QUANG_TRUNG), abs=0.05)
    kml = write(tmp_path / "roads.kml", [QUANG_TRUNG, ALLEY], geometry_type="Unknown",
                crs_code=crs.WGS84, driver="KML", Name=["Quang Trung", "Hẻm 12"])
    roads = read_roads(kml)
    assert [r.name for r in roads.lines] == ["Quang Trung", "Hẻm 12"]
    assert {r.road_class for r in roads.lines} == {DEFAULT_CLASS}
    assert any("no road class field" in w for w in roads.warnings)
    assert roads.lines[1].geometry.geom_type == "MultiLineString"


def test_polygons_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "wards.geojson", [shapely.box(106.65, 10.82, 106.66, 10.83)],
                 geometry_type="Polygon", crs_code=crs.WGS84, name=["Phường 1"])
    with pytest.raises(GeoImportError) as info:
        read_roads(path)
    message = str(info.value)
    assert str(path) in message and "Polygon" in message and "lines" in message
    assert info.value.feature == 1


def test_unknown_class_field_lists_the_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "r.geojson", [QUANG_TRUNG], geometry_type="LineString",
                 crs_code=crs.WGS84, name=["Quang Trung"], highway=["primary"])
    with pytest.raises(GeoImportError, match=r"no field 'loai'.*name, highway"):
        read_roads(path, class_field="loai")


def test_sources_294_km_is_the_length_inside_the_district() -> None:
    """SOURCES.md gives 294.5 km for this file; the file measures 310.84 km. The file holds
    whole OSM ways that touch Gò Vấp (1,501 of its 1,506 ways cross the district boundary of
    the same 2018 extract, OSM relation 6908316); clipped to that boundary they measure
    294.1 km on the ellipsoid (294.7 km on a sphere): the published figure is the length
    inside the district, and the 16.7 km beyond it make the difference."""
    pbf = data("osm/hcmc_2018.osm.pbf")
    if "OSM" not in pyogrio.list_drivers():
        pytest.skip("this GDAL has no OSM driver")
    _meta, _fids, wkb, _cols = raw.read(str(pbf), layer="multipolygons",
                                        where="osm_id = '6908316'", columns=["name"])
    boundary = shapely.from_wkb(wkb[0])
    roads = read_roads(data("osm/govap_roads_osm2018.geojson"))
    assert sum(line.geometry.intersects(boundary) for line in roads.lines) == 1501
    inside = sum(geodesic_length_m(line.geometry.intersection(boundary))
                 for line in roads.lines) / 1000
    assert inside == pytest.approx(294.5, abs=0.5)
    assert roads.length_km - inside == pytest.approx(16.7, abs=0.1)
