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

from sqlalchemy import and_, column, func, or_, select, text

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
        # A one-letter prefix would expand to thousands of terms; a lone
        # letter is a word of its own ("ở", "ứ"), so it must match whole.
        words = " ".join(
            f'"{word}"*' if len(word) > 1 else f'"{word}"' for word in self.folded
        )
        return f"search_folded : ({words})"

    def exact_hit(self) -> str:
        """A hit whose words carry the marks as typed (so it is a hit too)."""
        words = " ".join(f'"{_quote(word)}"' for word in self.exact)
        return f"search_exact : ({words})"

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


# Above this many hits, walking the sort index and testing each row against
# the hits beats sorting all the hits (measured at 100,000 dossiers).
WALK_THRESHOLD = 1500


@dataclass(frozen=True)
class Pager:
    """Count and page one model's rows, through its FTS5 table for text."""

    model: type
    fts_table: str

    def count(self, conditions) -> int:
        """Count the rows that meet every condition."""
        query = select(func.count()).select_from(self.model).where(*conditions)
        return db.session.scalar(query) or 0

    def page_ids(self, conditions, order, offset: int, limit: int) -> list[int]:
        """Return a page of ids, which the indexes answer without reading rows."""
        query = (
            select(self.model.id)
            .where(*conditions)
            .order_by(*order)
            .limit(limit)
            .offset(offset)
        )
        return list(db.session.scalars(query))

    def load(self, ids: list[int]) -> list:
        """Load the rows of a page, in the page's order."""
        if not ids:
            return []
        rows = db.session.scalars(select(self.model).where(self.model.id.in_(ids)))
        by_id = {row.id: row for row in rows}
        return [by_id[i] for i in ids]

    def search(
        self, query: TextQuery, conditions, order, offset: int, limit: int
    ) -> tuple[int, list[int]]:
        """Count text hits and page them, exact hits first."""
        if not uses_fts():
            folded = folded_scan(self.model.search_folded, query)
            conditions = [*conditions, folded]
            return self.count(conditions), self.page_ids(
                conditions, order, offset, limit
            )

        tiers = (
            [query.exact_hit(), query.other_hit()] if query.exact else [query.any_hit()]
        )
        total, ids = 0, []
        for expression in tiers:
            hits = fts_count(self.fts_table, expression)
            if conditions:
                hits = self.count([*conditions, self.member(expression, 0)])
            total += hits
            wanted = limit - len(ids)
            if wanted > 0 and offset < hits:
                ids += self.page_ids(
                    [*conditions, self.member(expression, hits)], order, offset, wanted
                )
            offset = max(0, offset - hits)
        return total, ids

    def member(self, expression: str, hits: int):
        """Keep the rows an FTS5 expression matches."""
        rowids = fts_rowids(self.fts_table, expression)
        # "id + 0" keeps SQLite from driving the query by the hit list, so
        # that it walks the sort order's index instead (many hits).
        if hits > WALK_THRESHOLD:
            return (self.model.id + 0).in_(rowids)
        return self.model.id.in_(rowids)


# A record code or its beginning: "25.08707-261204-0001", "25.08707-2612".
CODE_LIKE = re.compile(
    r"^[0-9A-Za-z]+\.[0-9A-Za-z.]+(-[0-9-]*)?$"
    r"|^[0-9A-Za-z]+\.[0-9A-Za-z.]*-[0-9]{2,6}"
)


def code_prefix(code_column, typed: str, conditions, pager: Pager):
    """Keep the rows whose code begins with what was typed."""
    ranges = _code_ranges(code_column, typed)
    # A short prefix ("25.08707") holds most rows: then walk the sort index
    # and test each code ("code || ''" hides the code index), rather than
    # sort them all.
    if pager.count([*conditions, ranges]) > WALK_THRESHOLD:
        return _code_ranges(code_column.concat(""), typed)
    return ranges


def _code_ranges(code, typed: str):
    # "~" sorts after every character a code may hold.
    spellings = {typed, typed.upper()}
    return or_(*(and_(code >= s, code < s + "~") for s in spellings))
