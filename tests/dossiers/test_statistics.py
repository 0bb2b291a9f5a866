"""The statistics of a period: every count, the workbook, the checks."""

import io
from datetime import date, datetime

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from app.core.errors import ValidationFailed
from app.core.timeutil import VIETNAM
from app.dossiers import statistics
from app.dossiers.models import Dossier
from app.dossiers.statistics import Counts, Period, local_date
from app.extensions import db
from tests.conftest import intake

CIVIL_STATUS = "1.004873"  # Hộ tịch, three working days
CERTIFICATION = "2.001035"  # Chứng thực, two working days

DECEMBER = Period(date(2026, 12, 1), date(2026, 12, 31))

# Dossiers around December 2026, times in Hà Nội. Each: procedure, receipt,
# the due date the calendar gives it, then its actions as (moment, action,
# extra body). Every officer is put on a dossier by the `start` action.
DOSSIERS = {
    # Open since the last evening of November: carried over, still pending
    # at the end of December, well past its deadline.
    "A": (CIVIL_STATUS, "2026-11-30T23:30", "2026-12-04", []),
    # Resolved in November, handed over in December: not counted at all.
    "B": (
        CIVIL_STATUS,
        "2026-11-23T09:00",
        "2026-11-27",
        [
            ("2026-11-23T10:00", "start", {"assignee": "hung"}),
            ("2026-11-26T10:00", "resolve", {}),
            ("2026-12-02T09:00", "return_result", {}),
        ],
    ),
    # Carried over from November and resolved late in December.
    "C": (
        CERTIFICATION,
        "2026-11-26T09:00",
        "2026-11-30",
        [
            ("2026-11-26T10:00", "start", {"assignee": "lan"}),
            ("2026-12-02T10:00", "resolve", {}),
        ],
    ),
    # Received at 00:30 on 1 December (still 30 November in UTC), early.
    "D": (
        CIVIL_STATUS,
        "2026-12-01T00:30",
        "2026-12-04",
        [
            ("2026-12-02T08:00", "start", {"assignee": "hung"}),
            ("2026-12-03T10:00", "resolve", {}),
        ],
    ),
    # Resolved at 06:30 on the day after its deadline (still the due day in
    # UTC): late.
    "E": (
        CIVIL_STATUS,
        "2026-12-03T08:30",
        "2026-12-08",
        [
            ("2026-12-03T09:00", "start", {"assignee": "hung"}),
            ("2026-12-09T06:30", "resolve", {}),
        ],
    ),
    # Resolved on its due day and handed over the next: on time.
    "F": (
        CIVIL_STATUS,
        "2026-12-03T09:00",
        "2026-12-08",
        [
            ("2026-12-03T10:00", "start", {"assignee": "lan"}),
            ("2026-12-08T16:00", "resolve", {}),
            ("2026-12-09T09:00", "return_result", {}),
        ],
    ),
    "G": (
        CERTIFICATION,
        "2026-12-07T09:00",
        "2026-12-09",
        [
            ("2026-12-07T10:00", "start", {"assignee": "lan"}),
            ("2026-12-08T10:00", "resolve", {}),
        ],
    ),
    "H": (
        CERTIFICATION,
        "2026-12-07T10:00",
        "2026-12-09",
        [("2026-12-08T09:00", "reject", {"reason": "Không thuộc thẩm quyền"})],
    ),
    "I": (
        CIVIL_STATUS,
        "2026-12-07T11:00",
        "2026-12-10",
        [
            ("2026-12-07T14:00", "start", {"assignee": "hung"}),
            ("2026-12-10T09:00", "withdraw", {"note": "Công dân xin rút"}),
        ],
    ),
    # Still in progress at the end of December, past its deadline.
    "J": (
        CERTIFICATION,
        "2026-12-14T09:00",
        "2026-12-16",
        [("2026-12-14T10:00", "start", {"assignee": "hung"})],
    ),
    # Received at 23:30 on 31 December (16:30 in UTC): in the period.
    "K": (CIVIL_STATUS, "2026-12-31T23:30", "2027-01-07", []),
    # Received at 00:30 on 1 January (still 31 December in UTC): not.
    "L": (CIVIL_STATUS, "2027-01-01T00:30", "2027-01-07", []),
    # Due on the last day of the period: pending, within the deadline.
    "M": (
        CERTIFICATION,
        "2026-12-29T09:00",
        "2026-12-31",
        [("2026-12-29T10:00", "start", {"assignee": "lan"})],
    ),
    # Resolved ten minutes into the new year: pending at the end of December.
    "N": (
        CIVIL_STATUS,
        "2026-12-28T09:00",
        "2026-12-31",
        [
            ("2026-12-28T10:00", "start", {"assignee": "hung"}),
            ("2027-01-01T00:10", "resolve", {}),
        ],
    ),
    # Refused in January: pending at the end of December, past its deadline.
    "O": (
        CERTIFICATION,
        "2026-12-21T09:00",
        "2026-12-23",
        [("2027-01-05T09:00", "reject", {"reason": "Hồ sơ giả mạo"})],
    ),
    # Resolved ten minutes before the new year: in the period, early.
    "P": (
        CERTIFICATION,
        "2026-12-30T09:00",
        "2027-01-04",
        [
            ("2026-12-30T10:00", "start", {"assignee": "lan"}),
            ("2026-12-31T23:50", "resolve", {}),
        ],
    ),
}


def hanoi(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=VIETNAM)


@pytest.fixture
def december(api, create_user):
    """Receive and move the dossiers above; return their codes by letter."""
    create_user("officer", username="hung", full_name="Trần Văn Hùng")
    create_user("officer", username="lan", full_name="Lê Thị Lan")
    codes = {}
    for letter, (procedure, received, due, steps) in DOSSIERS.items():
        moment = hanoi(received)
        body = intake(procedure_code=procedure, received_at=moment.isoformat())
        with time_machine.travel(moment, tick=False):
            response = api.post("/dossiers", json=body)
        assert response.status_code == 201, response.json
        assert response.json["due_date"] == due, letter
        code = codes[letter] = response.json["code"]

        for when, action, extra in steps:
            body = {"action": action, **extra}
            with time_machine.travel(hanoi(when), tick=False):
                response = api.post(f"/dossiers/{code}/transitions", json=body)
            assert response.status_code == 200, (letter, action, response.json)
    # The counts are read after the period, as a report for it would be.
    with time_machine.travel(hanoi("2027-01-15 09:00"), tick=False):
        yield codes


def test_the_statistics_of_december_count_every_dossier_exactly(december):
    result = statistics.compile_statistics(DECEMBER)

    assert result.total == Counts(
        carried_over=2,  # A, C
        received=12,  # D to K, M to P
        resolved_early=3,  # D, G, P
        resolved_on_time=1,  # F
        resolved_late=2,  # C, E
        rejected=1,  # H
        withdrawn=1,  # I
        pending_within=3,  # K, M, N
        pending_over=3,  # A, J, O
    )
    assert result.total.on_hand == 14
    assert result.total.resolved == 6
    assert result.total.pending == 6


def test_the_statistics_split_by_field(december):
    result = statistics.compile_statistics(DECEMBER)

    assert [(row.label, row.counts) for row in result.by_field] == [
        (
            "Chứng thực",
            Counts(
                carried_over=1,
                received=6,
                resolved_early=2,
                resolved_late=1,
                rejected=1,
                pending_within=1,
                pending_over=2,
            ),
        ),
        (
            "Hộ tịch",
            Counts(
                carried_over=1,
                received=6,
                resolved_early=1,
                resolved_on_time=1,
                resolved_late=1,
                withdrawn=1,
                pending_within=2,
                pending_over=1,
            ),
        ),
    ]


def test_the_statistics_split_by_officer_with_the_unassigned_last(december):
    result = statistics.compile_statistics(DECEMBER)

    assert [(row.label, row.key, row.counts) for row in result.by_officer] == [
        (
            "Trần Văn Hùng",
            "hung",
            Counts(
                received=5,
                resolved_early=1,
                resolved_late=1,
                withdrawn=1,
                pending_within=1,
                pending_over=1,
            ),
        ),
        (
            "Lê Thị Lan",
            "lan",
            Counts(
                carried_over=1,
                received=4,
                resolved_early=2,
                resolved_on_time=1,
                resolved_late=1,
                pending_within=1,
            ),
        ),
        (
            "Chưa phân công",
            None,
            Counts(
                carried_over=1,
                received=3,
                rejected=1,
                pending_within=1,
                pending_over=2,
            ),
        ),
    ]


def test_every_dossier_on_hand_is_resolved_closed_or_still_pending(december):
    result = statistics.compile_statistics(DECEMBER)

    rows = result.by_field + result.by_officer
    for counts in [result.total, *(row.counts for row in rows)]:
        closed = counts.resolved + counts.rejected + counts.withdrawn
        assert counts.on_hand == closed + counts.pending


def test_a_period_covering_everything_accounts_for_every_dossier(december):
    everything = Period(date(2026, 11, 1), date(2027, 1, 31))

    total = statistics.compile_statistics(everything).total

    dossiers = db.session.scalars(select(Dossier)).all()
    assert total.carried_over == 0
    assert total.received == len(dossiers) == len(DOSSIERS)
    assert total.resolved == sum(d.resolved_at is not None for d in dossiers)
    assert total.rejected == sum(d.status == "rejected" for d in dossiers)
    assert total.withdrawn == sum(d.status == "withdrawn" for d in dossiers)
    assert total.received == (
        total.resolved + total.rejected + total.withdrawn + total.pending
    )


def test_the_next_period_carries_over_what_this_one_left_pending(december):
    january = Period(date(2027, 1, 1), date(2027, 1, 31))

    december_total = statistics.compile_statistics(DECEMBER).total
    january_total = statistics.compile_statistics(january).total

    assert january_total.carried_over == december_total.pending
    assert january_total == Counts(
        carried_over=6,  # A, J, K, M, N, O
        received=1,  # L
        resolved_late=1,  # N, due 31 December
        rejected=1,  # O
        pending_over=5,  # A, J, K, L, M
    )


def test_a_quiet_period_has_no_lines_and_zero_totals(december):
    june = Period(date(2026, 6, 1), date(2026, 6, 30))

    result = statistics.compile_statistics(june)

    assert result.by_field == []
    assert result.by_officer == []
    assert result.total == Counts()


def test_the_workbook_agrees_with_the_statistics(december):
    result = statistics.compile_statistics(DECEMBER)

    data = statistics.statistics_workbook(result)

    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Theo lĩnh vực", "Theo cán bộ"]
    for sheet, rows in (
        (workbook["Theo lĩnh vực"], result.by_field),
        (workbook["Theo cán bộ"], result.by_officer),
    ):
        first = statistics.FIRST_DATA_ROW
        lines = list(sheet.iter_rows(min_row=first, values_only=True))
        expected = [
            (index, row.label, *figures(row.counts))
            for index, row in enumerate(rows, start=1)
        ] + [(None, "Tổng cộng", *figures(result.total))]
        assert lines == expected


def figures(counts: Counts) -> list[int]:
    return [getattr(counts, name) for _, _, name in statistics.COLUMNS]


def test_the_workbook_names_the_office_and_the_period_and_freezes_its_header(
    december,
):
    result = statistics.compile_statistics(DECEMBER)

    data = statistics.statistics_workbook(result)

    sheet = load_workbook(io.BytesIO(data))["Theo cán bộ"]
    assert sheet["A1"].value == result.authority_name != ""
    assert sheet["A2"].value == statistics.SHEET_TITLE
    period = "Kỳ thống kê: từ ngày 01/12/2026 đến ngày 31/12/2026"
    assert sheet["A3"].value == period
    assert sheet["A5"].value == "STT"
    assert sheet["B5"].value == "Cán bộ xử lý"
    assert sheet["C5"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["D6"].value == "Kỳ trước chuyển sang"
    assert sheet["J5"].value == "Từ chối giải quyết"
    assert sheet["C5"].font.bold and sheet["D6"].font.bold
    assert sheet.freeze_panes == "C7"
    assert sheet.column_dimensions["B"].width == 34
    total_row = statistics.FIRST_DATA_ROW + len(result.by_officer)
    assert sheet.cell(total_row, 2).value == "Tổng cộng"
    assert sheet.cell(total_row, 3).font.bold
    filename = statistics.workbook_filename(result)
    assert filename == "thong-ke-ho-so-20261201-20261231.xlsx"


def test_the_api_shape_nests_resolved_and_pending(december):
    result = statistics.compile_statistics(DECEMBER)

    body = statistics.statistics_out(result)

    assert body["period"] == {"start": "2026-12-01", "end": "2026-12-31"}
    assert body["total"]["resolved"] == {
        "total": 6,
        "early": 3,
        "on_time": 1,
        "late": 2,
    }
    assert body["total"]["pending"] == {
        "total": 6,
        "within_deadline": 3,
        "overdue": 3,
    }
    assert body["by_officer"][-1]["officer"] == "Chưa phân công"
    assert body["by_officer"][-1]["username"] is None
    fields = [line["field"] for line in body["by_field"]]
    assert fields == ["Chứng thực", "Hộ tịch"]


@pytest.mark.parametrize(
    ("start", "end"), [("2028-01-01", "2028-12-31"), ("2026-01-01", "2027-01-01")]
)
def test_a_period_of_366_days_is_accepted(start, end):
    period = statistics.parse_period(start, end)

    assert (period.end - period.start).days + 1 == 366


@pytest.mark.parametrize(
    ("start", "end", "faults"),
    [
        (
            None,
            None,
            {
                "start": "Vui lòng chọn ngày bắt đầu.",
                "end": "Vui lòng chọn ngày kết thúc.",
            },
        ),
        ("2026-12-01", " ", {"end": "Vui lòng chọn ngày kết thúc."}),
        (
            "01/12/2026",
            "2026-12-31",
            {"start": "Ngày bắt đầu phải ghi theo dạng 2026-12-31."},
        ),
        (
            "2026-12-31",
            "2026-12-01",
            {"end": "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."},
        ),
        ("2026-01-01", "2027-01-02", {"end": "Kỳ thống kê dài tối đa 366 ngày."}),
        (
            "1999-12-31",
            "2000-01-31",
            {"start": "Ngày bắt đầu phải trong các năm 2000–2099."},
        ),
    ],
)
def test_a_bad_period_is_refused_field_by_field_in_vietnamese(start, end, faults):
    with pytest.raises(ValidationFailed) as failure:
        statistics.parse_period(start, end)

    assert failure.value.message == "Kỳ thống kê chưa hợp lệ."
    assert failure.value.fields == faults


def test_the_local_day_of_a_moment_has_a_postgresql_form():
    query = select(local_date(Dossier.resolved_at))

    sql = str(query.compile(dialect=postgresql.dialect()))

    local = "timezone('Asia/Ho_Chi_Minh', timezone('UTC', dossiers.resolved_at))"
    assert f"CAST({local} AS DATE)" in sql
