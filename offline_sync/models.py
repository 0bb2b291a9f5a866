"""The outbox: every change to a commune-owned row, in commit order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class OutboxEntry(db.Model):
    __tablename__ = "outbox"
    # AUTOINCREMENT keeps sequence numbers from ever being reused.
    __table_args__ = (
        UniqueConstraint("entity_uuid", "version"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_uuid: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the hub has acknowledged the entry (a later issue).
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
