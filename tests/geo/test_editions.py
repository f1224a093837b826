"""Boundary editions: which ward on which day, borders, re-aggregation across editions.

Synthetic editions on Gò Vấp's extent (lon 106.64–106.70, lat 10.81–10.86): 16 wards as a
4 x 4 grid (until 2024-12-31), 12 wards where each row's first two cells merged (first half
of 2025), and 6 wards as a 3 x 2 grid whose column lines cut through the old cells (since
2025-07-01), so that re-aggregation has to split wards.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point, Polygon, box, shape  # type: ignore[import-untyped]

from gvcommand.geo.editions import BoundaryEdition, EditionSet, WardBoundary, reaggregate

from .._needs import SHARED_DATA

LON = (106.64, 106.655, 106.67, 106.685, 106.70)
LAT = (10.81, 10.8225, 10.835, 10.8475, 10.86)
KMZ_DIR = SHARED_DATA / "boundaries" / "govap_wards_2025_kmz"
OUTLINE = SHARED_DATA / "boundaries" / "govap_district_outline_gischinhphu.geojson"


def _cell(r: int, c: int, width: int = 1) -> Polygon:
    return box(LON[c], LAT[r], LON[c + width], LAT[r + 1])


def edition_16() -> BoundaryEdition:
    wards = tuple(
        WardBoundary(f"A{r * 4 + c + 1:02d}", f"Phường {r * 4 + c + 1}", _cell(r, c))
        for r in range(4)
        for c in range(4)
    )
    return BoundaryEdition("16 phường", dt.date(2008, 1, 1), dt.date(2024, 12, 31), wards)


def edition_12() -> BoundaryEdition:
    """Each row's cells 1 and 2 merge into the ward keeping the first code (A02 → A01)."""
    wards: list[WardBoundary] = []
    for r in range(4):
        first = r * 4 + 1
        wards.append(WardBoundary(f"A{first:02d}", f"Phường {first}", _cell(r, 0, width=2)))
        wards += [
            WardBoundary(f"A{first + c:02d}", f"Phường {first + c}", _cell(r, c)) for c in (2, 3)
        ]
    return BoundaryEdition("12 phường", dt.date(2025, 1, 1), dt.date(2025, 6, 30), tuple(wards))


SIX_LON = (106.64, 106.66, 106.68, 106.70)
SIX_LAT = (10.81, 10.835, 10.86)


def edition_6() -> BoundaryEdition:
    wards = tuple(
        WardBoundary(
            f"C{r * 3 + c + 1}",
            f"Phường mới {r * 3 + c + 1}",
            box(SIX_LON[c], SIX_LAT[r], SIX_LON[c + 1], SIX_LAT[r + 1]),
        )
        for r in range(2)
        for c in range(3)
    )
    return BoundaryEdition("6 phường", dt.date(2025, 7, 1), None, wards)


@pytest.fixture(scope="module")
def editions() -> EditionSet:
    # Added out of order on purpose: the set keeps them chronological.
    return EditionSet([edition_6(), edition_16(), edition_12()])


def _code(ward: WardBoundary | None) -> str | None:
    return ward.code if ward is not None else None


def test_a_point_changes_ward_with_the_edition(editions: EditionSet) -> None:
    lon, lat = 106.662, 10.815  # in old cell A02, in the A01+A02 merger, in new C2
    assert _code(editions.ward_at(lon, lat, dt.date(2024, 12, 31))) == "A02"
    assert _code(editions.ward_at(lon, lat, dt.date(2025, 1, 1))) == "A01"
    assert _code(editions.ward_at(lon, lat, dt.date(2025, 6, 30))) == "A01"
    assert _code(editions.ward_at(lon, lat, dt.date(2025, 7, 1))) == "C2"
    assert _code(editions.ward_at(lon, lat, dt.date(2031, 1, 1))) == "C2"
    assert [e.name for e in editions] == ["16 phường", "12 phường", "6 phường"]


def test_datetimes_use_vietnam_calendar_day(editions: EditionSet) -> None:
    utc_evening = dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in Hà Nội
    assert editions.edition_for(utc_evening) is editions.editions[2]
    assert editions.edition_for(dt.datetime(2025, 6, 30, 23, 59)) is editions.editions[1]


def test_no_edition_before_the_first(editions: EditionSet) -> None:
    assert editions.edition_for(dt.date(2000, 1, 1)) is None
    assert editions.ward_at(106.662, 10.815, dt.date(2000, 1, 1)) is None


def test_gap_between_editions_gives_none() -> None:
    first = edition_16()
    later = BoundaryEdition("later", dt.date(2025, 3, 1), None, edition_6().wards)
    assert EditionSet([first, later]).edition_for(dt.date(2025, 2, 1)) is None


def test_point_outside_every_ward(editions: EditionSet) -> None:
    for day in (dt.date(2024, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 8, 1)):
        assert editions.ward_at(106.80, 10.80, day) is None
        assert editions.ward_at(-90.05, 35.15, day) is None  # Memphis


def test_overlapping_validity_refused_naming_both(editions: EditionSet) -> None:
    clash = BoundaryEdition("draft 2025", dt.date(2025, 6, 1), None, edition_6().wards)
    with pytest.raises(ValueError, match=r"'draft 2025'.*overlaps.*'12 phường'"):
        editions.add(clash)
    with pytest.raises(ValueError, match="already exists"):
        EditionSet([edition_16()]).add(
            BoundaryEdition("16 phường", dt.date(2030, 1, 1), None, edition_6().wards)
        )
    with pytest.raises(ValueError, match="valid_to"):
        BoundaryEdition("backwards", dt.date(2025, 1, 2), dt.date(2025, 1, 1), ())
    assert len(editions) == 3


def test_invalid_ward_geometry_refused() -> None:
    bow_tie = Polygon([(106.64, 10.81), (106.65, 10.82), (106.65, 10.81), (106.64, 10.82)])
    with pytest.raises(ValueError, match="Self-intersection"):
        WardBoundary("X", "bow tie", bow_tie)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (LON[1], 10.816, "A01"),  # edge shared by A01 and A02
        (106.66, 10.8225, "A02"),  # edge shared by A02 and A06
        (LON[1], LAT[1], "A01"),  # corner of A01, A02, A05, A06
        (LON[0], LAT[0], "A01"),  # outer corner: on the boundary counts as inside
    ],
)
def test_border_points_resolve_to_lowest_code(lon: float, lat: float, expected: str) -> None:
    forward = edition_16()
    backward = BoundaryEdition(
        "reversed", forward.valid_from, forward.valid_to, forward.wards[::-1]
    )
    assert _code(forward.ward_at(lon, lat)) == expected
    assert _code(backward.ward_at(lon, lat)) == expected


def test_area_of_synthetic_edition() -> None:
    # 0.06° x 0.05° near 10.8° N ≈ 6.56 km x 5.53 km; all editions tile the same rectangle.
    areas = [e().area_km2() for e in (edition_16, edition_12, edition_6)]
    assert areas[0] == pytest.approx(36.3, abs=0.3)
    # geodesic edges: a merged box differs from its two halves by ~1e-8 relative
    assert areas[1] == pytest.approx(areas[0], rel=1e-6)
    assert areas[2] == pytest.approx(areas[0], rel=1e-6)


def test_reaggregate_splits_straddling_ward_by_area() -> None:
    # A02 spans lon 106.655–106.670; C1 ends at 106.660, so a third goes to C1, two to C2.
    result = reaggregate({"A02": 30.0}, edition_16(), edition_6())
    assert result["C1"] == pytest.approx(10.0, rel=1e-3)
    assert result["C2"] == pytest.approx(20.0, rel=1e-3)
    assert sum(v for k, v in result.items() if k not in ("C1", "C2")) == 0.0
    assert sorted(result) == [f"C{i}" for i in range(1, 7)]
    # A07 (row 1, lon 106.670–106.685) splits 2:1 between C2 and C3.
    result = reaggregate({"A07": 9.0}, edition_16(), edition_6())
    assert (result["C2"], result["C3"]) == pytest.approx((6.0, 3.0), rel=1e-3)


def test_reaggregate_preserves_totals_and_identity() -> None:
    rng = np.random.default_rng(3)
    counts = {w.code: float(rng.integers(0, 200)) for w in edition_16().wards}
    for target in (edition_12(), edition_6()):
        result = reaggregate(counts, edition_16(), target)
        assert sum(result.values()) == pytest.approx(sum(counts.values()), rel=1e-9)
    merged = reaggregate(counts, edition_16(), edition_12())
    assert merged["A01"] == pytest.approx(counts["A01"] + counts["A02"], rel=1e-9)
    assert merged["A03"] == pytest.approx(counts["A03"], rel=1e-9)
    assert reaggregate(counts, edition_16(), edition_16()) == pytest.approx(counts, rel=1e-9)


def test_reaggregate_refuses_what_it_cannot_place() -> None:
    with pytest.raises(ValueError, match="not in edition"):
        reaggregate({"Z99": 1.0}, edition_16(), edition_6())
    far = BoundaryEdition(
        "far", dt.date(2030, 1, 1), None, (WardBoundary("F", "far", box(107, 11, 107.1, 11.1)),)
    )
    with pytest.raises(ValueError, match="overlaps no ward"):
        reaggregate({"F": 1.0}, far, edition_6())
    assert reaggregate({"F": 0.0}, far, edition_6()) == {f"C{i}": 0.0 for i in range(1, 7)}
    with pytest.raises(ValueError, match="unsupported"):
        reaggregate({}, edition_16(), edition_6(), weights="population")  # type: ignore[arg-type]


def _brute_force(edition: BoundaryEdition, lon: float, lat: float) -> str | None:
    """The definition ward_at must match: the first ward by code whose polygon covers it."""
    point = Point(lon, lat)
    hits = sorted(w.code for w in edition.wards if w.geometry.covers(point))
    return hits[0] if hits else None


@pytest.mark.parametrize("make", [edition_16, edition_12, edition_6])
def test_ward_at_agrees_with_brute_force(make: Callable[[], BoundaryEdition]) -> None:
    edition = make()
    rng = np.random.default_rng(11)
    lon = rng.uniform(106.62, 106.72, 2000)  # some points fall outside the district
    lat = rng.uniform(10.79, 10.88, 2000)
    # snap a quarter of them onto grid lines, where the tie rule matters
    lon[:250] = rng.choice(LON + SIX_LON, 250)
    lat[250:500] = rng.choice(LAT + SIX_LAT, 250)
    vectorised = [_code(w) for w in edition.wards_at(lon, lat)]
    for i in range(2000):
        expected = _brute_force(edition, lon[i], lat[i])
        assert _code(edition.ward_at(lon[i], lat[i])) == expected
        assert vectorised[i] == expected
    if make is edition_16:  # plain containment agrees away from borders
        inside = [Point(x, y) for x, y in zip(lon[500:], lat[500:], strict=True)]
        for p, code in zip(inside, vectorised[500:], strict=True):
            contained = [w.code for w in edition.wards if w.geometry.contains(p)]
            assert contained == ([code] if code else [])


def test_ten_thousand_points(editions: EditionSet) -> None:
    """Loose sanity check that look-ups are index-backed; timings live in benchmarks/."""
    rng = np.random.default_rng(5)
    lon = rng.uniform(106.64, 106.70, 10_000)
    lat = rng.uniform(10.81, 10.86, 10_000)
    edition = editions.edition_for(dt.date(2024, 5, 1))
    assert edition is not None
    assert all(w is not None for w in edition.wards_at(lon, lat))
    singles = [edition.ward_at(x, y) for x, y in zip(lon, lat, strict=True)]
    assert len({w.code for w in singles if w is not None}) == 16


def _read_kmz_polygons(path: Path) -> tuple[str, str, Polygon]:
    """(ma_xa, ten_xa, polygon) from one KMZ; enough KML for this data set, not an importer."""
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".kml"))))

    def ring(el: ET.Element) -> list[tuple[float, float]]:
        text = el.findtext(".//k:coordinates", default="", namespaces=ns)
        return [(float(t.split(",")[0]), float(t.split(",")[1])) for t in text.split()]

    placemark = root.find(".//k:Placemark", ns)
    assert placemark is not None
    data = {
        d.get("name"): d.findtext("k:value", namespaces=ns)
        for d in placemark.iter(f"{{{ns['k']}}}Data")
    }
    polygons = [
        Polygon(
            ring(p.find("k:outerBoundaryIs", ns)),  # type: ignore[arg-type]
            [ring(h) for h in p.findall("k:innerBoundaryIs", ns)],
        )
        for p in placemark.iter(f"{{{ns['k']}}}Polygon")
    ]
    assert len(polygons) == 1
    return str(data["ma_xa"]), str(data["ten_xa"]), polygons[0]


@pytest.mark.shared_data(KMZ_DIR, OUTLINE)
def test_real_2025_wards() -> None:
    wards = tuple(WardBoundary(*_read_kmz_polygons(p)) for p in sorted(KMZ_DIR.glob("*.kmz")))
    six = BoundaryEdition("6 phường (2025-07)", dt.date(2025, 7, 1), None, wards)
    assert len(six.wards) == 6
    assert six.area_km2() == pytest.approx(19.73, abs=0.05)
    outline = json.loads(OUTLINE.read_text(encoding="utf-8"))["features"][0]["geometry"]
    district = BoundaryEdition(
        "quận Gò Vấp",
        dt.date(2008, 1, 1),
        dt.date(2025, 6, 30),
        (WardBoundary("764", "Gò Vấp", shape(outline)),),
    )
    result = reaggregate({"764": 1000.0}, district, six)
    assert sum(result.values()) == pytest.approx(1000.0)
    assert all(v > 50 for v in result.values())  # every new ward lies in the old district
    ward = EditionSet([district, six]).ward_at(106.665, 10.838, dt.date(2025, 8, 1))
    assert ward is not None and ward.code in {w.code for w in wards}
