"""The rules of feedback: intake, duplicates, deadlines, transitions."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from app.audit.services import record_event
from app.auth.models import User
from app.core.database import utcnow, writing
from app.core.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from app.core.search import (
    CODE_LIKE,
    Pager,
    TextQuery,
    code_prefix,
)
from app.core.text import exact_key, fold
from app.core.timeutil import local
from app.core.validation import parse_action, parse_body
from app.dossiers.queries import next_daily_number
from app.extensions import db
from app.feedback.models import (
    OPEN_STATES,
    STATUS_LABELS,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackItem,
    FeedbackTransition,
)
from app.feedback.schemas import FeedbackIntake, FeedbackTransitionIn
from app.feedback.workflow import ACTIONS, allowed_actions
from app.office.calendar import load_calendar
from app.office.services import get_office
from offline_sync.outbox import enqueue_change

logger = logging.getLogger(__name__)

PAGER = Pager(FeedbackItem, "feedback_search")
DUPLICATE_WINDOW = timedelta(days=60)
# Share of words two texts must have in common to look like one report.
SIMILARITY = 0.5
_CLOCK_SKEW = timedelta(minutes=5)
_WORD = re.compile(r"\w{2,}")
SORT_ORDERS = {
    "newest": (FeedbackItem.received_at.desc(), FeedbackItem.id.desc()),
    "oldest": (FeedbackItem.received_at, FeedbackItem.id),
    "due": (FeedbackItem.due_date, FeedbackItem.id),
}


def parse_intake(data: Any) -> FeedbackIntake:
    """Check raw intake data and return it clean, or raise ValidationFailed."""
    return parse_body(FeedbackIntake, data)


@dataclass
class Received:
    item: FeedbackItem
    possible_duplicates: list[str]


def receive_feedback(intake: FeedbackIntake, clerk: User | None) -> Received:
    """Record feedback and point out items it may repeat."""
    office = get_office()
    if office is None:
        raise ValidationFailed(
            "Văn phòng chưa được thiết lập; quản trị viên cần chạy lệnh setup."
        )
    channel = db.session.get(FeedbackChannel, intake.channel)
    if channel is None or not channel.active:
        codes = ", ".join(db.session.scalars(select(FeedbackChannel.code)))
        raise ValidationFailed(
            f"Không có kênh tiếp nhận “{intake.channel}”.",
            {"channel": f"Chọn một trong: {codes}."},
        )
    category = None
    if intake.category_code:
        category = db.session.get(FeedbackCategory, intake.category_code)
        if category is None or not category.active:
            raise ValidationFailed(
                f"Không có loại phản ánh mã “{intake.category_code}”.",
                {"category_code": "Loại phản ánh không có trong danh mục."},
            )
    submitter = intake.submitter
    if channel.requires_name and (
        submitter is None or not submitter.full_name or not submitter.address
    ):
        raise ValidationFailed(
            f"Phản ánh qua kênh “{channel.name}” phải ghi rõ họ tên và địa chỉ "
            "người gửi (Nghị định 20/2008/NĐ-CP); phản ánh thiếu họ tên hoặc "
            "địa chỉ không được tiếp nhận qua kênh này.",
            {"submitter": "Cần họ tên và địa chỉ người phản ánh."},
        )

    now = utcnow()
    received_at = intake.received_at or now
    if received_at > now + _CLOCK_SKEW:
        raise ValidationFailed(
            "Thời điểm tiếp nhận không được ở tương lai.",
            {"received_at": "Thời điểm tiếp nhận muộn hơn giờ hiện tại."},
        )
    limit = category.time_limit_days if category else _default_limit()
    due_date = load_calendar().due_date(received_at, limit, None)
    words = _words(f"{intake.title} {intake.content}")
    place_key = fold(intake.location or "")
    duplicates = find_possible_duplicates(
        submitter, category.code if category else None, place_key, words, received_at
    )

    with writing() as session:
        day = local(received_at).date()
        number = next_daily_number(f"{office.agency_code}/PA", day)
        item = FeedbackItem(
            code=f"PA-{office.agency_code}-{day:%y%m%d}-{number:04d}",
            channel=channel.code,
            category_code=category.code if category else None,
            status="received",
            title=intake.title,
            content=intake.content,
            submitter_name=submitter.full_name if submitter else None,
            submitter_phone=submitter.phone if submitter else None,
            submitter_address=submitter.address if submitter else None,
            submitter_id_number=submitter.id_number if submitter else None,
            submitter_email=submitter.email if submitter else None,
            location=intake.location,
            place_key=place_key[:255],
            latitude=intake.latitude,
            longitude=intake.longitude,
            received_at=received_at,
            due_date=due_date,
            received_by_id=clerk.id if clerk else None,
            assignee_id=category.default_handler_id if category else None,
            words=" ".join(sorted(words)),
        )
        _fill_search_keys(item)
        session.add(item)
        session.flush()
        session.add(
            FeedbackTransition(
                feedback_id=item.id,
                action="receive",
                to_status="received",
                actor_id=clerk.id if clerk else None,
                at=now,
                data={"possible_duplicates": duplicates} if duplicates else {},
            )
        )
        enqueue_change("feedback", item.uuid, item.version, sync_payload(item))
        record_event(
            "record_created",
            user=clerk,
            entity="feedback",
            entity_uuid=item.uuid,
            code=item.code,
            channel=channel.code,
        )
    logger.info("Feedback received", extra={"feedback_uuid": item.uuid})
    return Received(item, duplicates)


def _default_limit() -> int:
    fallback = db.session.get(FeedbackCategory, "KHAC")
    return fallback.time_limit_days if fallback else 15


def _words(value: str) -> set[str]:
    return set(_WORD.findall(fold(value))[:400])


def _fill_search_keys(item: FeedbackItem) -> None:
    people = f"{item.submitter_name or ''} {item.location or ''}"
    item.search_folded = (
        f"{item.code.lower()} {fold(people)} {fold(item.title)} {fold(item.content)}"
    )
    item.search_exact = exact_key(f"{people} {item.title} {item.content}")


def find_possible_duplicates(
    submitter, category_code, place_key: str, words: set[str], received_at: datetime
) -> list[str]:
    """Find open or recent items that look like the same report.

    Two kinds count: the same person (phone or citizen ID) within the
    window, and text sharing at least half its words with an item of the
    same category and place within the window.
    """
    since = received_at - DUPLICATE_WINDOW
    found: dict[int, str] = {}
    same_person = []
    if submitter is not None and submitter.phone:
        same_person.append(FeedbackItem.submitter_phone == submitter.phone)
    if submitter is not None and submitter.id_number:
        same_person.append(FeedbackItem.submitter_id_number == submitter.id_number)
    if same_person:
        rows = db.session.execute(
            select(FeedbackItem.id, FeedbackItem.code)
            .where(or_(*same_person), FeedbackItem.received_at >= since)
            .order_by(FeedbackItem.received_at.desc())
            .limit(10)
        )
        found.update(dict(rows.all()))

    if words and category_code:
        # The same category and place within the window is a small set
        # (an index range); comparing word sets in Python is then cheap.
        candidates = db.session.execute(
            select(FeedbackItem.id, FeedbackItem.code, FeedbackItem.words)
            .where(
                FeedbackItem.category_code == category_code,
                FeedbackItem.place_key == place_key,
                FeedbackItem.received_at >= since,
            )
            .order_by(FeedbackItem.received_at.desc())
            .limit(2000)
        )
        for item_id, code, stored in candidates:
            other = set(stored.split())
            overlap = len(words & other) / max(1, min(len(words), len(other)))
            if overlap >= SIMILARITY:
                found[item_id] = code
    return list(dict.fromkeys(found.values()))[:10]


def get_item(code: str) -> FeedbackItem:
    """Return a feedback item by its code, or raise NotFound."""
    item = db.session.scalar(
        select(FeedbackItem).where(FeedbackItem.code == (code or "").strip())
    )
    if item is None:
        raise NotFound(f"Không tìm thấy phản ánh mã “{code}”.")
    return item


def list_feedback(
    query: str | None = None,
    status: str | None = None,
    page: int = 1,
    page_size: int = 25,
    *,
    category: str | None = None,
    channel: str | None = None,
    due: str | None = None,
    sort: str | None = None,
) -> tuple[list[FeedbackItem], int]:
    """Search feedback after checking every filter."""
    faults = {}
    if status and status not in STATUS_LABELS:
        faults["status"] = "Chọn một trong: " + ", ".join(STATUS_LABELS) + "."
    if query and len(query) > 200:
        faults["q"] = "Từ khóa dài quá 200 ký tự."
    if due and due not in ("overdue", "soon"):
        faults["due"] = "Chọn một trong: overdue, soon."
    if sort and sort not in SORT_ORDERS:
        faults["sort"] = "Chọn một trong: " + ", ".join(SORT_ORDERS) + "."
    for name, value in (("category", category), ("channel", channel)):
        if value and len(value) > 32:
            faults[name] = "Mã không hợp lệ."
    if faults:
        raise ValidationFailed("Điều kiện lọc chưa hợp lệ.", faults)

    conditions = []
    if status:
        conditions.append(FeedbackItem.status == status)
    if category:
        conditions.append(FeedbackItem.category_code == category)
    if channel:
        conditions.append(FeedbackItem.channel == channel)
    if due:
        today = local(utcnow()).date()
        conditions.append(FeedbackItem.status.in_(OPEN_STATES))
        if due == "overdue":
            conditions.append(FeedbackItem.due_date < today)
        else:
            soon = load_calendar().add_working_days(today, 2)
            conditions.extend(
                [FeedbackItem.due_date >= today, FeedbackItem.due_date <= soon]
            )
    order = SORT_ORDERS[sort or ("due" if due else "newest")]
    offset = (page - 1) * page_size

    typed = (query or "").strip()
    if typed.upper().startswith("PA-") and CODE_LIKE.match(typed[3:] or "x"):
        conditions.append(code_prefix(FeedbackItem.code, typed, conditions, PAGER))
        typed = ""
    text_query = TextQuery.parse(typed)
    if text_query:
        total, ids = PAGER.search(text_query, conditions, order, offset, page_size)
    else:
        total = PAGER.count(conditions)
        ids = PAGER.page_ids(conditions, order, offset, page_size)
    return PAGER.load(ids), total


def parse_transition(data: Any) -> FeedbackTransitionIn:
    """Check a transition request, or raise ValidationFailed."""
    return parse_action(FeedbackTransitionIn, data, ACTIONS)


def apply_transition(
    code: str, request: FeedbackTransitionIn, actor: User
) -> FeedbackItem:
    """Take an action on a feedback item, if its state and the role allow."""
    action = ACTIONS[request.action]
    item = get_item(code)
    if actor.role not in action.roles:
        raise PermissionDenied(
            f"Vai trò {actor.role_label.lower()} không được “{action.label.lower()}”."
        )
    _check_state(item, action.name)
    changes, data = _plan(item, request)

    with writing() as session:
        item = session.get(FeedbackItem, item.id)
        _check_state(item, action.name)
        from_status = item.status
        for name, value in changes.items():
            setattr(item, name, value)
        item.status = action.target
        item.touch()
        session.add(
            FeedbackTransition(
                feedback_id=item.id,
                action=action.name,
                from_status=from_status,
                to_status=item.status,
                note=request.note or request.reason,
                data=data,
                actor_id=actor.id,
            )
        )
        session.flush()
        enqueue_change("feedback", item.uuid, item.version, sync_payload(item))
        record_event(
            "record_changed",
            user=actor,
            entity="feedback",
            entity_uuid=item.uuid,
            action=action.name,
            version=item.version,
        )
    return item


def _check_state(item: FeedbackItem, action_name: str) -> None:
    action = ACTIONS[action_name]
    if item.status in action.sources:
        return
    possible = [a.label.lower() for a in allowed_actions(item.status)]
    now = STATUS_LABELS.get(item.status, item.status).lower()
    hint = (
        "Thao tác có thể làm lúc này: " + ", ".join(possible) + "."
        if possible
        else "Phản ánh đã kết thúc, không còn thao tác nào."
    )
    raise InvalidTransition(
        f"Không thể “{action.label.lower()}” khi phản ánh {now}. {hint}"
    )


def _plan(item: FeedbackItem, request: FeedbackTransitionIn) -> tuple[dict, dict]:
    now = utcnow()
    changes: dict[str, Any] = {}
    data: dict[str, Any] = {}
    name = request.action
    if name == "reject":
        if not request.reason:
            message = "Vui lòng ghi rõ lý do không thụ lý."
            raise ValidationFailed(message, {"reason": message})
        changes["closed_at"] = now
        data["reason"] = request.reason
    elif name == "assign":
        assignee = _assignee(request.assignee)
        changes["assignee_id"] = assignee.id
        data["assignee"] = assignee.username
    elif name == "respond":
        if not request.response or len(request.response) < 5:
            message = "Vui lòng nhập nội dung trả lời đầy đủ."
            raise ValidationFailed(message, {"response": message})
        changes["response"] = request.response
        changes["responded_at"] = now
    elif name == "publish":
        _refuse_personal_data(item)
        changes["published_at"] = now
    elif name == "close":
        changes["closed_at"] = now
    elif name == "merge":
        target = get_item(request.into or "")
        if target.id == item.id:
            raise ValidationFailed(
                "Không thể gộp phản ánh vào chính nó.", {"into": "Chọn phản ánh khác."}
            )
        # Merge only into an item someone still handles or has answered;
        # merging into a closed or merged item would leave both unanswered.
        if target.duplicate_of_id is not None or target.status in (
            "closed",
            "rejected",
        ):
            raise InvalidTransition(
                f"Phản ánh {target.code} đã kết thúc hoặc đã được gộp; hãy gộp vào "
                "phản ánh đang được xử lý."
            )
        changes["duplicate_of_id"] = target.id
        changes["closed_at"] = now
        data["into"] = target.code
    return changes, data


def _assignee(username: str | None) -> User:
    if not username:
        raise ValidationFailed(
            "Cần chọn người xử lý.", {"assignee": "Vui lòng chọn người xử lý."}
        )
    user = db.session.scalar(select(User).where(User.username == username.lower()))
    if (
        user is None
        or not user.active
        or user.role not in ("officer", "clerk", "leader")
    ):
        raise ValidationFailed(
            f"Không có cán bộ “{username}” để giao xử lý.",
            {"assignee": "Người xử lý không hợp lệ."},
        )
    return user


def sync_payload(item: FeedbackItem) -> dict[str, Any]:
    """Describe a feedback item as the hub will receive it."""
    return {
        "uuid": item.uuid,
        "version": item.version,
        "code": item.code,
        "channel": item.channel,
        "category_code": item.category_code,
        "status": item.status,
        "title": item.title,
        "content": item.content,
        "submitter": {
            "full_name": item.submitter_name,
            "phone": item.submitter_phone,
            "address": item.submitter_address,
            "id_number": item.submitter_id_number,
            "email": item.submitter_email,
        },
        "location": item.location,
        "received_at": item.received_at.isoformat(),
        "due_date": item.due_date.isoformat(),
        "response": item.response,
        "duplicate_of": item.duplicate_of.code if item.duplicate_of else None,
    }


def list_categories() -> list[FeedbackCategory]:
    """Return the active categories by name."""
    query = select(FeedbackCategory).where(FeedbackCategory.active.is_(True))
    return list(db.session.scalars(query.order_by(FeedbackCategory.name)))


def list_channels() -> list[FeedbackChannel]:
    """Return the active channels."""
    query = select(FeedbackChannel).where(FeedbackChannel.active.is_(True))
    return list(db.session.scalars(query))


def possible_duplicates_of(item: FeedbackItem) -> list[str]:
    """Find, again, the items a stored item may repeat (for its page)."""
    from app.feedback.schemas import SubmitterIn

    submitter = SubmitterIn.model_construct(
        full_name=item.submitter_name,
        phone=item.submitter_phone,
        address=item.submitter_address,
        id_number=item.submitter_id_number,
        email=item.submitter_email,
    )
    codes = find_possible_duplicates(
        submitter,
        item.category_code,
        item.place_key,
        set(item.words.split()),
        item.received_at,
    )
    return [code for code in codes if code != item.code]


def update_category(code: str, data: dict, by: User) -> FeedbackCategory:
    """Change a category's time limit, default handler or activity."""
    faults = {}
    limit = str(data.get("time_limit_days") or "").strip()
    if not re.fullmatch(r"[0-9]{1,3}", limit) or not 1 <= int(limit) <= 120:
        faults["time_limit_days"] = "Thời hạn là số ngày làm việc, từ 1 đến 120."
    handler = None
    username = (data.get("default_handler") or "").strip()
    if username:
        try:
            handler = _assignee(username)
        except ValidationFailed as failure:
            faults["default_handler"] = failure.fields["assignee"]
    if faults:
        raise ValidationFailed("Thông tin loại phản ánh chưa hợp lệ.", faults)

    with writing() as session:
        category = session.get(FeedbackCategory, code)
        if category is None:
            raise NotFound(f"Không có loại phản ánh mã “{code}”.")
        category.time_limit_days = int(limit)
        category.default_handler_id = handler.id if handler else None
        category.active = bool(data.get("active"))
        category.updated_at = utcnow()
        record_event(
            "catalog_imported",
            user=by,
            entity="feedback_category",
            source="web",
            code=code,
        )
    return category


def update_channel(code: str, requires_name: bool, active: bool, by: User) -> None:
    """Say whether a channel takes anonymous feedback, or is in use at all."""
    with writing() as session:
        channel = session.get(FeedbackChannel, code)
        if channel is None:
            raise NotFound(f"Không có kênh “{code}”.")
        channel.requires_name = requires_name
        channel.active = active
        record_event(
            "catalog_imported",
            user=by,
            entity="feedback_channel",
            source="web",
            code=code,
            requires_name=requires_name,
            active=active,
        )


def list_all_categories() -> list[FeedbackCategory]:
    """Return every category, active or not, by name."""
    return list(
        db.session.scalars(select(FeedbackCategory).order_by(FeedbackCategory.name))
    )


def list_all_channels() -> list[FeedbackChannel]:
    """Return every channel, active or not."""
    return list(db.session.scalars(select(FeedbackChannel)))


_PHONE_LIKE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_ID_LIKE = re.compile(r"(?<!\d)\d{9}(?:\d{3})?(?!\d)")
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def _refuse_personal_data(item: FeedbackItem) -> None:
    """Refuse to publish a title or answer that names or reaches a person.

    The public pages and Open311 show the title and the answer to anyone;
    a phone number, an ID number, an e-mail address or the sender's name
    there would publish a citizen's identity (Decree 13/2023 on personal
    data).
    """
    public = f"{item.title}\n{item.response or ''}"
    folded = fold(public)
    found = []
    if _PHONE_LIKE.search(public):
        found.append("số điện thoại")
    if _ID_LIKE.search(public):
        found.append("số định danh")
    if _EMAIL_LIKE.search(public):
        found.append("thư điện tử")
    if item.submitter_name and fold(item.submitter_name) in folded:
        found.append("họ tên người gửi")
    if found:
        raise ValidationFailed(
            "Tiêu đề hoặc nội dung trả lời còn thông tin cá nhân ("
            + ", ".join(found)
            + "); vui lòng sửa trước khi công khai.",
            {"response": "Có thông tin cá nhân trong phần công khai."},
        )
