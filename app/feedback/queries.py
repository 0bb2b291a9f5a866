"""Feedback queries for the staff dashboard."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import OPEN_STATES, FeedbackItem


def fetch_feedback_queue(today: date, soon: date, limit: int = 20) -> dict:
    """Return open feedback overdue and due within two working days."""
    still_open = FeedbackItem.status.in_(OPEN_STATES)

    def window(*conditions):
        query = select(FeedbackItem).where(still_open, *conditions)
        ordered = query.order_by(FeedbackItem.due_date, FeedbackItem.id).limit(limit)
        count = db.session.scalar(
            select(func.count())
            .select_from(FeedbackItem)
            .where(still_open, *conditions)
        )
        return {"items": list(db.session.scalars(ordered)), "count": count or 0}

    return {
        "overdue": window(FeedbackItem.due_date < today),
        "soon": window(FeedbackItem.due_date >= today, FeedbackItem.due_date <= soon),
    }


def fetch_published_feedback(limit: int = 5000) -> list[FeedbackItem]:
    """Return the items whose answer was made public, newest answer first."""
    query = (
        select(FeedbackItem)
        .where(FeedbackItem.published_at.is_not(None))
        .order_by(FeedbackItem.published_at.desc(), FeedbackItem.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
