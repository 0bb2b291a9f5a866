"""Feedback items, their categories, channels, transitions and links."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.database import SyncedMixin, UTCDateTime, new_uuid, utcnow
from app.extensions import db

STATUS_LABELS = {
    "received": "Đã tiếp nhận",
    "accepted": "Đang xử lý",
    "assigned": "Đã giao xử lý",
    "responded": "Đã có trả lời",
    "published": "Đã công khai trả lời",
    "closed": "Đã kết thúc",
    "rejected": "Không thụ lý",
}
OPEN_STATES = frozenset({"received", "accepted", "assigned"})


class FeedbackChannel(db.Model):
    """A way feedback reaches the office, and whether it needs a name."""

    __tablename__ = "feedback_channels"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Decree 20/2008/NĐ-CP, art. 8: feedback must carry the name and address
    # of who sends it; a channel may still take anonymous tips if the
    # province says so.
    requires_name: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FeedbackCategory(db.Model):
    """A kind of feedback, its default handler and its time limit (data)."""

    __tablename__ = "feedback_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    time_limit_days: Mapped[int] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(String(500), default="")
    default_handler_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    default_handler: Mapped[User | None] = relationship(lazy="joined")


class FeedbackItem(SyncedMixin, db.Model):
    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_status_received_at", "status", "received_at"),
        Index("ix_feedback_status_due_date", "status", "due_date"),
        # The duplicate check: same category and place, recent first.
        Index(
            "ix_feedback_category_place_received",
            "category_code",
            "place_key",
            "received_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(ForeignKey("feedback_channels.code"))
    category_code: Mapped[str | None] = mapped_column(
        ForeignKey("feedback_categories.code"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    submitter_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    submitter_phone: Mapped[str | None] = mapped_column(
        String(15), nullable=True, index=True
    )
    submitter_address: Mapped[str | None] = mapped_column(String(255), nullable=True)
    submitter_id_number: Mapped[str | None] = mapped_column(
        String(12), nullable=True, index=True
    )
    submitter_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    location: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The folded place, to find similar feedback about the same spot.
    place_key: Mapped[str] = mapped_column(String(255), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    received_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True
    )
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Indexed for the period statistics (what was answered or closed when).
    responded_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, nullable=True, index=True
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, nullable=True, index=True
    )
    # The item this one repeats, when staff merged them (both are kept).
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id"), nullable=True, index=True
    )
    search_folded: Mapped[str] = mapped_column(Text, default="")
    search_exact: Mapped[str] = mapped_column(Text, default="")
    # Folded words of title and content, for the duplicate check.
    words: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[FeedbackCategory | None] = relationship(lazy="joined")
    channel_row: Mapped[FeedbackChannel] = relationship(lazy="joined")
    received_by: Mapped[User | None] = relationship(
        lazy="joined", foreign_keys=[received_by_id]
    )
    assignee: Mapped[User | None] = relationship(
        lazy="joined", foreign_keys=[assignee_id]
    )
    duplicate_of: Mapped[FeedbackItem | None] = relationship(
        remote_side=[id], foreign_keys=[duplicate_of_id]
    )
    transitions: Mapped[list[FeedbackTransition]] = relationship(
        back_populates="item", order_by="FeedbackTransition.id"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class FeedbackTransition(db.Model):
    """One recorded change of a feedback item's state (append-only)."""

    __tablename__ = "feedback_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item: Mapped[FeedbackItem] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship(lazy="joined")
