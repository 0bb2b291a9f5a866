"""Prefix indexes for the full-text tables

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:00:00

Search matches every typed word as a prefix ("nguy" finds "Nguyễn"). FTS5
answers a prefix query by merging every term that begins with it, unless
the table keeps prefix indexes; two- and three-letter ones cover what a
clerk types before the list narrows (about a third more index space).
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = {"dossier_search": "dossiers", "feedback_search": "feedback"}
COLUMNS = ("search_folded", "search_exact")


def _rebuild(prefix: str | None) -> None:
    names = ", ".join(COLUMNS)
    new_values = ", ".join(f"new.{c}" for c in COLUMNS)
    old_values = ", ".join(f"old.{c}" for c in COLUMNS)
    option = f", prefix='{prefix}'" if prefix else ""
    for fts, content in TABLES.items():
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{content}', "
            f"content_rowid='id', tokenize='unicode61 remove_diacritics 0'{option})"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {content} BEGIN "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new_values}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {content} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) "
            f"VALUES ('delete', old.id, {old_values}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {content} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) "
            f"VALUES ('delete', old.id, {old_values}); "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new_values}); END"
        )
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild("2 3")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(None)
