"""The database schema: the event log, its head, snapshots, and the projections.

The projections are the current state of each entity, written in the same transaction as
the events that changed it; their columns are the fields of the core entities.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
    true,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("ts_us", BigInteger, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("console", String(64), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("subject", String(128), nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_events_subject_seq", "subject", "seq"),
    Index("ix_events_ts_us_seq", "ts_us", "seq"),  # "last event at or before T"
    Index("ix_events_kind_seq", "kind", "seq"),
)

chain_head = Table(
    "chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("ts_us", BigInteger, nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("ts_us", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("state", Text, nullable=False),
)

wards = Table(
    "wards",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("version", Integer, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("call_sign", String(40), primary_key=True),
    Column("force", String(16), nullable=False),
    Column("home_ward", String(40)),
    Column("status", String(16), nullable=False),
    Column("status_since_us", BigInteger, nullable=False),
    Column("incident_id", String(40)),
    Column("status_reason", String(300)),
    Column("status_by", String(64)),
    Column("version", Integer, nullable=False),
    # drill units (0007): shown as such and left out of statistics
    Column("exercise", Boolean, nullable=False, server_default=false()),
    Index("ix_units_incident_id", "incident_id"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("number", Integer, nullable=False, unique=True),
    Column("type", String(32), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("source", String(16), nullable=False),
    Column("ward", String(40)),
    Column("address", String(300)),
    Column("summary", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_us", BigInteger, nullable=False),
    Column("status_since_us", BigInteger, nullable=False),
    Column("reason", Text),
    Column("created_by", String(64), nullable=False),
    Column("updated_by", String(64)),
    Column("version", Integer, nullable=False),
    # when it happened (created_us: when it was recorded); 0 only in rows migrated from 0002
    Column("occurred_us", BigInteger, nullable=False, server_default="0"),
    # the caller (personal data: shown to the roles that may see it) and drills (0006)
    Column("caller_name", String(100)),
    Column("callback_number", String(24)),
    Column("exercise", Boolean, nullable=False, server_default=false()),
    Column("linked_reports", Integer, nullable=False, server_default="0"),
    Index("ix_incidents_status", "status"),
    Index("ix_incidents_created_us", "created_us"),
    Index("ix_incidents_occurred_us", "occurred_us"),
)

cameras = Table(
    "cameras",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("owner", String(16), nullable=False),
    Column("ward", String(40)),
    Column("azimuth_deg", Float),
    Column("fov_deg", Float),
    Column("range_m", Float),
    Column("version", Integer, nullable=False),
    # how to reach it (0008). Never a secret: credential_ref names a keyring entry, and the
    # stored addresses are refused if they carry a password.
    Column("vendor", String(16), nullable=False, server_default="generic"),
    Column("host", String(255)),
    Column("port", Integer),
    Column("channel", Integer, nullable=False, server_default="1"),
    Column("transport", String(8), nullable=False, server_default="tcp"),
    Column("main_url", String(1000)),
    Column("sub_url", String(1000)),
    Column("address", String(300)),
    Column("tz", String(64)),
    Column("credential_ref", String(100)),
    Column("active", Boolean, nullable=False, server_default=true()),
)

users = Table(
    "users",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("display_name", String(100), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

# Secrets are not events: the log records that a password was set, never the hash.
credentials = Table(
    "credentials",
    metadata,
    Column("user_name", String(32), ForeignKey("users.name"), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("locked_until_us", BigInteger, nullable=False),
    Column("changed_us", BigInteger, nullable=False),
)

# Boundary editions: wards as data with a validity period. The import is an event (with a
# SHA-256 of every ward's geometry); the geometries themselves live here, too large for the log.
boundary_editions = Table(
    "boundary_editions",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("valid_from", String(10), nullable=False),  # ISO date, inclusive
    Column("valid_to", String(10)),  # ISO date, inclusive; NULL = still in force
    Column("source_sha256", String(64), nullable=False),
    Column("ward_count", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)

ward_boundaries = Table(
    "ward_boundaries",
    metadata,
    Column("edition", String(100), ForeignKey("boundary_editions.name"), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("area_km2", Float, nullable=False),
    Column("geometry_wkb", LargeBinary, nullable=False),  # WGS84 lon/lat
    Column("geometry_sha256", String(64), nullable=False),
)

# Complex points (điểm phức tạp về an ninh trật tự): places the ward police watch.
complex_points = Table(
    "complex_points",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("ward", String(40)),
    Column("status", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("version", Integer, nullable=False),
)

# Road networks: the streets drawn on the map. As with editions, the import is an event (with
# the segment count, total length and one SHA-256 over every segment); the segments live here.
# Written once by store.roads beside the import event, never updated (not a projection).
road_networks = Table(
    "road_networks",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("source_sha256", String(64), nullable=False),
    Column("segment_count", Integer, nullable=False),
    Column("length_km", Float, nullable=False),
    Column("geometry_sha256", String(64), nullable=False),
    Column("imported_seq", BigInteger, nullable=False),  # the import event
)

road_segments = Table(
    "road_segments",
    metadata,
    Column("network", String(100), ForeignKey("road_networks.name"), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),  # file order, from 0
    Column("name", String(200)),  # street name; NULL for unnamed alleys and service roads
    Column("road_class", String(40), nullable=False),  # e.g. OSM highway=primary
    Column("length_m", Float, nullable=False),  # geodesic
    Column("geometry_wkb", LargeBinary, nullable=False),  # (Multi)LineString, WGS84 lon/lat
)

# Named places (points of interest) for the gazetteer: the import is an event (with the count
# and one SHA-256 over every place); the places live here. Written once by store.places beside
# the import event, never updated (not a projection).
place_sets = Table(
    "place_sets",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("source_sha256", String(64), nullable=False),
    Column("place_count", Integer, nullable=False),
    Column("places_sha256", String(64), nullable=False),
    Column("imported_seq", BigInteger, nullable=False),  # the import event
)

places = Table(
    "places",
    metadata,
    Column("place_set", String(100), ForeignKey("place_sets.name"), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),  # file order, from 0
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),  # e.g. OSM amenity=marketplace
    Column("lon", Float, nullable=False),  # WGS84
    Column("lat", Float, nullable=False),
)

# Position-reporting devices (a projection of device.* events) and their secrets' hashes
# (written beside the event by store.devices, replaced when a secret changes; not in the log).
devices = Table(
    "devices",
    metadata,
    Column("device_id", String(100), primary_key=True),
    Column("unit", String(40), nullable=False),
    Column("has_secret", Boolean, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
)

device_secrets = Table(
    "device_secrets",
    metadata,
    Column("device_id", String(100), ForeignKey("devices.device_id"), primary_key=True),
    Column("secret_hash", String(200), nullable=False),  # argon2id
    Column("set_us", BigInteger, nullable=False),
)

# Patrol positions: a time series of its own, not the event log (store.positions).
positions = Table(
    "positions",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("unit", String(40), nullable=False),
    Column("device_id", String(100), nullable=False),
    Column("device_time_us", BigInteger, nullable=False),
    Column("server_time_us", BigInteger, nullable=False),
    Column("lon", Float, nullable=False),
    Column("lat", Float, nullable=False),
    Column("speed_kmh", Float),
    Column("heading", Float),
    Column("altitude_m", Float),
    Column("accuracy_m", Float),
    Column("battery_pct", Float),
    Column("source", String(20), nullable=False),
    Column("attributes", Text),  # JSON: what the client sent beyond the fix
    Index("ux_positions_device_time", "device_id", "device_time_us", unique=True),
    Index("ix_positions_unit_time", "unit", "device_time_us"),
)

# The latest fix per unit; position_id grows with every change (consoles read "after N").
unit_positions = Table(
    "unit_positions",
    metadata,
    Column("unit", String(40), primary_key=True),
    Column("position_id", BigInteger, nullable=False),
    Column("device_time_us", BigInteger, nullable=False),
    Index("ix_unit_positions_position_id", "position_id"),
)

# kind of subject -> (table, primary-key column)
PROJECTIONS: dict[str, tuple[Table, str]] = {
    "ward": (wards, "code"),
    "unit": (units, "call_sign"),
    "incident": (incidents, "id"),
    "camera": (cameras, "code"),
    "user": (users, "name"),
    "edition": (boundary_editions, "name"),
    "complex_point": (complex_points, "code"),
    "device": (devices, "device_id"),
}

APP_ROLE = "gvcommand_app"
NOTIFY_CHANNEL = "gvcommand_events"
