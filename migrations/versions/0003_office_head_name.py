"""The chairperson's name, printed under the committee's letters

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 17:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("office") as batch_op:
        batch_op.add_column(sa.Column("head_name", sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table("office") as batch_op:
        batch_op.drop_column("head_name")
