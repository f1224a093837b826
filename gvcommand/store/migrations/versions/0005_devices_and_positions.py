"""devices, their secrets, patrol positions

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("has_secret", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_devices")),
    )
    op.create_table(
        "device_secrets",
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("set_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["devices.device_id"],
                                name=op.f("fk_device_secrets_device_id_devices")),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_secrets")),
    )
    op.create_table(
        "positions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("device_id", sa.String(length=100), nullable=False),
        sa.Column("device_time_us", sa.BigInteger(), nullable=False),
        sa.Column("server_time_us", sa.BigInteger(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("speed_kmh", sa.Float(), nullable=True),
        sa.Column("heading", sa.Float(), nullable=True),
        sa.Column("altitude_m", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("battery_pct", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("attributes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_positions")),
    )
    op.create_index("ux_positions_device_time", "positions", ["device_id", "device_time_us"],
                    unique=True)
    op.create_index("ix_positions_unit_time", "positions", ["unit", "device_time_us"])
    op.create_table(
        "unit_positions",
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("position_id", sa.BigInteger(), nullable=False),
        sa.Column("device_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("unit", name=op.f("pk_unit_positions")),
    )
    op.create_index("ix_unit_positions_position_id", "unit_positions", ["position_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("GRANT SELECT, INSERT, UPDATE ON devices TO gvcommand_app")
        op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON device_secrets, positions, "
                    "unit_positions TO gvcommand_app")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE positions_id_seq TO gvcommand_app")


def downgrade() -> None:
    op.drop_table("unit_positions")
    op.drop_index("ix_positions_unit_time", table_name="positions")
    op.drop_index("ux_positions_device_time", table_name="positions")
    op.drop_table("positions")
    op.drop_table("device_secrets")
    op.drop_table("devices")
