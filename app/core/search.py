"""The full-text seam: FTS5 on SQLite, a folded-key scan elsewhere.

Text is folded by the application (app.core.text) before it reaches either
engine, so both find "Thuỷ" from "thuy" and "Đức" from "duc". An FTS5
table holds two columns per row: the folded key, matched by word prefix,
and the exact key (marks kept, tone at the word's end), which ranks the
hits typed with the same marks first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, column, text

from app.core.text import exact_key, fold
from app.extensions import db

_TOKEN = re.compile(r"\w+")
MAX_TOKENS = 8


@dataclass(frozen=True)
class TextQuery:
    """A search box's text, ready for the index."""

    folded: tuple[str, ...]
    exact: tuple[str, ...]

    @classmethod
    def parse(cls, query: str) -> TextQuery:
        """Split what was typed into folded and exact words."""
        folded = tuple(_TOKEN.findall(fold(query)))[:MAX_TOKENS]
        exact = tuple(exact_key(query).split())[:MAX_TOKENS]
        # Typed without any mark, every hit is as exact as another.
        if " ".join(exact) == " ".join(folded):
            exact = ()
        return cls(folded, exact)

    def __bool__(self) -> bool:
        return bool(self.folded)

    def any_hit(self) -> str:
        """Every word a prefix of a word of the folded key."""
        words = " ".join(f'"{word}"*' for word in self.folded)
        return f"search_folded : ({words})"

    def exact_hit(self) -> str:
        """A hit whose words also carry the marks as typed."""
        words = " ".join(f'"{_quote(word)}"' for word in self.exact)
        return f"({self.any_hit()}) AND search_exact : ({words})"

    def other_hit(self) -> str:
        """A hit that is not an exact one."""
        words = " ".join(f'"{_quote(word)}"' for word in self.exact)
        return f"({self.any_hit()}) NOT search_exact : ({words})"


def _quote(word: str) -> str:
    return word.replace('"', '""')


def uses_fts() -> bool:
    """Tell whether the database has the FTS5 index (SQLite)."""
    return db.engine.dialect.name == "sqlite"


def fts_rowids(table: str, expression: str):
    """Select the rowids an FTS5 expression matches, as a subquery."""
    # `table` is a constant of the caller, never user input.
    return (
        text(f"SELECT rowid FROM {table} WHERE {table} MATCH :match")
        .bindparams(match=expression)
        .columns(column("rowid"))
    )


def fts_count(table: str, expression: str) -> int:
    """Count the rows an FTS5 expression matches, from the index alone."""
    statement = text(f"SELECT count(*) FROM {table} WHERE {table} MATCH :match")
    return db.session.execute(statement, {"match": expression}).scalar() or 0


def folded_scan(folded_column, query: TextQuery):
    """Match word prefixes with a scan, where there is no FTS5 (the hub)."""
    return and_(
        *(folded_column.contains(word, autoescape=True) for word in query.folded)
    )
