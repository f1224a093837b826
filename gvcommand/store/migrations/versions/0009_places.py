"""named places (points of interest) for the gazetteer

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "place_sets",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("place_count", sa.Integer(), nullable=False),
        sa.Column("places_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_place_sets")),
    )
    op.create_table(
        "places",
        sa.Column("place_set", sa.String(length=100), nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_set"], ["place_sets.name"],
            name=op.f("fk_places_place_set_place_sets"),
        ),
        sa.PrimaryKeyConstraint("place_set", "idx", name=op.f("pk_places")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # written once beside their import event; never changed afterwards
        op.execute("GRANT SELECT, INSERT ON place_sets, places TO gvcommand_app")


def downgrade() -> None:
    op.drop_table("places")
    op.drop_table("place_sets")
