"""Reading the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db

EVENT_LABELS = {
    "record_created": "Tạo hồ sơ",
    "record_changed": "Thay đổi hồ sơ",
    "form_issued": "In biểu mẫu",
}


def fetch_events_for(entity_uuid: str, limit: int = 500) -> list[AuditEvent]:
    """Return a record's audit events, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity_uuid == entity_uuid)
        .order_by(AuditEvent.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))
