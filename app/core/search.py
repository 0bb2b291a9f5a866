"""The full-text seam: FTS5 on SQLite, a folded-key scan elsewhere.

Text is folded by the application (app.core.text.fold) before it reaches
either engine, so both find "Thuỷ" from "thuy" and "Đức" from "duc".
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, column, text

from app.core.text import fold
from app.extensions import db

_TOKEN = re.compile(r"\w+")
MAX_TOKENS = 8


def folded_tokens(query: str) -> list[str]:
    """Split a query into folded words, at most a handful."""
    return _TOKEN.findall(fold(query))[:MAX_TOKENS]


def fts_expression(tokens: list[str]) -> str:
    """Build an FTS5 query where every word must match as a prefix."""
    # Each token is quoted, so FTS5 operators typed by a user stay words.
    return " ".join(f'"{token}"*' for token in tokens)


def matching_ids(table: str, id_column: ColumnElement, folded_column, query: str):
    """Return a condition keeping the rows whose folded text matches."""
    tokens = folded_tokens(query)
    if not tokens:
        return None
    if db.engine.dialect.name == "sqlite":
        # `table` is a constant of the caller, never user input.
        subquery = (
            text(f"SELECT rowid FROM {table} WHERE {table} MATCH :match")
            .bindparams(match=fts_expression(tokens))
            .columns(column("rowid"))
        )
        return id_column.in_(subquery)
    # PostgreSQL (the hub) scans the folded key; it gains a trigram index
    # when the hub starts searching dossiers.
    return and_(*(folded_column.contains(t, autoescape=True) for t in tokens))
