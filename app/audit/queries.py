"""Reading the audit trail."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db

# How the details of an event read on the audit page.
DETAIL_LABELS = {
    "action": "thao tác",
    "version": "phiên bản",
    "form": "biểu mẫu",
    "attachment": "tệp đính kèm",
    "code": "mã",
    "procedure": "thủ tục",
    "channel": "kênh",
    "filename": "tên tệp",
}

EVENT_LABELS = {
    "record_created": "Tạo mới",
    "record_changed": "Thay đổi",
    "form_issued": "In biểu mẫu",
    "attachment_downloaded": "Tải tệp đính kèm",
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
