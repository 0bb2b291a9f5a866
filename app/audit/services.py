"""Append events to the audit trail, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from app.audit.models import EVENT_KINDS, AuditEvent
from app.extensions import db


def record_event(
    kind: str,
    *,
    user=None,
    entity: str | None = None,
    entity_uuid: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one typed event; never a citizen ID, phone or password in it."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown audit event kind {kind!r}")

    event = AuditEvent(
        kind=kind,
        user_id=getattr(user, "id", None),
        entity=entity,
        entity_uuid=entity_uuid,
        detail=detail,
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
