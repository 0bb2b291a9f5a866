"""Every dossier query, each a function named for what it fetches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from app.core.search import matching_ids
from app.core.text import exact_key, fold
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

    Text goes through the full-text index (app.core.search); a 12-digit
    query is a citizen ID. Among text hits, exact matches (marks as typed,
    either tone placement) rank first.
    """
    conditions = []
    ranking = []
    text_query = (criteria.query or "").strip()
    if text_query:
        digits = text_query.replace(" ", "")
        if digits.isdigit() and len(digits) == 12:
            conditions.append(Dossier.applicant_id_number == digits)
        else:
            match = matching_ids(
                "dossier_search", Dossier.id, Dossier.search_folded, text_query
            )
            exact = exact_key(text_query)
            if match is not None:
                conditions.append(match)
            # Typed without any mark, every hit is as exact as another.
            if match is not None and exact != fold(text_query):
                ranking.append(
                    case(
                        (Dossier.search_exact.contains(exact, autoescape=True), 0),
                        else_=1,
                    )
                )
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

    order = {
        "newest": [Dossier.received_at.desc(), Dossier.id.desc()],
        "oldest": [Dossier.received_at, Dossier.id],
        "due": [Dossier.due_date, Dossier.id],
        "name": [Dossier.sort_name, Dossier.id],
    }[criteria.sort]
    total = db.session.scalar(select(func.count(Dossier.id)).where(*conditions)) or 0

    # Page through ids first, which the indexes answer without reading rows,
    # then load only the rows of the page.
    page_ids = list(
        db.session.scalars(
            select(Dossier.id)
            .where(*conditions)
            .order_by(*ranking, *order)
            .limit(criteria.page_size)
            .offset((criteria.page - 1) * criteria.page_size)
        )
    )
    if not page_ids:
        return [], total
    loaded = db.session.scalars(select(Dossier).where(Dossier.id.in_(page_ids)))
    by_id = {dossier.id: dossier for dossier in loaded}
    return [by_id[i] for i in page_ids], total


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
