"""boundary editions: ward polygons with a validity period

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boundary_editions",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.String(length=10), nullable=False),
        sa.Column("valid_to", sa.String(length=10), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("ward_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_boundary_editions")),
    )
    op.create_table(
        "ward_boundaries",
        sa.Column("edition", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        sa.Column("geometry_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition"],
            ["boundary_editions.name"],
            name=op.f("fk_ward_boundaries_edition_boundary_editions"),
        ),
        sa.PrimaryKeyConstraint("edition", "code", name=op.f("pk_ward_boundaries")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "GRANT SELECT, INSERT ON boundary_editions, ward_boundaries TO gvcommand_app"
        )


def downgrade() -> None:
    op.drop_table("ward_boundaries")
    op.drop_table("boundary_editions")
