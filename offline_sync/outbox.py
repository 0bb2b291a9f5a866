"""Queue changes for the hub in the same transaction that makes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from offline_sync.models import OutboxEntry


def enqueue_change(
    entity: str, entity_uuid: str, version: int, payload: dict[str, Any]
) -> OutboxEntry:
    """Append an outbox entry; the caller's transaction makes it durable."""
    entry = OutboxEntry(
        entity=entity, entity_uuid=entity_uuid, version=version, payload=payload
    )
    db.session.add(entry)
    return entry


def count_pending_entries() -> int:
    """Count the entries the hub has not acknowledged yet."""
    query = select(func.count()).where(OutboxEntry.acknowledged_at.is_(None))
    return db.session.scalar(query) or 0
