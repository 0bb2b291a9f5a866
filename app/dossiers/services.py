"""The rules of dossiers: intake, codes, deadlines, lookups."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.audit.services import record_event
from app.auth.models import User
from app.core.database import refresh_statistics, utcnow, writing
from app.core.errors import NotFound, ValidationFailed
from app.core.text import exact_key, fold, vietnamese_sort_key
from app.core.timeutil import local
from app.core.validation import parse_body
from app.dossiers import queries
from app.dossiers.models import STATUS_LABELS, Dossier, DossierTransition
from app.dossiers.schemas import DossierIntake
from app.extensions import db
from app.office.calendar import load_calendar
from app.office.services import get_office
from offline_sync.outbox import enqueue_change

logger = logging.getLogger(__name__)

# A receipt time may be entered late, never ahead of the clock.
_CLOCK_SKEW = timedelta(minutes=5)
_OLDEST_BACKDATE = timedelta(days=366)


def parse_intake(data: Any) -> DossierIntake:
    """Check raw intake data and return it clean, or raise ValidationFailed."""
    return parse_body(DossierIntake, data)


def receive_dossier(intake: DossierIntake, clerk: User) -> Dossier:
    """Record a dossier received at the one-stop office."""
    office = get_office()
    if office is None:
        raise ValidationFailed(
            "Văn phòng chưa được thiết lập; quản trị viên cần chạy lệnh setup."
        )
    procedure = queries.fetch_active_procedure(intake.procedure_code)
    if procedure is None:
        raise ValidationFailed(
            f"Không có thủ tục mã “{intake.procedure_code}” trong danh mục.",
            {"procedure_code": "Mã thủ tục không có trong danh mục."},
        )
    now = utcnow()
    received_at = intake.received_at or now
    _check_receipt_time(received_at, now)

    due_date = load_calendar().due_date(
        received_at, procedure.time_limit_days, procedure.cutoff
    )
    papers = intake.papers if intake.papers is not None else procedure.paper_list
    applicant = intake.applicant

    with writing() as session:
        day = local(received_at).date()
        number = queries.next_daily_number(office.agency_code, day)
        dossier = Dossier(
            code=f"{office.agency_code}-{day:%y%m%d}-{number:04d}",
            procedure_code=procedure.code,
            status="received",
            channel=intake.channel,
            applicant_name=applicant.full_name,
            applicant_id_number=applicant.id_number,
            applicant_phone=applicant.phone,
            applicant_address=applicant.address,
            papers=papers,
            copies=intake.copies,
            note=intake.note,
            received_at=received_at,
            due_date=due_date,
            legal_due_date=due_date,
            received_by_id=clerk.id,
            receiving_office=f"{office.one_stop_unit} {office.name_in_text}",
            deciding_authority=procedure.deciding_authority
            or f"Ủy ban nhân dân {office.name_in_text}",
        )
        _fill_search_keys(dossier)
        session.add(dossier)
        session.flush()
        session.add(
            DossierTransition(
                dossier_id=dossier.id,
                action="receive",
                from_status=None,
                to_status="received",
                note=intake.note,
                actor_id=clerk.id,
                at=now,
            )
        )
        enqueue_change("dossier", dossier.uuid, dossier.version, sync_payload(dossier))
        record_event(
            "record_created",
            user=clerk,
            entity="dossier",
            entity_uuid=dossier.uuid,
            code=dossier.code,
            procedure=procedure.code,
        )

    logger.info("Dossier received", extra={"dossier_uuid": dossier.uuid})
    if dossier.id % 5000 == 0:
        refresh_statistics()
    return dossier


def _check_receipt_time(received_at: datetime, now: datetime) -> None:
    if received_at > now + _CLOCK_SKEW:
        raise ValidationFailed(
            "Thời điểm tiếp nhận không được ở tương lai.",
            {"received_at": "Thời điểm tiếp nhận muộn hơn giờ hiện tại."},
        )
    if received_at < now - _OLDEST_BACKDATE:
        raise ValidationFailed(
            "Thời điểm tiếp nhận cách đây quá một năm.",
            {"received_at": "Thời điểm tiếp nhận quá xa trong quá khứ."},
        )


def _fill_search_keys(dossier: Dossier) -> None:
    dossier.search_folded = f"{fold(dossier.applicant_name)} {dossier.code.lower()}"
    dossier.search_exact = exact_key(dossier.applicant_name)
    dossier.sort_name = vietnamese_sort_key(dossier.applicant_name)


def get_dossier(code: str) -> Dossier:
    """Return a dossier by its code, or raise NotFound."""
    dossier = queries.fetch_dossier_by_code((code or "").strip())
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã “{code}”.")
    return dossier


DUE_WINDOWS = {
    "overdue": "Quá hạn",
    "today": "Đến hạn hôm nay",
    "soon": "Đến hạn trong 2 ngày làm việc",
}
SORTS = {
    "newest": "Mới nhận trước",
    "oldest": "Nhận sớm trước",
    "due": "Hạn trả gần nhất",
    "name": "Tên người nộp (A-Z)",
}


def list_dossiers(
    query: str | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 25,
    *,
    field: str | None = None,
    assignee: str | None = None,
    due: str | None = None,
    sort: str | None = None,
) -> tuple[list[Dossier], int]:
    """Search dossiers after checking every filter."""
    faults = {}
    if status and status not in STATUS_LABELS:
        faults["status"] = "Chọn một trong: " + ", ".join(STATUS_LABELS) + "."
    if query and len(query) > 200:
        faults["q"] = "Từ khóa dài quá 200 ký tự."
    if due and due not in DUE_WINDOWS:
        faults["due"] = "Chọn một trong: " + ", ".join(DUE_WINDOWS) + "."
    if sort and sort not in SORTS:
        faults["sort"] = "Chọn một trong: " + ", ".join(SORTS) + "."
    if field and len(field) > 120:
        faults["field"] = "Lĩnh vực không hợp lệ."
    assignee_id = None
    if assignee:
        user = db.session.scalar(select(User).where(User.username == assignee))
        if user is None:
            faults["assignee"] = "Không có cán bộ này."
        else:
            assignee_id = user.id
    if faults:
        raise ValidationFailed("Điều kiện lọc chưa hợp lệ.", faults)

    calendar = load_calendar()
    today = local(utcnow()).date()
    soon = calendar.add_working_days(today, 2)
    criteria = queries.DossierFilter(
        query=query,
        status=status or None,
        field=field or None,
        assignee_id=assignee_id,
        due=due or None,
        # A deadline window reads best, and fastest, by deadline.
        sort=sort or ("due" if due else "newest"),
        page=page,
        page_size=page_size,
    )
    return queries.search_dossiers(criteria, today, soon)


def sync_payload(dossier: Dossier) -> dict[str, Any]:
    """Describe a dossier as the hub will receive it."""
    return {
        "uuid": dossier.uuid,
        "version": dossier.version,
        "code": dossier.code,
        "procedure_code": dossier.procedure_code,
        "status": dossier.status,
        "channel": dossier.channel,
        "applicant": {
            "full_name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "address": dossier.applicant_address,
        },
        "papers": list(dossier.papers or []),
        "copies": dossier.copies,
        "note": dossier.note,
        "receiving_office": dossier.receiving_office,
        "deciding_authority": dossier.deciding_authority,
        "assignee_uuid": dossier.assignee.uuid if dossier.assignee else None,
        "missing_papers": list(dossier.missing_papers or []),
        "received_at": dossier.received_at.isoformat(),
        "due_date": dossier.due_date.isoformat(),
        "original_due_date": _iso(dossier.original_due_date),
        "resolved_at": _iso(dossier.resolved_at),
        "finished_at": _iso(dossier.finished_at),
        "created_at": dossier.created_at.isoformat(),
        "updated_at": dossier.updated_at.isoformat(),
    }


def record_form_issued(dossier: Dossier, form: str, user: User) -> None:
    """Note in the audit trail that a form of a dossier was printed."""
    with writing():
        record_event(
            "form_issued",
            user=user,
            entity="dossier",
            entity_uuid=dossier.uuid,
            form=form,
        )


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()
