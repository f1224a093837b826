"""incidents.occurred_us (reports after the fact) and complex points

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "incidents",
        sa.Column("occurred_us", sa.BigInteger(), nullable=False, server_default="0"),
    )
    # incidents recorded before this column happened when they were recorded (as a replay
    # of their events says), so the projection keeps agreeing with the log
    op.execute("UPDATE incidents SET occurred_us = created_us")
    op.create_index("ix_incidents_occurred_us", "incidents", ["occurred_us"], unique=False)
    op.create_table(
        "complex_points",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("ward", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_complex_points")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("GRANT SELECT, INSERT, UPDATE ON complex_points TO gvcommand_app")


def downgrade() -> None:
    op.drop_table("complex_points")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_occurred_us")
        batch_op.drop_column("occurred_us")
