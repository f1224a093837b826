"""units: exercise (diễn tập) flag

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # units added before this column were real ones: the event that marks a drill unit did
    # not exist, so false is what a replay of their events says
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("exercise", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.drop_column("exercise")
