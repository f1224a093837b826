"""cameras: vendor, host, port, channel, transport, stream addresses, address, device time
zone, credential reference, active

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # cameras added before this were locations without a stream: generic, channel 1, in
    # service, which is what a replay of their camera.added events (without these keys) says
    with op.batch_alter_table("cameras") as batch:
        batch.add_column(sa.Column("vendor", sa.String(16), nullable=False,
                                   server_default="generic"))
        batch.add_column(sa.Column("host", sa.String(255)))
        batch.add_column(sa.Column("port", sa.Integer()))
        batch.add_column(sa.Column("channel", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("transport", sa.String(8), nullable=False,
                                   server_default="tcp"))
        batch.add_column(sa.Column("main_url", sa.String(1000)))
        batch.add_column(sa.Column("sub_url", sa.String(1000)))
        batch.add_column(sa.Column("address", sa.String(300)))
        batch.add_column(sa.Column("tz", sa.String(64)))
        batch.add_column(sa.Column("credential_ref", sa.String(100)))
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("cameras") as batch:
        for name in ("active", "credential_ref", "tz", "address", "sub_url", "main_url",
                     "transport", "channel", "port", "host", "vendor"):
            batch.drop_column(name)
