"""Moving a dossier through its life: every change a recorded transition."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.audit.services import record_event
from app.auth.models import User
from app.core.database import utcnow, writing
from app.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from app.core.text import vietnamese_sort_key
from app.core.timeutil import local
from app.core.validation import parse_action
from app.dossiers.models import STATUS_LABELS, Dossier, DossierTransition
from app.dossiers.schemas import TransitionIn
from app.dossiers.services import get_dossier, sync_payload
from app.dossiers.workflow import ACTIONS, FINAL_STATES, allowed_actions
from app.extensions import db
from app.office.calendar import WorkingCalendar, load_calendar
from offline_sync.outbox import enqueue_change

logger = logging.getLogger(__name__)

# A dossier is assigned to a specialist officer (công chức chuyên môn).
ASSIGNABLE_ROLES = ("officer",)


def parse_transition(data: Any) -> TransitionIn:
    """Check a transition request, or raise ValidationFailed."""
    return parse_action(TransitionIn, data, ACTIONS)


def apply_transition(code: str, request: TransitionIn, actor: User) -> Dossier:
    """Take an action on a dossier, if its state and the actor's role allow."""
    action = ACTIONS[request.action]
    dossier = get_dossier(code)
    if actor.role not in action.roles:
        raise PermissionDenied(
            f"Vai trò {actor.role_label.lower()} không được “{action.label.lower()}”."
        )
    if (
        actor.role == "officer"
        and dossier.assignee_id not in (None, actor.id)
        and request.action != "start"
    ):
        raise PermissionDenied(
            f"Hồ sơ đang do {dossier.assignee.full_name} xử lý; chỉ người được giao "
            "hoặc lãnh đạo mới thao tác trên hồ sơ này."
        )
    _check_state(dossier, request.action, actor.role)
    calendar = load_calendar()
    changes = _plan(dossier, request, calendar)

    with writing() as session:
        dossier = session.get(Dossier, dossier.id)
        # Another request may have moved the dossier since it was read.
        _check_state(dossier, request.action, actor.role)
        from_status = dossier.status
        status = changes.pop("status", None)
        changes.pop("return_to", None)
        for name, value in changes.items():
            setattr(dossier, name, value)
        if status is not None:
            dossier.status = status
        elif action.target is not None:
            dossier.status = action.target
        dossier.touch()
        session.add(
            DossierTransition(
                dossier_id=dossier.id,
                action=action.name,
                from_status=from_status,
                to_status=dossier.status,
                note=request.note or request.reason,
                data=_transition_data(request, changes),
                actor_id=actor.id,
            )
        )
        session.flush()
        enqueue_change("dossier", dossier.uuid, dossier.version, sync_payload(dossier))
        record_event(
            "record_changed",
            user=actor,
            entity="dossier",
            entity_uuid=dossier.uuid,
            action=action.name,
            version=dossier.version,
        )

    logger.info(
        "Dossier transition",
        extra={"dossier_uuid": dossier.uuid, "action": action.name},
    )
    return dossier


def _check_state(dossier: Dossier, action_name: str, role: str) -> None:
    action = ACTIONS[action_name]
    if dossier.status in action.sources:
        return
    possible = [a.label.lower() for a in allowed_actions(dossier.status, role)]
    now = STATUS_LABELS.get(dossier.status, dossier.status).lower()
    hint = (
        "Thao tác có thể làm lúc này: " + ", ".join(possible) + "."
        if possible
        else "Hồ sơ đã kết thúc, không còn thao tác nào."
        if dossier.status in FINAL_STATES
        else "Vai trò của bạn không có thao tác nào ở bước này."
    )
    raise InvalidTransition(
        f"Không thể “{action.label.lower()}” khi hồ sơ {now}. {hint}"
    )


def _plan(dossier: Dossier, request: TransitionIn, calendar: WorkingCalendar) -> dict:
    """Work out the changes an action makes, refusing what breaks a rule."""
    now = utcnow()
    name = request.action
    changes: dict[str, Any] = {}

    if name in ("start", "assign"):
        if request.assignee or name == "assign":
            changes["assignee_id"] = _assignee(request.assignee).id
    elif name == "request_supplement":
        # Decree 118/2025 (as Decree 61/2018 before it): the office asks for
        # every missing paper in one go, so only once per dossier.
        if any(t.action == "request_supplement" for t in dossier.transitions):
            raise InvalidTransition(
                "Hồ sơ này đã được yêu cầu bổ sung một lần; mọi giấy tờ còn thiếu "
                "phải được nêu đầy đủ ngay trong lần yêu cầu đó."
            )
        changes["return_to"] = dossier.status
        if not request.missing_papers:
            raise ValidationFailed(
                "Cần ghi đầy đủ các giấy tờ phải bổ sung, trong một lần.",
                {"missing_papers": "Danh sách giấy tờ cần bổ sung đang trống."},
            )
        changes["missing_papers"] = request.missing_papers
    elif name == "supplement_received":
        # The clock starts again from the day the complete dossier arrives.
        procedure = dossier.procedure
        changes["missing_papers"] = []
        changes["due_date"] = calendar.due_date(
            now, procedure.time_limit_days, procedure.cutoff
        )
        changes["legal_due_date"] = changes["due_date"]
        changes["original_due_date"] = dossier.original_due_date or dossier.due_date
        # Back to where it was when the papers were asked for (received, or
        # being processed by its officer).
        asked = [t for t in dossier.transitions if t.action == "request_supplement"]
        changes["status"] = asked[-1].from_status if asked else "in_progress"
    elif name == "resolve":
        changes["resolved_at"] = now
    elif name in ("return_result", "withdraw"):
        changes["finished_at"] = now
    elif name == "reject":
        _require_reason(request, "Vui lòng ghi rõ lý do từ chối.")
        changes["finished_at"] = now
    elif name == "reschedule":
        _require_reason(request, "Vui lòng ghi rõ lý do chậm trả kết quả.")
        changes["due_date"] = _new_due_date(dossier, request.new_due_date, calendar)
        changes["original_due_date"] = dossier.original_due_date or dossier.due_date
    return changes


def _require_reason(request: TransitionIn, message: str) -> None:
    if not request.reason:
        raise ValidationFailed(message, {"reason": message})


def _new_due_date(
    dossier: Dossier, new_due_date: date | None, calendar: WorkingCalendar
) -> date:
    if new_due_date is None:
        raise ValidationFailed(
            "Cần ngày hẹn trả mới.", {"new_due_date": "Vui lòng chọn ngày hẹn mới."}
        )
    today = local(utcnow()).date()
    if new_due_date < today:
        raise ValidationFailed(
            "Ngày hẹn mới không được ở quá khứ.",
            {"new_due_date": "Ngày hẹn mới đã qua."},
        )
    if new_due_date > today + timedelta(days=366):
        raise ValidationFailed(
            "Ngày hẹn mới không được xa quá một năm.",
            {"new_due_date": "Ngày hẹn mới quá xa."},
        )
    if new_due_date <= dossier.due_date:
        raise ValidationFailed(
            "Ngày hẹn mới phải sau ngày hẹn hiện tại.",
            {"new_due_date": f"Ngày hẹn hiện tại là {dossier.due_date:%d/%m/%Y}."},
        )
    if not calendar.is_working_day(new_due_date):
        raise ValidationFailed(
            "Ngày hẹn mới phải là ngày làm việc.",
            {"new_due_date": f"Ngày {new_due_date:%d/%m/%Y} là ngày nghỉ."},
        )
    return new_due_date


def _assignee(username: str | None) -> User:
    if not username:
        raise ValidationFailed(
            "Cần chọn người xử lý.", {"assignee": "Vui lòng chọn người xử lý."}
        )
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if user is None or not user.active or user.role not in ASSIGNABLE_ROLES:
        raise ValidationFailed(
            f"Không có cán bộ “{username}” để phân công.",
            {"assignee": "Người xử lý không hợp lệ."},
        )
    return user


def _transition_data(request: TransitionIn, changes: dict) -> dict:
    data: dict[str, Any] = {}
    if request.missing_papers:
        data["missing_papers"] = request.missing_papers
    if request.reason:
        data["reason"] = request.reason
    if request.assignee:
        data["assignee"] = request.assignee.lower()
    if "due_date" in changes:
        data["due_date"] = changes["due_date"].isoformat()
    return data


def fetch_assignable_users() -> list[User]:
    """List the staff a dossier can be assigned to."""
    query = select(User).where(User.active.is_(True), User.role.in_(ASSIGNABLE_ROLES))
    return sorted(
        db.session.scalars(query), key=lambda u: vietnamese_sort_key(u.full_name)
    )
