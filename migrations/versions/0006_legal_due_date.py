"""Keep the legal deadline apart from the appointment an apology moves

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.add_column(sa.Column("legal_due_date", sa.Date(), nullable=True))
    # Before this revision an apology overwrote the due date; the first
    # appointment, where kept, is the better guess at the legal deadline.
    op.execute(
        "UPDATE dossiers SET legal_due_date = COALESCE(original_due_date, due_date)"
    )


def downgrade():
    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.drop_column("legal_due_date")
