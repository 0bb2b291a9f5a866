"""Fill an office database with many realistic dossiers, fast.

Rows go in with plain INSERTs in one transaction (the FTS5 triggers keep
the search index in step), with the same search and sort keys the
application computes, so that what is measured is what a clerk would meet.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app.auth.models import User
from app.core.database import refresh_statistics
from app.core.text import exact_key, fold, vietnamese_sort_key
from app.core.timeutil import VIETNAM
from app.extensions import db
from app.office.calendar import WorkingCalendar
from app.office.models import Office, Procedure

FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý "
    "Đinh Trịnh Đào Mai Lương Tạ Cao Chu Kiều"
).split()
MIDDLE = "Văn Thị Hữu Đức Minh Ngọc Thanh Quang Thu Xuân Hoài Đình Công Kim".split()
GIVEN = (
    "An Anh Bình Cường Dũng Dung Đức Giang Hà Hải Hạnh Hiền Hiếu Hoa Hoà Hùng "
    "Hương Khánh Lan Linh Long Mai Minh Nam Nga Ngọc Nhung Phong Phúc Phương "
    "Quân Quang Sơn Tâm Thảo Thắng Thành Thảo Thuỷ Thư Trang Trung Tuấn Tú Vân "
    "Việt Vinh Xuân Yến Ánh Ân Ơn Ưng"
).split()
STATUSES = (
    ["returned"] * 50
    + ["in_progress"] * 20
    + ["received"] * 12
    + ["resolved"] * 8
    + ["awaiting_supplement"] * 5
    + ["rejected"] * 3
    + ["withdrawn"] * 2
)
ID_PREFIXES = ("025", "001", "026", "031", "079", "038")


def random_name(rng: random.Random) -> str:
    """Make a plausible Vietnamese full name."""
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def generate_dossiers(count: int, seed: int = 2026, days: int = 365) -> int:
    """Insert `count` dossiers received over the last `days` days."""
    rng = random.Random(seed)
    office = db.session.scalar(select(Office))
    procedures = list(db.session.scalars(select(Procedure)))
    staff = list(db.session.scalars(select(User.id)))
    if office is None or not procedures or not staff:
        raise RuntimeError("set the office up and create a user first")

    calendar = WorkingCalendar()
    now = datetime.now(UTC)
    sequences: dict[str, int] = {}
    rows, transitions = [], []
    first_id = (
        db.session.execute(text("SELECT max(id) FROM dossiers")).scalar() or 0
    ) + 1

    for offset in range(count):
        procedure = rng.choice(procedures)
        received = now - timedelta(minutes=rng.randrange(days * 24 * 60))
        local_day = received.astimezone(VIETNAM).date()
        key = local_day.strftime("%y%m%d")
        sequences[key] = sequences.get(key, 0) + 1
        code = f"{office.agency_code}-{key}-{sequences[key]:04d}"
        name = random_name(rng)
        status = rng.choice(STATUSES)
        due = calendar.due_date(received, procedure.time_limit_days, procedure.cutoff)
        finished = None
        if status in ("returned", "rejected", "withdrawn"):
            finished = received + timedelta(days=rng.randrange(0, 12))
        resolved = None
        if status in ("resolved", "returned"):
            resolved = received + timedelta(days=rng.randrange(0, 10))
        id_number = rng.choice(ID_PREFIXES) + f"{rng.randrange(10**9):09d}"
        rows.append(
            {
                "id": first_id + offset,
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "version": 1,
                "created_at": _naive(received),
                "updated_at": _naive(received),
                "code": code,
                "procedure_code": procedure.code,
                "status": status,
                "channel": "counter",
                "applicant_name": name,
                "applicant_id_number": id_number,
                "applicant_phone": "09" + f"{rng.randrange(10**8):08d}",
                "applicant_address": f"Tổ {rng.randrange(1, 30)}, {office.place_name}",
                "papers": json.dumps(procedure.paper_list, ensure_ascii=False),
                "copies": 1,
                "note": None,
                "received_at": _naive(received),
                "due_date": due.isoformat(),
                "received_by_id": rng.choice(staff),
                "assignee_id": rng.choice(staff) if status != "received" else None,
                "receiving_office": f"{office.one_stop_unit} {office.name_in_text}",
                "deciding_authority": f"Ủy ban nhân dân {office.name_in_text}",
                "original_due_date": None,
                "missing_papers": "[]",
                "resolved_at": _naive(resolved),
                "finished_at": _naive(finished),
                "search_folded": f"{fold(name)} {code.lower()}",
                "search_exact": exact_key(name),
                "sort_name": vietnamese_sort_key(name),
            }
        )
        transitions.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "dossier_id": first_id + offset,
                "action": "receive",
                "from_status": None,
                "to_status": "received",
                "note": None,
                "data": "{}",
                "actor_id": rows[-1]["received_by_id"],
                "at": _naive(received),
            }
        )

    _insert("dossiers", rows)
    _insert("dossier_transitions", transitions)
    # Later intakes must continue each day's numbering, not collide with it.
    for key, last in sequences.items():
        day = datetime.strptime(key, "%y%m%d").date().isoformat()
        db.session.execute(
            text(
                "INSERT INTO daily_sequences (scope, day, last) VALUES (:s, :d, :n) "
                "ON CONFLICT (scope, day) DO UPDATE SET last = max(last, :n)"
            ),
            {"s": office.agency_code, "d": day, "n": last},
        )
    db.session.commit()
    refresh_statistics()
    return count


def _naive(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _insert(table: str, rows: list[dict]) -> None:
    """Insert rows in bulk, then build the full-text index once.

    Row by row, the FTS5 triggers make a large load slow (most of the time
    on one core); so they are set aside for the load, put back as they
    were, and the index is rebuilt from the table in one pass.
    """
    columns = list(rows[0])
    statement = text(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)})"
    )
    triggers = db.session.execute(
        text(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = :t"
        ),
        {"t": table},
    ).all()
    for name, _ in triggers:
        db.session.execute(text(f'DROP TRIGGER "{name}"'))
    for start in range(0, len(rows), 5000):
        db.session.execute(statement, rows[start : start + 5000])
    for _, sql in triggers:
        db.session.execute(text(sql))
    fts = {"dossiers": "dossier_search", "feedback": "feedback_search"}.get(table)
    if fts and triggers:
        db.session.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))


PLACES = (
    "Tổ dân phố Đồng Tâm",
    "Tổ dân phố Liên Bảo",
    "Thôn Bảo Sơn",
    "Thôn Vĩnh Thịnh",
    "Tổ 5",
    "Tổ 12",
    "Đường Nguyễn Tất Thành",
    "Đường Lý Bôn",
    "Chợ Vĩnh Yên",
    "Khu đô thị Hà Tiên",
)
TOPICS = {
    "MOI_TRUONG": ("Rác thải ùn ứ", "rác thải sinh hoạt không được thu gom, bốc mùi"),
    "GIAO_THONG": ("Đèn đường không sáng", "cột đèn chiếu sáng hỏng nhiều ngày"),
    "DAT_DAI": ("Xây dựng lấn chiếm", "công trình xây dựng lấn chiếm vỉa hè"),
    "AN_NINH": ("Tụ tập gây ồn", "nhóm thanh niên tụ tập gây ồn ban đêm"),
    "CHINH_SACH": ("Chậm chi trợ cấp", "trợ cấp xã hội tháng này chưa được chi trả"),
    "QUY_DINH_HC": ("Giải quyết hồ sơ chậm", "hồ sơ nộp đã quá hẹn chưa có kết quả"),
}
FEEDBACK_STATUSES = (
    ["closed"] * 40
    + ["published"] * 15
    + ["responded"] * 10
    + ["assigned"] * 12
    + ["accepted"] * 8
    + ["received"] * 10
    + ["rejected"] * 5
)


def feedback_row(rng: random.Random, office, number: int, received: datetime):
    """Make one plausible feedback row with its search and duplicate keys."""
    category = rng.choice(list(TOPICS))
    title, sentence = TOPICS[category]
    place = rng.choice(PLACES)
    name = random_name(rng)
    detail = rng.choice(
        ("kéo dài", "nhiều lần", "ảnh hưởng người dân", "đề nghị xử lý")
    )
    content = f"Tại {place}, {sentence}, {detail}. Người dân mong được giải quyết."
    code = f"PA-{office.agency_code}-{received.astimezone(VIETNAM):%y%m%d}-{number:04d}"
    words = set(re.findall(r"\w{2,}", fold(f"{title} {content}")))
    people = f"{name} {place}"
    status = rng.choice(FEEDBACK_STATUSES)
    return {
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "version": 1,
        "created_at": _naive(received),
        "updated_at": _naive(received),
        "code": code,
        "channel": rng.choice(("counter", "phone", "letter", "email", "portal")),
        "category_code": category,
        "status": status,
        "title": f"{title} ở {place}",
        "content": content,
        "submitter_name": name,
        "submitter_phone": "09" + f"{rng.randrange(10**8):08d}",
        "submitter_address": f"{place}, {office.name_in_text}",
        "location": place,
        "place_key": fold(place),
        "received_at": _naive(received),
        "due_date": (
            received.astimezone(VIETNAM).date() + timedelta(days=14)
        ).isoformat(),
        "response": "Đã xử lý."
        if status in ("responded", "published", "closed")
        else None,
        "search_folded": f"{code.lower()} {fold(people)} {fold(title)} {fold(content)}",
        "search_exact": exact_key(f"{people} {title} {content}"),
        "words": " ".join(sorted(words)),
    }


def generate_feedback(count: int, seed: int = 2027, days: int = 365) -> int:
    """Insert `count` feedback items received over the last `days` days."""
    rng = random.Random(seed)
    office = db.session.scalar(select(Office))
    now = datetime.now(UTC)
    sequences: dict[str, int] = {}
    rows = []
    for _ in range(count):
        received = now - timedelta(minutes=rng.randrange(days * 24 * 60))
        key = received.astimezone(VIETNAM).strftime("%y%m%d")
        sequences[key] = sequences.get(key, 0) + 1
        rows.append(feedback_row(rng, office, sequences[key], received))
    _insert("feedback", rows)
    for key, last in sequences.items():
        day = datetime.strptime(key, "%y%m%d").date().isoformat()
        db.session.execute(
            text(
                "INSERT INTO daily_sequences (scope, day, last) VALUES (:s, :d, :n) "
                "ON CONFLICT (scope, day) DO UPDATE SET last = max(last, :n)"
            ),
            {"s": f"{office.agency_code}/PA", "d": day, "n": last},
        )
    db.session.commit()
    refresh_statistics()
    return count
