"""Every dossier query, each a function named for what it fetches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.core.search import CODE_LIKE, Pager, TextQuery, code_prefix
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


PAGER = Pager(Dossier, "dossier_search")


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
        conditions.append(code_prefix(Dossier.code, typed, conditions, PAGER))
        typed = ""
    query = TextQuery.parse(typed)

    if query:
        total, ids = PAGER.search(query, conditions, order, offset, criteria.page_size)
    else:
        total = PAGER.count(conditions)
        ids = PAGER.page_ids(conditions, order, offset, criteria.page_size)
    return PAGER.load(ids), total


SORT_ORDERS = {
    "newest": (Dossier.received_at.desc(), Dossier.id.desc()),
    "oldest": (Dossier.received_at, Dossier.id),
    "due": (Dossier.due_date, Dossier.id),
    "name": (Dossier.sort_name, Dossier.id),
}


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


def fetch_deadline_queue(today: date, soon: date, limit: int = 15) -> dict:
    """Return open dossiers overdue and due soon, oldest deadline first."""
    still_open = Dossier.status.in_(OPEN_STATES)

    def window(*conditions):
        query = select(Dossier).where(still_open, *conditions)
        rows = list(
            db.session.scalars(
                query.order_by(Dossier.due_date, Dossier.id).limit(limit)
            )
        )
        count = db.session.scalar(
            select(func.count()).select_from(Dossier).where(still_open, *conditions)
        )
        return {"items": rows, "count": count or 0}

    return {
        "overdue": window(Dossier.due_date < today),
        "today": window(Dossier.due_date == today),
        "soon": window(Dossier.due_date > today, Dossier.due_date <= soon),
    }
