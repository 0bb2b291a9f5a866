"""Time in the office's zone (Asia/Ho_Chi_Minh) and ISO 8601 parsing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.core.errors import ValidationFailed

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def local(moment: datetime) -> datetime:
    """Show an aware moment in Vietnam's time."""
    return moment.astimezone(VIETNAM)


def parse_aware(value: str, field: str) -> datetime:
    """Parse an ISO 8601 moment that must carry its UTC offset."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            "Thời điểm không đúng định dạng ISO 8601.",
            {field: "Vui lòng ghi theo dạng 2026-12-04T09:30:00+07:00."},
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationFailed(
            "Thời điểm phải kèm múi giờ.",
            {field: "Thiếu múi giờ; ví dụ: 2026-12-04T09:30:00+07:00."},
        )
    return moment


def long_date(day: date) -> str:
    """Write a date the way Decree 30/2020 writes it on documents."""
    # Decree 30/2020, Annex I: a day below 10 and the months 1 and 2 take a
    # leading zero; the other months do not.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def weekday_name(day: date) -> str:
    """Name the day of the week in Vietnamese."""
    return WEEKDAYS[day.weekday()]
