"""road networks and their segments

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "road_networks",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("segment_count", sa.Integer(), nullable=False),
        sa.Column("length_km", sa.Float(), nullable=False),
        sa.Column("geometry_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_road_networks")),
    )
    op.create_table(
        "road_segments",
        sa.Column("network", sa.String(length=100), nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("road_class", sa.String(length=40), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network"], ["road_networks.name"],
            name=op.f("fk_road_segments_network_road_networks"),
        ),
        sa.PrimaryKeyConstraint("network", "idx", name=op.f("pk_road_segments")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # written once beside their import event; never changed afterwards
        op.execute("GRANT SELECT, INSERT ON road_networks, road_segments TO gvcommand_app")


def downgrade() -> None:
    op.drop_table("road_segments")
    op.drop_table("road_networks")
