"""Working-day arithmetic: weekends, Tết, the 15:00 rule, province changes."""

from datetime import date, datetime, time

import pytest

from app.core.timeutil import VIETNAM
from app.office.calendar import WorkingCalendar

CUTOFF = time(15, 0)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


def test_tet_days_are_not_working_days():
    calendar = WorkingCalendar()

    # Holidays of Tết Đinh Mùi 2027, Thursday 4 to Wednesday 10 February.
    for day in range(4, 11):
        assert not calendar.is_working_day(date(2027, 2, day))
    assert calendar.is_working_day(date(2027, 2, 3))
    assert calendar.is_working_day(date(2027, 2, 11))


def test_three_day_limit_received_before_tet_skips_the_whole_holiday():
    calendar = WorkingCalendar()

    due = calendar.due_date(at("2027-02-03T10:00"), 3, CUTOFF)

    assert due == date(2027, 2, 15)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-12-04T14:59", date(2026, 12, 4)),
        ("2026-12-04T15:00", date(2026, 12, 4)),
        ("2026-12-04T15:01", date(2026, 12, 7)),
        ("2026-12-04T16:30", date(2026, 12, 7)),
    ],
)
def test_same_day_procedure_received_after_15h_is_due_next_working_day(
    received, expected
):
    calendar = WorkingCalendar()

    assert calendar.due_date(at(received), 0, CUTOFF) == expected


def test_dossier_received_after_15h_counts_from_the_next_working_day():
    calendar = WorkingCalendar()

    before = calendar.due_date(at("2026-12-03T14:00"), 3, CUTOFF)
    after = calendar.due_date(at("2026-12-03T15:30"), 3, CUTOFF)

    assert before == date(2026, 12, 8)
    assert after == date(2026, 12, 9)


def test_procedure_without_a_cutoff_keeps_the_same_day_after_15h():
    calendar = WorkingCalendar()

    assert calendar.due_date(at("2026-12-04T16:30"), 0, None) == date(2026, 12, 4)


def test_request_received_on_a_saturday_counts_from_monday():
    calendar = WorkingCalendar()

    assert calendar.due_date(at("2026-12-05T09:00"), 0, CUTOFF) == date(2026, 12, 7)
    assert calendar.due_date(at("2026-12-05T09:00"), 2, CUTOFF) == date(2026, 12, 9)


def test_received_at_in_another_offset_is_judged_in_vietnam_time():
    calendar = WorkingCalendar()
    # 08:30 UTC is 15:30 in Hà Nội: after the cut-off.
    received = datetime.fromisoformat("2026-12-04T08:30:00+00:00")

    assert calendar.due_date(received, 0, CUTOFF) == date(2026, 12, 7)


def test_province_day_off_and_make_up_saturday_change_the_count():
    calendar = WorkingCalendar({date(2026, 12, 7): False, date(2026, 12, 12): True})

    assert not calendar.is_working_day(date(2026, 12, 7))
    assert calendar.is_working_day(date(2026, 12, 12))
    # Friday 4th + 4 working days: 8, 9, 10, 11 (Monday 7th is off).
    assert calendar.due_date(at("2026-12-04T09:00"), 4, CUTOFF) == date(2026, 12, 11)
    # One more lands on the make-up Saturday.
    assert calendar.due_date(at("2026-12-04T09:00"), 5, CUTOFF) == date(2026, 12, 12)


def test_national_day_and_reunification_day_are_skipped():
    calendar = WorkingCalendar()

    # 30 April and 1 May 2027 (Friday, Saturday), then the Monday in lieu.
    assert calendar.due_date(at("2027-04-29T09:00"), 1, CUTOFF) == date(2027, 5, 4)


def test_a_weekend_day_the_government_made_a_working_day_counts():
    calendar = WorkingCalendar()

    # 2026: Saturday 22 August worked in exchange for Monday 31 August.
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.due_date(at("2026-08-21T10:00"), 3, CUTOFF) == date(2026, 8, 25)
