"""Points of interest read from real files: the OSM extract of Gò Vấp, and points and areas
written here by GDAL as GeoJSON, Shapefile (VN-2000) and GeoPackage (UTM 48N)."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import shapely

from gvcommand.analysis.gazetteer import POI, Gazetteer
from gvcommand.geo import crs
from gvcommand.geo.importers import GeoImportError
from gvcommand.geo.places import DEFAULT_KIND, read_places

from .test_importers import data, projected, write

MARKET = shapely.Point(106.6655, 10.8385)
SCHOOL_GROUNDS = shapely.Polygon([(106.660, 10.830), (106.662, 10.830), (106.662, 10.832),
                                  (106.660, 10.832)])


def test_osm_extract_of_go_vap_named_places_found_in_the_gazetteer() -> None:
    found = read_places(data("osm/govap_pois_osm2018.geojson"))
    # 394 points (SOURCES.md); 63 have no name and are of no use to a search by name
    assert len(found.places) + found.unnamed == 394
    assert found.unnamed == 63 and any("63 feature(s) without a name" in w
                                       for w in found.warnings)
    kinds = collections.Counter(p.kind for p in found.places)
    assert kinds["school"] == 51 and kinds["place_of_worship"] == 15
    assert found.kind_fields[:2] == ["amenity", "shop"]
    g = Gazetteer()
    g.add_places((p.name, p.kind, p.lon, p.lat) for p in found.places)
    [pagoda] = [p for p in g.search("chua sac tu truong tho") if p.kind == POI]
    assert pagoda.name == "Chùa sắc tứ Trường Thọ" and pagoda.detail == "place_of_worship"
    assert 106.6 < pagoda.lon < 106.72 and 10.8 < pagoda.lat < 10.88


def test_shapefile_in_vn2000_point_and_geopackage_area(tmp_path: Path) -> None:
    shp = write(tmp_path / "dia_diem.shp", [projected(MARKET, crs.VN2000_TM3_HCMC)],
                geometry_type="Point", crs_code=crs.VN2000_TM3_HCMC, ten=["Chợ Gò Vấp"],
                loai=["marketplace"])
    [market] = read_places(shp, name_field="ten", kind_field="loai").places
    assert (market.name, market.kind) == ("Chợ Gò Vấp", "marketplace")
    assert market.lon == pytest.approx(MARKET.x, abs=1e-7)
    assert market.lat == pytest.approx(MARKET.y, abs=1e-7)
    gpkg = write(tmp_path / "truong.gpkg", [projected(SCHOOL_GROUNDS, crs.UTM48N)],
                 geometry_type="Polygon", crs_code=crs.UTM48N, name=["Trường THCS Gò Vấp"])
    [school] = read_places(gpkg).places
    # an area is found at a point inside it; no kind field: a plain place, said so
    assert SCHOOL_GROUNDS.buffer(1e-7).contains(shapely.Point(school.lon, school.lat))
    assert school.kind == DEFAULT_KIND


def test_lines_refused_and_nameless_file_refused(tmp_path: Path) -> None:
    line = shapely.LineString([(106.65, 10.83), (106.66, 10.84)])
    roads = write(tmp_path / "duong.geojson", [line], geometry_type="LineString",
                  crs_code=crs.WGS84, name=["Quang Trung"])
    with pytest.raises(GeoImportError, match="Places are points"):
        read_places(roads)
    nameless = write(tmp_path / "x.geojson", [MARKET], geometry_type="Point",
                     crs_code=crs.WGS84, amenity=["fuel"])
    with pytest.raises(GeoImportError, match="nothing to search for"):
        read_places(nameless)
    bad_field = write(tmp_path / "y.geojson", [MARKET], geometry_type="Point",
                      crs_code=crs.WGS84, name=["A"])
    with pytest.raises(GeoImportError, match="has no field 'loai'"):
        read_places(bad_field, kind_field="loai")
