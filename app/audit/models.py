"""Typed audit events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.database import UTCDateTime, utcnow
from app.extensions import db

EVENT_KINDS = (
    "login",
    "login_failed",
    "logout",
    "user_created",
    "user_changed",
    "token_created",
    "office_set_up",
    "catalog_imported",
    "calendar_changed",
    "record_created",
    "record_changed",
    "form_issued",
    "attachment_downloaded",
)


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    entity: Mapped[str | None] = mapped_column(String(32), nullable=True)
    entity_uuid: Mapped[str | None] = mapped_column(
        String(36), nullable=True, index=True
    )
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    remote_addr: Mapped[str | None] = mapped_column(String(64), nullable=True)

    user: Mapped[User | None] = relationship(lazy="joined")
