"""The Open311 reads that the feedback services do not offer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.feedback.models import FeedbackCategory, FeedbackItem


def fetch_service(code: str) -> FeedbackCategory | None:
    """Return the active feedback category with this code, or None."""
    category = db.session.get(FeedbackCategory, code)
    if category is None or not category.active:
        return None
    return category


def fetch_service_requests(
    *,
    codes: list[str],
    service_codes: list[str],
    since: datetime | None,
    until: datetime | None,
    states: frozenset[str] | None,
    limit: int,
) -> list[FeedbackItem]:
    """Return feedback items, newest first, by code or by kind, time and state."""
    query = select(FeedbackItem)
    if codes:
        query = query.where(FeedbackItem.code.in_(codes))
    if service_codes:
        query = query.where(FeedbackItem.category_code.in_(service_codes))
    if since is not None:
        query = query.where(FeedbackItem.received_at >= since)
    if until is not None:
        query = query.where(FeedbackItem.received_at <= until)
    if states is not None:
        query = query.where(FeedbackItem.status.in_(sorted(states)))

    newest = (FeedbackItem.received_at.desc(), FeedbackItem.id.desc())
    return list(db.session.scalars(query.order_by(*newest).limit(limit)))
