"""Dossier life: assignee, routing, supplements, attachments, search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 17:11:24

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# SQLite: an FTS5 index over the folded search key, kept in step with the
# dossiers table by triggers. The folding (no marks, đ as d) is done by the
# application, because FTS5's remove_diacritics never folds "đ".
FTS_SQL = [
    """
    CREATE VIRTUAL TABLE dossier_search USING fts5(
        search_folded, content='dossiers', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER dossier_search_insert AFTER INSERT ON dossiers BEGIN
        INSERT INTO dossier_search(rowid, search_folded)
        VALUES (new.id, new.search_folded);
    END
    """,
    """
    CREATE TRIGGER dossier_search_delete AFTER DELETE ON dossiers BEGIN
        INSERT INTO dossier_search(dossier_search, rowid, search_folded)
        VALUES ('delete', old.id, old.search_folded);
    END
    """,
    """
    CREATE TRIGGER dossier_search_update AFTER UPDATE OF search_folded ON dossiers
    BEGIN
        INSERT INTO dossier_search(dossier_search, rowid, search_folded)
        VALUES ('delete', old.id, old.search_folded);
        INSERT INTO dossier_search(rowid, search_folded)
        VALUES (new.id, new.search_folded);
    END
    """,
    "INSERT INTO dossier_search(dossier_search) VALUES ('rebuild')",
]


def upgrade():
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    with op.batch_alter_table("attachments") as batch_op:
        batch_op.create_index("ix_attachments_dossier_id", ["dossier_id"])
        batch_op.create_index("ix_attachments_sha256", ["sha256"])

    with op.batch_alter_table("dossier_transitions") as batch_op:
        batch_op.add_column(
            sa.Column("data", sa.JSON(), nullable=False, server_default="{}")
        )

    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        for name in ("receiving_office", "deciding_authority"):
            batch_op.add_column(
                sa.Column(name, sa.String(length=200), nullable=False, server_default="")
            )
        batch_op.add_column(sa.Column("original_due_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("missing_papers", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=400), nullable=False, server_default="")
        )
        batch_op.create_index("ix_dossiers_assignee_id", ["assignee_id"])
        batch_op.create_index("ix_dossiers_finished_at", ["finished_at"])
        batch_op.create_index("ix_dossiers_sort_name", ["sort_name"])
        batch_op.create_index(
            "ix_dossiers_status_received_at", ["status", "received_at"]
        )
        batch_op.create_index("ix_dossiers_status_due_date", ["status", "due_date"])
        batch_op.create_foreign_key(
            "fk_dossiers_assignee_id_users", "users", ["assignee_id"], ["id"]
        )

    with op.batch_alter_table("procedures") as batch_op:
        batch_op.add_column(
            sa.Column(
                "deciding_authority", sa.String(length=200), nullable=False,
                server_default="",
            )
        )

    _backfill_sort_names()
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS_SQL:
            op.execute(statement)


def _backfill_sort_names():
    # The collation key is the application's own function; a migration that
    # runs once may use it, since its output for old names never changes.
    from app.core.text import vietnamese_sort_key

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, applicant_name FROM dossiers")).all()
    for row_id, name in rows:
        bind.execute(
            sa.text("UPDATE dossiers SET sort_name = :key WHERE id = :id"),
            {"key": vietnamese_sort_key(name), "id": row_id},
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS dossier_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS dossier_search")

    with op.batch_alter_table("procedures") as batch_op:
        batch_op.drop_column("deciding_authority")

    with op.batch_alter_table("dossiers") as batch_op:
        batch_op.drop_constraint("fk_dossiers_assignee_id_users", type_="foreignkey")
        for index in (
            "status_due_date", "status_received_at", "sort_name", "finished_at",
            "assignee_id",
        ):
            batch_op.drop_index(f"ix_dossiers_{index}")
        for column in (
            "sort_name", "finished_at", "resolved_at", "missing_papers",
            "original_due_date", "deciding_authority", "receiving_office",
            "assignee_id",
        ):
            batch_op.drop_column(column)

    with op.batch_alter_table("dossier_transitions") as batch_op:
        batch_op.drop_column("data")

    op.drop_table("attachments")
