"""How a dossier reads in JSON: one shape for the API, masked in lists."""

from __future__ import annotations

from typing import Any

from app.core.text import mask_digits
from app.core.timeutil import local
from app.dossiers.models import Dossier


def dossier_out(dossier: Dossier, masked: bool) -> dict[str, Any]:
    """Describe a dossier; lists mask the citizen ID and phone number."""
    id_number = dossier.applicant_id_number
    phone = dossier.applicant_phone
    if masked:
        id_number = mask_digits(id_number) or None
        phone = mask_digits(phone) or None
    return {
        "code": dossier.code,
        "uuid": dossier.uuid,
        "version": dossier.version,
        "status": dossier.status,
        "status_label": dossier.status_label,
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure.name,
        "channel": dossier.channel,
        "received_at": local(dossier.received_at).isoformat(),
        "due_date": dossier.due_date.isoformat(),
        "applicant": {
            "full_name": dossier.applicant_name,
            "id_number": id_number,
            "phone": phone,
            "address": dossier.applicant_address,
        },
        "papers": list(dossier.papers or []),
        "copies": dossier.copies,
        "note": dossier.note,
        "received_by": dossier.received_by.full_name,
        "assignee": dossier.assignee.username if dossier.assignee else None,
        "receiving_office": dossier.receiving_office,
        "deciding_authority": dossier.deciding_authority,
        "missing_papers": list(dossier.missing_papers or []),
        "original_due_date": _iso(dossier.original_due_date),
        "resolved_at": _local_iso(dossier.resolved_at),
        "finished_at": _local_iso(dossier.finished_at),
    }


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def _local_iso(value) -> str | None:
    return None if value is None else local(value).isoformat()


def attachment_out(code: str, attachment) -> dict[str, Any]:
    """Describe an attachment, with the API address of its file."""
    return {
        "uuid": attachment.uuid,
        "filename": attachment.filename,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": attachment.uploaded_by.full_name,
        "uploaded_at": local(attachment.uploaded_at).isoformat(),
        "url": f"/api/v1/dossiers/{code}/attachments/{attachment.uuid}",
    }


def dossier_detail_out(dossier: Dossier, masked: bool = False) -> dict[str, Any]:
    """Describe a dossier in full, with its transitions and attachments."""
    body = dossier_out(dossier, masked=masked)
    body["attachments"] = [attachment_out(dossier.code, a) for a in dossier.attachments]
    body["transitions"] = [
        {
            "action": t.action,
            "from_status": t.from_status,
            "to_status": t.to_status,
            "note": t.note,
            "data": t.data or {},
            "actor": t.actor.full_name,
            "at": local(t.at).isoformat(),
        }
        for t in dossier.transitions
    ]
    return body
