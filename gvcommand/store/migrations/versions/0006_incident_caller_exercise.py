"""incidents: caller's name and callback number, exercise (drill) flag, linked reports

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # incidents recorded before these columns had no caller recorded, were real and had no
    # linked reports (the events that set them did not exist): the defaults are what a
    # replay of their events says
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("caller_name", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("callback_number", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("exercise", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("linked_reports", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("linked_reports")
        batch.drop_column("exercise")
        batch.drop_column("callback_number")
        batch.drop_column("caller_name")
