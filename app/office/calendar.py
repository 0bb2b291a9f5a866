"""Working days: weekends, public holidays and the province's own changes.

The `holidays` package knows Vietnam's public holidays, the lunar ones and
Tết included. The province announces extra days off and make-up working
days each year; those live in `CalendarException` rows and win over both
the weekend and the holiday list.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from sqlalchemy import select

from app.audit.services import record_event
from app.core.database import writing
from app.core.errors import NotFound, ValidationFailed
from app.core.text import squeeze
from app.core.timeutil import VIETNAM
from app.extensions import db
from app.office.models import CalendarException

# A deadline further than this many days away means bad data, not a date.
_SEARCH_LIMIT = 3660


class WorkingCalendar:
    """Answer which days are working days, and count them."""

    def __init__(self, exceptions: dict[date, bool] | None = None):
        self._exceptions = exceptions or {}
        self._holidays = holidays.country_holidays("VN", language="vi")

    def holiday_name(self, day: date) -> str | None:
        """Name the public holiday on that day, if it is one."""
        return self._holidays.get(day)

    def holidays_of(self, year: int) -> list[tuple[date, str]]:
        """List the public holidays of a year with their names."""
        return sorted(
            holidays.country_holidays("VN", language="vi", years=year).items()
        )

    def is_working_day(self, day: date) -> bool:
        """Tell whether the office works on that day."""
        if day in self._exceptions:
            return self._exceptions[day]
        # Weekend days the government moved a working day to (for a bridge
        # holiday) are working days; `holidays` knows them.
        if day.weekday() >= 5:
            self._holidays.get(day)  # fills in that year
            return day in self._holidays.weekend_workdays
        return day not in self._holidays

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after the given one."""
        for offset in range(1, _SEARCH_LIMIT):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day within ten years")

    def add_working_days(self, start: date, count: int) -> date:
        """Return the working day that lies `count` working days after start."""
        day = start
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def counting_start(self, moment: datetime, cutoff: time | None) -> date:
        """Return the working day from which a request received then counts."""
        local = moment.astimezone(VIETNAM)
        day = local.date()
        late = cutoff is not None and local.time().replace(tzinfo=None) > cutoff
        if late or not self.is_working_day(day):
            return self.next_working_day(day)
        return day

    def due_date(
        self, received_at: datetime, time_limit_days: int, cutoff: time | None
    ) -> date:
        """Return the appointment day for a request with that time limit.

        A time limit of 0 means the same working day. The day the request
        counts from is the day of receipt, or the next working day when it
        came on a day off or after the procedure's cut-off time.
        """
        start = self.counting_start(received_at, cutoff)
        return self.add_working_days(start, time_limit_days)


def load_calendar() -> WorkingCalendar:
    """Build the calendar with the province's announced exceptions."""
    rows = db.session.execute(
        select(CalendarException.day, CalendarException.is_working_day)
    ).all()
    return WorkingCalendar({day: working for day, working in rows})


def list_exceptions() -> list[CalendarException]:
    """Return the province's announced days, oldest first."""
    return list(
        db.session.scalars(select(CalendarException).order_by(CalendarException.day))
    )


def set_exception(day: date, is_working_day: bool, note: str | None, by) -> None:
    """Record a day off or a make-up working day announced by the province."""
    note = squeeze(note) or ""
    if len(note) > 255:
        raise ValidationFailed("Ghi chú dài quá 255 ký tự.", {"note": "Quá dài."})
    if not 2000 <= day.year <= 2100:
        raise ValidationFailed(
            "Chỉ ghi ngày trong các năm 2000 đến 2100.", {"day": "Năm không hợp lệ."}
        )
    natural = WorkingCalendar().is_working_day(day)
    recorded = db.session.get(CalendarException, day)
    if natural == is_working_day and recorded is None:
        kind = "ngày làm việc" if natural else "ngày nghỉ"
        raise ValidationFailed(
            f"Ngày {day:%d/%m/%Y} vốn đã là {kind}; không cần ghi thêm.",
            {"day": "Ngày này không thay đổi gì."},
        )

    with writing() as session:
        row = session.get(CalendarException, day)
        if natural == is_working_day:
            # Back to what the law says: the recorded change goes.
            session.delete(row)
            record_event("calendar_changed", user=by, day=day.isoformat(), removed=True)
            return
        if row is None:
            row = CalendarException(day=day)
            session.add(row)
        row.is_working_day = is_working_day
        row.note = note
        record_event(
            "calendar_changed",
            user=by,
            day=day.isoformat(),
            working=is_working_day,
        )


def remove_exception(day: date, by) -> None:
    """Forget an announced day; the weekend and holiday rules apply again."""
    with writing() as session:
        row = session.get(CalendarException, day)
        if row is None:
            raise NotFound(f"Ngày {day:%d/%m/%Y} chưa được ghi trong lịch.")
        session.delete(row)
        record_event("calendar_changed", user=by, day=day.isoformat(), removed=True)
