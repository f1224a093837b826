"""Boundary editions: ward polygons with a validity period.

Why editions: Gò Vấp's wards are not stable. It had 16 wards until 2024-12-31, 12 from
2025-01-01 and 6 since 2025-07-01 (the district level itself was abolished). An incident
from 2024 belongs to the 2024 ward it happened in, not to today's; and statistics from
before a merge only compare with today's wards after re-aggregation. So boundaries are
data with a validity period, never code, and every "which ward?" question carries a date.

Plain data and shapely only: storing editions is the ``store`` layer's job.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import shapely  # type: ignore[import-untyped]
from shapely.geometry import MultiPolygon, Polygon  # type: ignore[import-untyped]

from gvcommand.core.centre_time import CENTRE_TZ
from gvcommand.geo import crs

_DENSIFY_DEG = 0.0005
"""About 55 m; see ``BoundaryEdition.projected_geometries``."""

VIETNAM_TZ = CENTRE_TZ  # the name the map, the wall and the demo import
"""Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset needs no tzdata."""


@dataclass(frozen=True)
class WardBoundary:
    """One ward of one edition: an administrative code, a display name, a WGS 84 polygon.

    Invalid geometries are refused here, because a self-intersecting ring gives wrong
    point-in-polygon answers silently; repairing them is the importer's decision.
    """

    code: str
    name: str
    geometry: Polygon | MultiPolygon

    def __post_init__(self) -> None:
        if not isinstance(self.geometry, Polygon | MultiPolygon):
            raise TypeError(
                f"ward {self.code}: expected a (Multi)Polygon, got {type(self.geometry).__name__}"
            )
        if self.geometry.is_empty or not self.geometry.is_valid:
            reason = shapely.is_valid_reason(self.geometry)
            raise ValueError(f"ward {self.code} ({self.name}): invalid geometry: {reason}")


def _local_date(day: dt.date | dt.datetime) -> dt.date:
    """The calendar day in Vietnam: aware datetimes are converted, naive ones taken as local."""
    if isinstance(day, dt.datetime):
        return (day.astimezone(VIETNAM_TZ) if day.tzinfo else day).date()
    return day


@dataclass
class BoundaryEdition:
    """The wards valid over ``[valid_from, valid_to]`` (inclusive; ``None`` = still valid).

    Point look-ups go through a shapely STRtree built on first use. Wards are held sorted
    by code so that a point on a shared border (which lies in both wards) resolves
    deterministically to the ward whose code sorts first.
    """

    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    wards: tuple[WardBoundary, ...]
    _tree: shapely.STRtree | None = field(default=None, init=False, repr=False, compare=False)
    _projected: tuple[Any, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(
                f"edition {self.name!r}: valid_to {self.valid_to} < valid_from {self.valid_from}"
            )
        codes = [w.code for w in self.wards]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"edition {self.name!r}: duplicate ward codes {duplicates}")
        self.wards = tuple(sorted(self.wards, key=lambda w: w.code))

    def covers(self, day: dt.date | dt.datetime) -> bool:
        """Whether this edition is in force on ``day`` (a date in Vietnam)."""
        local = _local_date(day)
        return self.valid_from <= local and (self.valid_to is None or local <= self.valid_to)

    def period(self) -> str:
        """ "2025-01-01 – 2025-06-30" or "2025-07-01 – …", for messages."""
        return f"{self.valid_from} – {self.valid_to or '…'}"

    def ward(self, code: str) -> WardBoundary:
        """The ward with ``code``; ``KeyError`` names the edition when it is missing."""
        for w in self.wards:
            if w.code == code:
                return w
        raise KeyError(f"edition {self.name!r} has no ward {code!r}")

    def _index(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree([w.geometry for w in self.wards])
        return self._tree

    def ward_indices(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.intp]:
        """For each point, the index into ``wards`` of the ward it lies in, or -1.

        Vectorised: one STRtree query for all points. A point on a border (or a node shared
        by two wards) gets the lowest index, i.e. the ward whose code sorts first.
        """
        lons = np.atleast_1d(np.asarray(lon, dtype=float))
        lats = np.atleast_1d(np.asarray(lat, dtype=float))
        points = shapely.points(lons, lats)
        point_idx, ward_idx = self._index().query(points, predicate="intersects")
        none = len(self.wards)
        best = np.full(lons.shape, none, dtype=np.intp)
        np.minimum.at(best, point_idx, ward_idx)
        best[best == none] = -1
        return best

    def wards_at(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> list[WardBoundary | None]:
        """The ward (or ``None``) for each of many points; see ``ward_indices``."""
        return [self.wards[i] if i >= 0 else None for i in self.ward_indices(lon, lat)]

    def ward_at(self, lon: float, lat: float) -> WardBoundary | None:
        """The ward containing (lon, lat) in WGS 84, ``None`` outside every ward.

        Points on a shared border resolve to the ward whose code sorts first.
        """
        return self.wards_at(lon, lat)[0]

    def area_km2(self) -> float:
        """Sum of the wards' geodesic areas (km²); wards of one edition do not overlap."""
        return sum(crs.geodesic_area_km2(w.geometry) for w in self.wards)

    def projected_geometries(self) -> tuple[Any, ...]:
        """The wards' geometries in EPSG:9210 (metres), cached, for overlap areas.

        Edges are first split every ~55 m (``_DENSIFY_DEG``): only vertices are projected,
        and a long straight lon/lat edge (as ``ward_at`` sees it) is a curve in metres, so
        without this, two editions sharing a border but not its vertices would overlap in
        thin slivers. Real ward outlines have short edges and gain few vertices.
        """
        if self._projected is None:
            self._projected = tuple(
                crs.transform_geometry(
                    shapely.segmentize(w.geometry, _DENSIFY_DEG), crs.WGS84, crs.VN2000_TM3_HCMC
                )
                for w in self.wards
            )
        return self._projected


def _overlaps(a: BoundaryEdition, b: BoundaryEdition) -> bool:
    a_end = a.valid_to or dt.date.max
    b_end = b.valid_to or dt.date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


class EditionSet:
    """Several editions with disjoint validity periods; answers "which ward, on which day"."""

    def __init__(self, editions: Iterable[BoundaryEdition] = ()) -> None:
        self._editions: list[BoundaryEdition] = []
        for edition in editions:
            self.add(edition)

    def add(self, edition: BoundaryEdition) -> None:
        """Add an edition; refuse one whose period overlaps an existing one or reuses a name.

        Overlaps are refused rather than resolved because two editions valid on the same
        day would make "which ward?" depend on insertion order.
        """
        for other in self._editions:
            if other.name == edition.name:
                raise ValueError(f"an edition named {edition.name!r} already exists")
            if _overlaps(other, edition):
                raise ValueError(
                    f"edition {edition.name!r} ({edition.period()}) overlaps "
                    f"edition {other.name!r} ({other.period()})"
                )
        bisect.insort(self._editions, edition, key=lambda e: e.valid_from)

    @property
    def editions(self) -> tuple[BoundaryEdition, ...]:
        """The editions in chronological order."""
        return tuple(self._editions)

    def __iter__(self) -> Iterator[BoundaryEdition]:
        return iter(self._editions)

    def __len__(self) -> int:
        return len(self._editions)

    def edition_for(self, day: dt.date | dt.datetime) -> BoundaryEdition | None:
        """The edition in force on ``day`` (Vietnam's calendar day), ``None`` in a gap."""
        local = _local_date(day)
        i = bisect.bisect_right(self._editions, local, key=lambda e: e.valid_from) - 1
        if i >= 0 and self._editions[i].covers(local):
            return self._editions[i]
        return None

    def ward_at(self, lon: float, lat: float, day: dt.date | dt.datetime) -> WardBoundary | None:
        """The ward containing (lon, lat) on ``day``; ``None`` without edition or ward."""
        edition = self.edition_for(day)
        return edition.ward_at(lon, lat) if edition is not None else None


def overlap_weights(
    from_edition: BoundaryEdition, to_edition: BoundaryEdition
) -> dict[str, dict[str, float]]:
    """For each source ward, the share (summing to 1) of it that falls in each target ward.

    Shares are intersection areas in EPSG:9210 divided by the part of the source ward that
    any target ward covers, so slivers where two editions' outlines disagree do not lose
    counts. A source ward no target ward touches gets an empty mapping.
    """
    targets = to_edition.projected_geometries()
    tree = shapely.STRtree(list(targets))
    weights: dict[str, dict[str, float]] = {}
    for ward, geom in zip(from_edition.wards, from_edition.projected_geometries(), strict=True):
        candidates = tree.query(geom, predicate="intersects")
        areas = {
            to_edition.wards[j].code: float(shapely.area(shapely.intersection(geom, targets[j])))
            for j in sorted(candidates)
        }
        total = sum(areas.values())
        weights[ward.code] = {c: a / total for c, a in areas.items() if a > 0} if total > 0 else {}
    return weights


def reaggregate(
    counts: Mapping[str, float],
    from_edition: BoundaryEdition,
    to_edition: BoundaryEdition,
    *,
    weights: Literal["area"] = "area",
) -> dict[str, float]:
    """Per-ward statistics of ``from_edition`` expressed in the wards of ``to_edition``.

    Each source ward's count is split over the target wards in proportion to the area they
    share (measured in metres, EPSG:9210). This assumes events are spread evenly inside a
    ward — the standard areal-weighting assumption, good enough to compare 2024 figures
    with 2025 wards, not to place single incidents. Totals are preserved; the result has
    every target ward (zeros included). Unknown codes, or a non-zero count in a ward no
    target ward overlaps, raise ``ValueError`` rather than silently losing counts.
    """
    if weights != "area":
        raise ValueError(f"unsupported weighting {weights!r}; only 'area' is implemented")
    known = {w.code for w in from_edition.wards}
    unknown = sorted(set(counts) - known)
    if unknown:
        raise ValueError(f"codes not in edition {from_edition.name!r}: {unknown}")
    shares = overlap_weights(from_edition, to_edition)
    result = {w.code: 0.0 for w in to_edition.wards}
    for code, value in counts.items():
        if value == 0:
            continue
        if not shares[code]:
            raise ValueError(
                f"ward {code!r} of {from_edition.name!r} overlaps no ward of {to_edition.name!r}"
            )
        for target, share in shares[code].items():
            result[target] += value * share
    return result
