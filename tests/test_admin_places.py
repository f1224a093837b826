"""`gvcommand-admin import-places` on the real OSM points of interest and on files written
here; what it stores is tamper-evident and what the intake's gazetteer searches."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import LineString, Point
from sqlalchemy import update

from gvcommand.analysis.gazetteer import POI, Gazetteer
from gvcommand.core import events as ev
from gvcommand.store import schema
from gvcommand.store.places import load_place_sets, load_places, verify_places

from ._needs import SHARED_DATA
from .test_admin_cli import admin, db, ok, opened  # noqa: F401 - fixtures and helpers
from .test_admin_roads import geojson

POIS = SHARED_DATA / "osm" / "govap_pois_osm2018.geojson"
needs_pois = pytest.mark.shared_data(POIS)


@needs_pois
def test_the_osm_points_of_interest_of_go_vap(db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    result = ok(admin(db, "import-places", str(POIS), "--name", "OSM 2018"))
    assert "stored 331 places in 'OSM 2018'" in result.output
    assert "63 feature(s) without a name were skipped" in result.output  # a warning
    assert "school 51" in result.output
    with opened(db) as store:
        [place_set] = load_place_sets(store)
        assert (place_set.name, place_set.place_count) == ("OSM 2018", 331)
        places = load_places(store)
        assert len(places) == 331 and verify_places(store) == []
        head = store.head()
        assert store.state_at(seq=head[0]).place_set("OSM 2018") is not None
        g = Gazetteer()
        g.add_places((p.name, p.kind, p.lon, p.lat) for p in places)
        [pagoda] = [p for p in g.search("chua sac tu") if p.kind == POI]
        assert pagoda.name == "Chùa sắc tứ Trường Thọ"
    again = admin(db, "import-places", str(POIS), "--name", "OSM 2018")
    assert again.exit_code == 1 and "already imported" in again.output
    with opened(db) as store:
        assert store.head() == head


def test_places_altered_after_import_are_found_by_verify_log(
        tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    path = geojson(tmp_path / "cho.geojson", [
        ({"ten": "Chợ Gò Vấp", "amenity": "marketplace"}, Point(106.6655, 10.8385)),
        ({"ten": "Trường Nguyễn Du", "amenity": "school"}, Point(106.661, 10.831)),
    ])
    out = ok(admin(db, "import-places", str(path), "--name-field", "ten")).output
    assert "stored 2 places in 'cho'" in out
    ok(admin(db, "verify-log"))
    with opened(db) as store:
        with store.engine.begin() as conn:
            conn.execute(update(schema.places).where(schema.places.c.idx == 1)
                         .values(lon=106.7))
        assert verify_places(store) == ["places cho: places were altered after their "
                                        f"import (event {store.head()[0]})"]
        kinds = [e.kind for e in store.events_after(0)]
        assert ev.PLACES_IMPORTED in kinds
    broken = admin(db, "verify-log")
    assert broken.exit_code == 3 and "places cho: places were altered" in broken.output


def test_wrong_files_store_nothing(tmp_path: Path, db: str) -> None:  # noqa: F811
    ok(admin(db, "init"))
    with opened(db) as store:
        head = store.head()
    roads = geojson(tmp_path / "duong.geojson",
                    [({"name": "Quang Trung"}, LineString([(106.65, 10.83), (106.66, 10.84)]))])
    out = admin(db, "import-places", str(roads))
    assert out.exit_code == 1 and "Places are points" in out.output
    far = geojson(tmp_path / "far.geojson", [({"name": "Paris"}, Point(2.35, 48.85))])
    out = admin(db, "import-places", str(far))
    assert out.exit_code == 1 and "outside Vietnam" in out.output
    with opened(db) as store:
        assert store.head() == head and load_place_sets(store) == []
