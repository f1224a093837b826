"""Find places by name: streets of the road network, wards, complex points, points of
interest. Officers type without diacritics and in any case ("quang trung", "go vap"), so
names are compared folded: Vietnamese marks removed, đ → d, lower case, one space.

A street is many road segments; it is found once, at the point of its geometry nearest the
middle of its extent (a point on the street itself, not a centroid in someone's yard).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import shapely  # type: ignore[import-untyped]
import shapely.ops  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

STREET, WARD, COMPLEX_POINT, POI = "street", "ward", "complex_point", "poi"
_KIND_ORDER = {WARD: 0, STREET: 1, COMPLEX_POINT: 2, POI: 3}
_SPACES = re.compile(r"[\s,.;:/\\\-_()]+")


def fold(text: str) -> str:
    """``"Đường Quang  Trung"`` → ``"duong quang trung"``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # STREET, WARD, COMPLEX_POINT or POI
    name: str
    lon: float
    lat: float
    ident: str = ""  # ward or complex point code; "" for streets and POIs
    detail: str = ""  # e.g. the road class or the POI's kind


class Gazetteer:
    def __init__(self) -> None:
        self._places: list[tuple[str, Place]] = []

    def __len__(self) -> int:
        return len(self._places)

    def add(self, place: Place) -> None:
        if place.name.strip():
            self._places.append((fold(place.name), place))

    def add_streets(self, segments: Iterable[tuple[str | None, str, BaseGeometry]]) -> int:
        """Road segments as (name, class, WGS84 line); unnamed ones are skipped. Returns
        how many streets were added."""
        parts: dict[str, list[BaseGeometry]] = {}
        classes: dict[str, str] = {}
        for name, road_class, geometry in segments:
            name = (name or "").strip()
            if name:
                parts.setdefault(name, []).append(geometry)
                classes.setdefault(name, road_class)
        for name, geometries in parts.items():
            street = shapely.union_all(geometries) if len(geometries) > 1 else geometries[0]
            middle = street.envelope.centroid
            on_street = shapely.ops.nearest_points(street, middle)[0]
            self.add(Place(STREET, name, on_street.x, on_street.y, detail=classes[name]))
        return len(parts)

    def add_areas(self, kind: str, areas: Iterable[tuple[str, str, BaseGeometry]]) -> None:
        """Wards as (code, name, WGS84 polygon): found at a point inside."""
        for code, name, polygon in areas:
            inside = polygon.representative_point()
            self.add(Place(kind, name, inside.x, inside.y, ident=code))

    def add_points(self, kind: str, points: Iterable[tuple[str, str, float, float]],
                   detail: str = "") -> None:
        """Named points as (code, name, lon, lat)."""
        for code, name, lon, lat in points:
            self.add(Place(kind, name, lon, lat, ident=code, detail=detail))

    def add_places(self, places: Iterable[tuple[str, str, float, float]]) -> None:
        """Points of interest as (name, kind, lon, lat); the kind (e.g. OSM's "marketplace")
        becomes the place's detail."""
        for name, kind, lon, lat in places:
            self.add(Place(POI, name, lon, lat, detail=kind))

    def search(self, query: str, limit: int = 20) -> list[Place]:
        """Places whose folded name contains every word of the folded query, best first:
        the whole name, then names starting with the query, then the query as a phrase at a
        word's start, then the words anywhere; wards before streets before points."""
        q = fold(query)
        if not q:
            return []
        words = q.split(" ")
        ranked: list[tuple[tuple[int, int, int, str], Place]] = []
        for folded, place in self._places:
            if not all(w in folded for w in words):
                continue
            if folded == q:
                rank = 0
            elif folded.startswith(q):
                rank = 1
            elif f" {q}" in f" {folded}":
                rank = 2
            else:
                rank = 3
            ranked.append(((rank, _KIND_ORDER.get(place.kind, 9), len(folded), folded), place))
        ranked.sort(key=lambda pair: pair[0])
        return [place for _, place in ranked[:limit]]

