"""Every dossier query, each a function named for what it fetches."""

from __future__ import annotations

from sqlalchemy import case, func, select

from app.core.text import exact_key, fold
from app.dossiers.models import Dossier
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


def search_dossiers(
    query: str | None, status: str | None, page: int, page_size: int
) -> tuple[list[Dossier], int]:
    """Return one page of dossiers matching the search, newest first.

    A 12-digit query is a citizen ID; otherwise the folded key matches code
    and name without diacritics, and exact matches (marks and tone as
    typed, either tone placement) rank first.
    """
    # TODO(#3): an FTS5 index (and its PostgreSQL twin) replaces this LIKE
    # scan so that search stays within budget at 100,000 dossiers.
    conditions = []
    ranking = []
    text = (query or "").strip()
    if text:
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 12:
            conditions.append(Dossier.applicant_id_number == digits)
        else:
            conditions.append(
                Dossier.search_folded.contains(fold(text), autoescape=True)
            )
            exact = exact_key(text)
            ranking.append(
                case(
                    (Dossier.search_exact.contains(exact, autoescape=True), 0), else_=1
                )
            )
    if status:
        conditions.append(Dossier.status == status)

    total = db.session.scalar(select(func.count(Dossier.id)).where(*conditions)) or 0
    rows = db.session.scalars(
        select(Dossier)
        .where(*conditions)
        .order_by(*ranking, Dossier.received_at.desc(), Dossier.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(rows), total


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
