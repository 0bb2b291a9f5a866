"""How feedback reads in JSON: staff see the submitter, lists mask them."""

from __future__ import annotations

from typing import Any

from app.core.text import mask_digits
from app.core.timeutil import local
from app.feedback.models import FeedbackItem


def feedback_out(item: FeedbackItem, masked: bool) -> dict[str, Any]:
    """Describe a feedback item; lists mask the phone and citizen ID."""
    submitter = None
    if item.submitter_name or item.submitter_phone or item.submitter_address:
        phone, id_number = item.submitter_phone, item.submitter_id_number
        if masked:
            phone, id_number = (
                mask_digits(phone) or None,
                mask_digits(id_number) or None,
            )
        submitter = {
            "full_name": item.submitter_name,
            "phone": phone,
            "address": item.submitter_address,
            "id_number": id_number,
            "email": None if masked else item.submitter_email,
        }
    return {
        "code": item.code,
        "uuid": item.uuid,
        "version": item.version,
        "status": item.status,
        "status_label": item.status_label,
        "channel": item.channel,
        "category_code": item.category_code,
        "title": item.title,
        "content": item.content,
        "submitter": submitter,
        "location": item.location,
        "received_at": local(item.received_at).isoformat(),
        "due_date": item.due_date.isoformat(),
        "assignee": item.assignee.username if item.assignee else None,
        "response": item.response,
        "responded_at": _local(item.responded_at),
        "published_at": _local(item.published_at),
        "duplicate_of": item.duplicate_of.code if item.duplicate_of else None,
    }


def feedback_detail_out(
    item: FeedbackItem, duplicates: list[str], masked: bool = False
) -> dict[str, Any]:
    """Describe an item in full, with its transitions and likely repeats."""
    body = feedback_out(item, masked=masked)
    body["transitions"] = [
        {
            "action": t.action,
            "from_status": t.from_status,
            "to_status": t.to_status,
            "note": t.note,
            "data": t.data or {},
            "actor": t.actor.full_name if t.actor else None,
            "at": local(t.at).isoformat(),
        }
        for t in item.transitions
    ]
    body["possible_duplicates"] = duplicates
    return body


def _local(moment) -> str | None:
    return None if moment is None else local(moment).isoformat()
