"""Scanned papers of a dossier: checked by content, stored by content hash.

Files live under <instance>/attachments/<first two hex digits>/<sha256>, so
the same scan uploaded twice is stored once and no name a user typed ever
reaches the file system.
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from pathlib import Path

import filetype
from flask import current_app

from app.audit.services import record_event
from app.auth.models import User
from app.core.database import writing
from app.core.errors import NotFound, ValidationFailed
from app.core.text import nfc
from app.dossiers.models import Attachment, Dossier
from app.dossiers.workflow import FINAL_STATES
from offline_sync.outbox import enqueue_change

logger = logging.getLogger(__name__)

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


def attachments_root() -> Path:
    """Return the folder that holds every stored scan."""
    return Path(current_app.instance_path) / "attachments"


def clean_filename(raw: str | None) -> str:
    """Check an uploaded file's name; refuse paths and odd characters."""
    name = nfc(raw or "") or ""
    if not name:
        raise ValidationFailed(
            "Tệp tải lên không có tên.", {"file": "Vui lòng chọn tệp."}
        )
    if "/" in name or "\\" in name or name in (".", "..") or ":" in name:
        raise ValidationFailed(
            "Tên tệp không được chứa đường dẫn thư mục.",
            {"file": "Tên tệp có ký tự / \\ hoặc : không được phép."},
        )
    if len(name) > 200 or any(unicodedata.category(c) == "Cc" for c in name):
        raise ValidationFailed(
            "Tên tệp quá dài hoặc có ký tự điều khiển.",
            {"file": "Tên tệp không hợp lệ."},
        )
    return name


def store_attachment(dossier: Dossier, filename: str, data: bytes, user: User):
    """Check a scan, write it durably and record it on the dossier."""
    if dossier.status in FINAL_STATES:
        raise ValidationFailed(
            "Hồ sơ đã kết thúc; không đính kèm thêm bản quét được nữa.",
            {"file": "Hồ sơ đã kết thúc."},
        )
    name = clean_filename(filename)
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    if not data:
        raise ValidationFailed("Tệp tải lên rỗng.", {"file": "Tệp không có nội dung."})
    if len(data) > limit:
        raise ValidationFailed(
            f"Tệp lớn quá {limit // (1024 * 1024)} MB.", {"file": "Tệp quá lớn."}
        )
    kind = filetype.guess(data)
    media_type = kind.mime if kind else None
    if media_type not in ALLOWED_TYPES:
        raise ValidationFailed(
            "Chỉ nhận bản quét dạng PDF, JPEG hoặc PNG; nội dung tệp này không phải "
            "một trong các dạng đó.",
            {"file": "Định dạng tệp không được chấp nhận."},
        )

    digest = hashlib.sha256(data).hexdigest()
    _write_once(digest, data)
    with writing() as session:
        attachment = Attachment(
            dossier_id=dossier.id,
            sha256=digest,
            filename=name,
            media_type=media_type,
            size=len(data),
            uploaded_by_id=user.id,
        )
        session.add(attachment)
        session.flush()
        enqueue_change(
            "attachment",
            attachment.uuid,
            1,
            {
                "uuid": attachment.uuid,
                "dossier_uuid": dossier.uuid,
                "sha256": digest,
                "filename": name,
                "media_type": media_type,
                "size": len(data),
            },
        )
        record_event(
            "record_changed",
            user=user,
            entity="dossier",
            entity_uuid=dossier.uuid,
            attachment=attachment.uuid,
        )
    logger.info("Attachment stored", extra={"attachment_uuid": attachment.uuid})
    return attachment


def _write_once(digest: str, data: bytes) -> None:
    target = attachments_root() / digest[:2] / digest
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        # The row that points at the file commits after this: the file must
        # already be on disk when the clerk sees "saved".
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def record_download(dossier: Dossier, attachment: Attachment, user: User) -> None:
    """Note in the audit trail who opened a citizen's scanned paper."""
    with writing():
        record_event(
            "attachment_downloaded",
            user=user,
            entity="dossier",
            entity_uuid=dossier.uuid,
            filename=attachment.filename,
        )


def open_attachment(dossier: Dossier, attachment_uuid: str) -> tuple[Attachment, Path]:
    """Find a dossier's attachment and the path of its stored file."""
    for attachment in dossier.attachments:
        if attachment.uuid == attachment_uuid:
            path = attachments_root() / attachment.sha256[:2] / attachment.sha256
            if not path.is_file():
                raise NotFound("Tệp đính kèm đã bị mất khỏi máy chủ.")
            return attachment, path
    raise NotFound("Không tìm thấy tệp đính kèm này.")
