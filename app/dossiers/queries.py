"""Every dossier query, each a function named for what it fetches."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select

from app.core.search import TextQuery, folded_scan, fts_count, fts_rowids, uses_fts
from app.dossiers.models import Dossier
from app.dossiers.workflow import OPEN_STATES
from app.extensions import db
from app.office.models import Procedure


def fetch_dossier_by_code(code: str) -> Dossier | None:
    """Return the dossier with that code, or None."""
    return db.session.scalar(select(Dossier).where(Dossier.code == code))


def fetch_active_procedure(code: str) -> Procedure | None:
    """Return an active procedure of the catalogue, or None."""
    return db.session.scalar(
        select(Procedure).where(Procedure.code == code, Procedure.active.is_(True))
    )


@dataclass(frozen=True)
class DossierFilter:
    """What a dossier list asks for; every field already checked."""

    query: str | None = None
    status: str | None = None
    field: str | None = None
    assignee_id: int | None = None
    due: str | None = None
    sort: str = "newest"
    page: int = 1
    page_size: int = 25


def search_dossiers(
    criteria: DossierFilter, today: date, soon: date
) -> tuple[list[Dossier], int]:
    """Return one page of dossiers matching the criteria, and their count.

    A 12-digit query is a citizen ID; other text goes through the full-text
    index, where hits typed with the same marks (either tone placement)
    come before the other hits.
    """
    conditions = _filter_conditions(criteria, today, soon)
    order = SORT_ORDERS[criteria.sort]
    offset = (criteria.page - 1) * criteria.page_size
    typed = (criteria.query or "").strip()
    digits = typed.replace(" ", "")
    if digits.isdigit() and len(digits) == 12:
        conditions.append(Dossier.applicant_id_number == digits)
        typed = ""
    elif CODE_LIKE.match(typed):
        prefix = _code_prefix(typed, walk=False)
        # A short prefix ("25.08707") holds most dossiers: then walk the sort
        # index and test each code, rather than sort them all.
        walk = _count([*conditions, prefix]) > _WALK_THRESHOLD
        conditions.append(_code_prefix(typed, walk) if walk else prefix)
        typed = ""
    query = TextQuery.parse(typed)

    if not query:
        total = _count(conditions)
        ids = _page_ids(conditions, order, offset, criteria.page_size)
    elif not uses_fts():
        conditions.append(folded_scan(Dossier.search_folded, query))
        total = _count(conditions)
        ids = _page_ids(conditions, order, offset, criteria.page_size)
    else:
        total, ids = _search_index(query, conditions, order, offset, criteria.page_size)
    return _load_in_order(ids), total


# A dossier code or its beginning: "25.08707-261204-0001", "25.08707-2612".
CODE_LIKE = re.compile(
    r"^[0-9A-Za-z]+\.[0-9A-Za-z.]+(-[0-9-]*)?$|^[0-9A-Za-z.]+-[0-9]{2,6}"
)


def _code_prefix(typed: str, walk: bool):
    # A range on the unique index of codes ("~" sorts after every character
    # a code may hold); "code || ''" hides the index from the planner.
    code = Dossier.code.concat("") if walk else Dossier.code
    spellings = {typed, typed.upper()}
    return or_(*(and_(code >= s, code < s + "~") for s in spellings))


SORT_ORDERS = {
    "newest": (Dossier.received_at.desc(), Dossier.id.desc()),
    "oldest": (Dossier.received_at, Dossier.id),
    "due": (Dossier.due_date, Dossier.id),
    "name": (Dossier.sort_name, Dossier.id),
}
# Above this many hits, walking the sort index and testing each row against
# the hits beats sorting all the hits (measured at 100,000 dossiers).
_WALK_THRESHOLD = 1500


def _search_index(query, conditions, order, offset, limit) -> tuple[int, list[int]]:
    tiers = [query.exact_hit(), query.other_hit()] if query.exact else [query.any_hit()]
    total, ids = 0, []
    for expression in tiers:
        hits = fts_count("dossier_search", expression)
        if conditions:
            hits = _count([*conditions, Dossier.id.in_(_rowids(expression))])
        total += hits
        wanted = limit - len(ids)
        if wanted > 0 and offset < hits:
            ids += _page_ids(
                [*conditions, _member(expression, hits)], order, offset, wanted
            )
        offset = max(0, offset - hits)
    return total, ids


def _rowids(expression: str):
    return fts_rowids("dossier_search", expression)


def _member(expression: str, hits: int):
    # "id + 0" keeps SQLite from driving the query by the hit list, so that
    # it walks the sort order's index instead (many hits).
    if hits > _WALK_THRESHOLD:
        return (Dossier.id + 0).in_(_rowids(expression))
    return Dossier.id.in_(_rowids(expression))


def _count(conditions) -> int:
    query = select(func.count()).select_from(Dossier).where(*conditions)
    return db.session.scalar(query) or 0


def _page_ids(conditions, order, offset: int, limit: int) -> list[int]:
    # Page through ids, which the indexes answer without reading rows.
    query = (
        select(Dossier.id)
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.scalars(query))


def _load_in_order(ids: list[int]) -> list[Dossier]:
    if not ids:
        return []
    loaded = db.session.scalars(select(Dossier).where(Dossier.id.in_(ids)))
    by_id = {dossier.id: dossier for dossier in loaded}
    return [by_id[i] for i in ids]


def _filter_conditions(criteria: DossierFilter, today: date, soon: date) -> list:
    conditions = []
    if criteria.status:
        conditions.append(Dossier.status == criteria.status)
    if criteria.field:
        conditions.append(
            Dossier.procedure_code.in_(
                select(Procedure.code).where(Procedure.field == criteria.field)
            )
        )
    if criteria.assignee_id:
        conditions.append(Dossier.assignee_id == criteria.assignee_id)
    if criteria.due:
        conditions.extend(_due_window(criteria.due, today, soon))
    return conditions


def _due_window(window: str, today: date, soon: date) -> list:
    still_open = Dossier.status.in_(OPEN_STATES)
    if window == "overdue":
        return [still_open, Dossier.due_date < today]
    if window == "today":
        return [still_open, Dossier.due_date == today]
    return [still_open, Dossier.due_date >= today, Dossier.due_date <= soon]


def fetch_fields() -> list[str]:
    """List the procedure fields of the catalogue."""
    query = select(Procedure.field).distinct().order_by(Procedure.field)
    return list(db.session.scalars(query))


def next_daily_number(scope: str, day) -> int:
    """Take the next number of a daily sequence; call inside a write."""
    from app.dossiers.models import DailySequence

    row = db.session.get(DailySequence, (scope, day))
    if row is None:
        row = DailySequence(scope=scope, day=day, last=0)
        db.session.add(row)
    row.last += 1
    db.session.flush()
    return row.last
