"""Index the exact search key beside the folded one

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 17:50:00

The exact key (marks kept, tone mark at the end of each word) ranks the
hits typed with the same marks first; having it in the FTS5 index lets the
ranking count and page through hits without reading every matching row.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

DROP = [
    "DROP TRIGGER IF EXISTS dossier_search_insert",
    "DROP TRIGGER IF EXISTS dossier_search_delete",
    "DROP TRIGGER IF EXISTS dossier_search_update",
    "DROP TABLE IF EXISTS dossier_search",
]


def _create(columns: list[str]) -> list[str]:
    names = ", ".join(columns)
    new_values = ", ".join(f"new.{c}" for c in columns)
    old_values = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""
        CREATE VIRTUAL TABLE dossier_search USING fts5(
            {names}, content='dossiers', content_rowid='id',
            tokenize='unicode61 remove_diacritics 0'
        )
        """,
        f"""
        CREATE TRIGGER dossier_search_insert AFTER INSERT ON dossiers BEGIN
            INSERT INTO dossier_search(rowid, {names}) VALUES (new.id, {new_values});
        END
        """,
        f"""
        CREATE TRIGGER dossier_search_delete AFTER DELETE ON dossiers BEGIN
            INSERT INTO dossier_search(dossier_search, rowid, {names})
            VALUES ('delete', old.id, {old_values});
        END
        """,
        f"""
        CREATE TRIGGER dossier_search_update AFTER UPDATE OF {names} ON dossiers
        BEGIN
            INSERT INTO dossier_search(dossier_search, rowid, {names})
            VALUES ('delete', old.id, {old_values});
            INSERT INTO dossier_search(rowid, {names}) VALUES (new.id, {new_values});
        END
        """,
        "INSERT INTO dossier_search(dossier_search) VALUES ('rebuild')",
    ]


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROP + _create(["search_folded", "search_exact"]):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROP + _create(["search_folded"]):
        op.execute(statement)
