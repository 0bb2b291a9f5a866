"""Feedback statistics: the counts, the balance, the workbook, the reminders."""

import io
from datetime import date, datetime
from urllib.parse import urlencode

import pytest
import time_machine
from flask import render_template
from openpyxl import load_workbook
from sqlalchemy import select

from app.api.feedback_statistics import FeedbackStatisticsOut
from app.core.timeutil import VIETNAM
from app.dossiers.statistics import Period
from app.extensions import db
from app.feedback import statistics
from app.feedback.models import OPEN_STATES, FeedbackItem
from app.feedback.queries import fetch_feedback_queue
from app.feedback.statistics import FeedbackCounts
from app.office.calendar import load_calendar
from tests.conftest import ApiClient
from tests.feedback.test_api import feedback

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = Period(date(2026, 12, 1), date(2026, 12, 31))
JANUARY = Period(date(2027, 1, 1), date(2027, 1, 31))
IN_DECEMBER = "start=2026-12-01&end=2026-12-31"

SECURITY = "AN_NINH"  # five working days
ENVIRONMENT = "MOI_TRUONG"  # ten working days
LAND = "DAT_DAI"  # fifteen working days
# No category: the fallback "KHAC" gives fifteen working days.

# Feedback around December 2026, times in Hà Nội. Each: channel, category,
# receipt, the due date the calendar gives it, then its actions as (moment,
# action, extra body); "into" names another item by its letter.
ITEMS = {
    # Open since November, still pending at the end of December, overdue.
    # 24 November, the Day of Vietnamese Culture, is a holiday.
    "A": (
        "counter",
        SECURITY,
        "2026-11-18T09:00",
        "2026-11-26",
        [
            ("2026-11-18T10:00", "accept", {}),
        ],
    ),
    # Answered in November, closed in December: not counted at all.
    "B": (
        "phone",
        ENVIRONMENT,
        "2026-11-10T09:00",
        "2026-11-25",
        [
            ("2026-11-10T10:00", "accept", {}),
            ("2026-11-12T10:00", "respond", {"response": "Đã cho dọn rác."}),
            ("2026-12-02T09:00", "close", {}),
        ],
    ),
    # Carried over from November and answered late in December.
    "C": (
        "email",
        SECURITY,
        "2026-11-25T09:00",
        "2026-12-02",
        [
            ("2026-11-25T10:00", "accept", {}),
            ("2026-12-04T10:00", "respond", {"response": "Công an đã xử lý."}),
        ],
    ),
    # Received at 00:30 on 1 December (still 30 November in UTC), answered
    # on time.
    "D": (
        "counter",
        ENVIRONMENT,
        "2026-12-01T00:30",
        "2026-12-15",
        [
            ("2026-12-01T08:00", "accept", {}),
            ("2026-12-03T10:00", "respond", {"response": "Đã thu gom."}),
        ],
    ),
    # Answered at 06:30 the day after its deadline (still the due day in
    # UTC): late.
    "E": (
        "phone",
        SECURITY,
        "2026-12-02T09:00",
        "2026-12-09",
        [
            ("2026-12-02T10:00", "accept", {}),
            ("2026-12-10T06:30", "respond", {"response": "Đã nhắc nhở."}),
        ],
    ),
    # Anonymous, unclassified; answered on its due day, then made public and
    # closed: counted once, on time.
    "F": (
        "province",
        None,
        "2026-12-03T09:00",
        "2026-12-24",
        [
            ("2026-12-03T10:00", "accept", {}),
            ("2026-12-24T16:00", "respond", {"response": "Đã kiểm tra."}),
            ("2026-12-28T09:00", "publish", {}),
            ("2026-12-29T09:00", "close", {}),
        ],
    ),
    "G": (
        "phone",
        LAND,
        "2026-12-07T09:00",
        "2026-12-28",
        [
            ("2026-12-08T09:00", "reject", {"reason": "Tòa án đang thụ lý"}),
        ],
    ),
    "H": (
        "counter",
        ENVIRONMENT,
        "2026-12-07T10:00",
        "2026-12-21",
        [
            ("2026-12-07T11:00", "merge", {"into": "D"}),
        ],
    ),
    # Carried over and refused in December.
    "I": (
        "letter",
        LAND,
        "2026-11-27T09:00",
        "2026-12-18",
        [
            ("2026-12-03T09:00", "reject", {"reason": "Không thuộc xã"}),
        ],
    ),
    # Carried over and merged in December.
    "J": (
        "email",
        SECURITY,
        "2026-11-30T16:00",
        "2026-12-07",
        [
            ("2026-12-01T08:00", "merge", {"into": "A"}),
        ],
    ),
    # Received at 23:30 on 31 December (16:30 in UTC): in the period.
    "K": ("counter", SECURITY, "2026-12-31T23:30", "2027-01-08", []),
    # Received at 00:30 on 1 January (still 31 December in UTC): not.
    "L": ("phone", ENVIRONMENT, "2027-01-01T00:30", "2027-01-18", []),
    # Due on the last day of the period: pending, within the deadline.
    "M": (
        "counter",
        SECURITY,
        "2026-12-24T09:00",
        "2026-12-31",
        [
            ("2026-12-24T10:00", "accept", {}),
            ("2026-12-24T11:00", "assign", {"assignee": "hung"}),
        ],
    ),
    # Answered ten minutes into the new year: pending at the end of December.
    "N": (
        "email",
        ENVIRONMENT,
        "2026-12-17T09:00",
        "2026-12-31",
        [
            ("2026-12-17T10:00", "accept", {}),
            ("2027-01-01T00:10", "respond", {"response": "Đã khắc phục."}),
        ],
    ),
    # Still being handled at the end of December, past its deadline.
    "O": (
        "phone",
        SECURITY,
        "2026-12-10T09:00",
        "2026-12-17",
        [
            ("2026-12-10T10:00", "accept", {}),
            ("2026-12-10T11:00", "assign", {"assignee": "hung"}),
        ],
    ),
    # Answered ten minutes before the new year: in the period, on time.
    "P": (
        "counter",
        None,
        "2026-12-30T09:00",
        "2027-01-21",
        [
            ("2026-12-30T10:00", "accept", {}),
            ("2026-12-31T23:50", "respond", {"response": "Đã trả lời."}),
        ],
    ),
    # Refused in January: pending at the end of December, within its deadline.
    "Q": (
        "letter",
        LAND,
        "2026-12-14T09:00",
        "2027-01-05",
        [
            ("2027-01-05T09:00", "reject", {"reason": "Không rõ nội dung"}),
        ],
    ),
    # Answered and closed within December: counted once, on time.
    "R": (
        "province",
        ENVIRONMENT,
        "2026-12-08T09:00",
        "2026-12-22",
        [
            ("2026-12-08T10:00", "accept", {}),
            ("2026-12-15T10:00", "respond", {"response": "Đã nạo vét cống."}),
            ("2026-12-16T09:00", "close", {}),
        ],
    ),
}


def hanoi(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=VIETNAM)


@pytest.fixture
def december(api, client, create_user, token_for):
    """Receive and move the items above; return their codes by letter."""
    leader = ApiClient(client, token_for(create_user("leader")))
    create_user("officer", username="hung", full_name="Trần Văn Hùng")
    codes = {}
    for letter, (channel, category, received, due, steps) in ITEMS.items():
        moment = hanoi(received)
        body = feedback(
            channel=channel,
            category_code=category,
            received_at=moment.isoformat(),
            submitter={"phone": f"09120001{len(codes):02d}"},
        )
        if channel == "province":
            body["submitter"] = None
        with time_machine.travel(moment, tick=False):
            response = api.post("/feedback", json=body)
        assert response.status_code == 201, (letter, response.json)
        assert response.json["due_date"] == due, letter
        code = codes[letter] = response.json["code"]

        for when, action, extra in steps:
            body = {"action": action, **extra}
            if "into" in body:
                body["into"] = codes[body["into"]]
            who = leader if action == "publish" else api
            with time_machine.travel(hanoi(when), tick=False):
                response = who.post(f"/feedback/{code}/transitions", json=body)
            assert response.status_code == 200, (letter, action, response.json)
    return codes


def test_the_statistics_of_december_count_every_item_exactly(december):
    result = statistics.compile_feedback_statistics(DECEMBER)

    assert result.total == FeedbackCounts(
        carried_over=4,  # A, C, I, J
        received=12,  # D to H, K, M to R
        answered_on_time=4,  # D, F, P, R
        answered_late=2,  # C, E
        rejected=2,  # G, I
        merged=2,  # H, J
        pending_within=4,  # K, M, N, Q
        pending_over=2,  # A, O
    )
    assert result.total.on_hand == 16
    assert result.total.answered == 6
    assert result.total.pending == 6
    assert result.total.timely_share == 4 / 6


def test_the_statistics_split_by_channel_in_alphabetical_order(december):
    result = statistics.compile_feedback_statistics(DECEMBER)

    assert [(row.label, row.key, row.counts) for row in result.by_channel] == [
        (
            "Điện thoại, đường dây nóng",
            "phone",
            FeedbackCounts(
                received=3, answered_late=1, rejected=1, pending_over=1
            ),  # E, G, O
        ),
        (
            "Do tỉnh chuyển đến",
            "province",
            FeedbackCounts(received=2, answered_on_time=2),  # F, R
        ),
        (
            "Thư điện tử",
            "email",
            FeedbackCounts(
                carried_over=2,
                received=1,
                answered_late=1,
                merged=1,
                pending_within=1,
            ),  # C, J, N
        ),
        (
            "Trực tiếp tại bộ phận một cửa",
            "counter",
            FeedbackCounts(
                carried_over=1,
                received=5,
                answered_on_time=2,
                merged=1,
                pending_within=2,
                pending_over=1,
            ),  # A, D, H, K, M, P
        ),
        (
            "Văn bản, thư gửi qua bưu chính",
            "letter",
            FeedbackCounts(
                carried_over=1, received=1, rejected=1, pending_within=1
            ),  # I, Q
        ),
    ]


def test_the_statistics_split_by_category_with_the_unclassified_last(december):
    result = statistics.compile_feedback_statistics(DECEMBER)

    assert [(row.label, row.key, row.counts) for row in result.by_category] == [
        (
            "An ninh trật tự",
            SECURITY,
            FeedbackCounts(
                carried_over=3,
                received=4,
                answered_late=2,
                merged=1,
                pending_within=2,
                pending_over=2,
            ),  # A, C, E, J, K, M, O
        ),
        (
            "Đất đai, xây dựng, trật tự đô thị",
            LAND,
            FeedbackCounts(
                carried_over=1, received=2, rejected=2, pending_within=1
            ),  # G, I, Q
        ),
        (
            "Môi trường, vệ sinh",
            ENVIRONMENT,
            FeedbackCounts(
                received=4, answered_on_time=2, merged=1, pending_within=1
            ),  # D, H, N, R
        ),
        (
            "Chưa phân loại",
            None,
            FeedbackCounts(received=2, answered_on_time=2),  # F, P
        ),
    ]


@pytest.mark.parametrize(
    "period",
    [
        NOVEMBER,
        DECEMBER,
        JANUARY,
        Period(date(2026, 12, 1), date(2026, 12, 1)),
        Period(date(2026, 12, 10), date(2026, 12, 20)),
        Period(date(2026, 12, 31), date(2027, 1, 1)),
    ],
    ids=lambda period: f"{period.start}..{period.end}",
)
def test_what_was_on_hand_was_answered_refused_merged_or_is_still_pending(
    december, period
):
    result = statistics.compile_feedback_statistics(period)

    rows = result.by_channel + result.by_category
    for counts in [result.total, *(row.counts for row in rows)]:
        closed = counts.answered + counts.rejected + counts.merged
        assert counts.carried_over + counts.received == closed + counts.pending


def test_a_period_covering_everything_accounts_for_every_item(december):
    everything = Period(date(2026, 11, 1), date(2027, 1, 31))

    total = statistics.compile_feedback_statistics(everything).total

    items = db.session.scalars(select(FeedbackItem)).all()
    assert total.carried_over == 0
    assert total.received == len(items) == len(ITEMS)
    assert total.answered == sum(i.responded_at is not None for i in items)
    assert total.rejected == sum(i.status == "rejected" for i in items)
    assert total.merged == sum(i.duplicate_of_id is not None for i in items)
    assert total.pending == sum(i.status in OPEN_STATES for i in items)


def test_the_next_period_carries_over_what_this_one_left_pending(december):
    december_total = statistics.compile_feedback_statistics(DECEMBER).total
    january_total = statistics.compile_feedback_statistics(JANUARY).total

    assert january_total.carried_over == december_total.pending
    assert january_total == FeedbackCounts(
        carried_over=6,  # A, K, M, N, O, Q
        received=1,  # L
        answered_late=1,  # N, due 31 December
        rejected=1,  # Q
        pending_over=5,  # A, K, L, M, O
    )


def test_november_sees_what_was_answered_and_left_open_then(december):
    total = statistics.compile_feedback_statistics(NOVEMBER).total

    assert total == FeedbackCounts(
        received=5,  # A, B, C, I, J
        answered_on_time=1,  # B
        pending_within=3,  # C (due 2 December), I, J
        pending_over=1,  # A
    )


def test_a_quiet_period_has_no_lines_and_zero_totals(december):
    june = Period(date(2026, 6, 1), date(2026, 6, 30))

    result = statistics.compile_feedback_statistics(june)

    assert result.by_channel == []
    assert result.by_category == []
    assert result.total == FeedbackCounts()
    assert result.total.timely_share is None


def test_the_workbook_agrees_with_the_statistics(december):
    result = statistics.compile_feedback_statistics(DECEMBER)

    data = statistics.feedback_statistics_workbook(result)

    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Theo kênh", "Theo loại"]
    for sheet, rows in (
        (workbook["Theo kênh"], result.by_channel),
        (workbook["Theo loại"], result.by_category),
    ):
        first = statistics.FIRST_DATA_ROW
        lines = list(sheet.iter_rows(min_row=first, values_only=True))
        expected = [
            (index, row.label, *figures(row.counts))
            for index, row in enumerate(rows, start=1)
        ] + [(None, "Tổng cộng", *figures(result.total))]
        assert lines == expected
        assert lines[-1] == (None, "Tổng cộng", 16, 4, 12, 6, 4, 2, 2, 2, 6, 4, 2)
    unclassified = workbook["Theo loại"].cell(statistics.FIRST_DATA_ROW + 3, 2)
    assert unclassified.value == "Chưa phân loại"


def figures(counts: FeedbackCounts) -> list[int]:
    return [getattr(counts, name) for _, _, name in statistics.COLUMNS]


def test_the_workbook_names_the_office_and_the_period_and_freezes_its_header(
    december,
):
    result = statistics.compile_feedback_statistics(DECEMBER)

    data = statistics.feedback_statistics_workbook(result)

    sheet = load_workbook(io.BytesIO(data))["Theo loại"]
    assert sheet["A1"].value == result.authority_name != ""
    assert sheet["A2"].value == statistics.SHEET_TITLE
    period = "Kỳ thống kê: từ ngày 01/12/2026 đến ngày 31/12/2026"
    assert sheet["A3"].value == period
    assert sheet["A5"].value == "STT"
    assert sheet["B5"].value == "Loại phản ánh, kiến nghị"
    assert sheet["C5"].value == "Số phản ánh, kiến nghị phải xử lý"
    assert sheet["D6"].value == "Kỳ trước chuyển sang"
    assert sheet["F5"].value == "Đã trả lời trong kỳ"
    assert sheet["I5"].value == "Không thụ lý"
    assert sheet["J5"].value == "Gộp vào phản ánh trùng"
    assert sheet["K5"].value == "Đang xử lý cuối kỳ"
    assert {"I5:I6", "J5:J6", "C5:E5", "K5:M5"} <= {
        str(cells) for cells in sheet.merged_cells.ranges
    }
    assert sheet["C5"].font.bold and sheet["D6"].font.bold
    assert sheet.freeze_panes == "C7"
    total_row = statistics.FIRST_DATA_ROW + len(result.by_category)
    assert sheet.cell(total_row, 2).value == "Tổng cộng"
    assert sheet.cell(total_row, 3).font.bold
    filename = statistics.feedback_workbook_filename(result)
    assert filename == "thong-ke-phan-anh-20261201-20261231.xlsx"


def test_the_workbook_of_a_quiet_period_has_only_a_zero_total(app):
    june = Period(date(2026, 6, 1), date(2026, 6, 30))
    result = statistics.compile_feedback_statistics(june)

    data = statistics.feedback_statistics_workbook(result)

    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        lines = list(
            sheet.iter_rows(min_row=statistics.FIRST_DATA_ROW, values_only=True)
        )
        assert lines == [(None, "Tổng cộng", *[0] * len(statistics.COLUMNS))]


def test_the_api_answers_the_statistics_in_its_documented_shape(api, december):
    response = api.get(f"/feedback-statistics?{IN_DECEMBER}")

    assert response.status_code == 200
    body = response.json
    FeedbackStatisticsOut.model_validate(body)
    assert body["period"] == {"start": "2026-12-01", "end": "2026-12-31"}
    assert body["total"] == {
        "on_hand": 16,
        "carried_over": 4,
        "received": 12,
        "answered": {"total": 6, "on_time": 4, "late": 2},
        "rejected": 2,
        "merged": 2,
        "pending": {"total": 6, "within_deadline": 4, "overdue": 2},
    }
    channels = [(line["channel"], line["received"]) for line in body["by_channel"]]
    assert channels == [
        ("phone", 3),
        ("province", 2),
        ("email", 1),
        ("counter", 5),
        ("letter", 1),
    ]
    unclassified = body["by_category"][-1]
    assert unclassified["category_code"] is None
    assert unclassified["name"] == "Chưa phân loại"
    assert unclassified["answered"] == {"total": 2, "on_time": 2, "late": 0}


@pytest.mark.parametrize(
    ("query", "faults"),
    [
        (
            "",
            {
                "start": "Vui lòng chọn ngày bắt đầu.",
                "end": "Vui lòng chọn ngày kết thúc.",
            },
        ),
        ("start=2026-12-01", {"end": "Vui lòng chọn ngày kết thúc."}),
        (
            "start=01/12/2026&end=2026-12-31",
            {"start": "Ngày bắt đầu phải ghi theo dạng 2026-12-31."},
        ),
        (
            "start=2026-12-31&end=2026-12-01",
            {"end": "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."},
        ),
        (
            "start=2026-01-01&end=2027-01-02",
            {"end": "Kỳ thống kê dài tối đa 366 ngày."},
        ),
    ],
)
def test_the_api_refuses_a_bad_period_field_by_field(api, query, faults):
    response = api.get(f"/feedback-statistics?{query}")

    assert response.status_code == 422
    error = response.json["error"]
    assert error["message"] == "Kỳ thống kê chưa hợp lệ."
    assert error["fields"] == faults


def test_the_api_wants_a_token(client):
    response = client.get(f"/api/v1/feedback-statistics?{IN_DECEMBER}")

    assert response.status_code == 401


@pytest.mark.parametrize("role", ["admin", "leader", "clerk", "officer"])
def test_every_staff_role_may_read_the_statistics(client, create_user, token_for, role):
    reader = ApiClient(client, token_for(create_user(role)))

    response = reader.get(f"/feedback-statistics?{IN_DECEMBER}")

    assert response.status_code == 200
    assert response.json["total"]["on_hand"] == 0


def test_the_openapi_document_describes_the_endpoint(client):
    document = client.get("/api/v1/openapi.json").json

    operation = document["paths"]["/feedback-statistics"]["get"]
    assert operation["x-permission"] == "feedback.view"
    assert {p["name"] for p in operation["parameters"]} == {"start", "end"}
    assert "FeedbackStatisticsOut" in document["components"]["schemas"]


def test_the_page_shows_every_table_and_links_its_workbook(app, december):
    result = statistics.compile_feedback_statistics(DECEMBER)

    # The views that serve this page live in app/feedback/views.py; here the
    # template renders alone, so every link is written as its endpoint.
    with app.test_request_context("/feedback/statistics"):
        page = render_template(
            "feedback/statistics.html",
            statistics=result,
            start="2026-12-01",
            end="2026-12-31",
            errors={},
            url_for=endpoint_link,
        )

    assert "Thống kê phản ánh, kiến nghị" in page
    assert "từ ngày 01/12/2026 đến ngày 31/12/2026" in page
    assert "Trực tiếp tại bộ phận một cửa" in page
    assert "Chưa phân loại" in page
    assert "66,7%" in page
    link = "/feedback.statistics_xlsx?start=2026-12-01&amp;end=2026-12-31"
    assert f'href="{link}"' in page


def test_the_page_shows_a_bad_period_beside_its_field(app):
    with app.test_request_context("/feedback/statistics"):
        page = render_template(
            "feedback/statistics.html",
            statistics=None,
            start="2026-12-31",
            end="2026-12-01",
            errors={"end": "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."},
            url_for=endpoint_link,
        )

    assert '<p class="error" id="end-error">Ngày kết thúc phải' in page
    assert 'value="2026-12-31"' in page
    assert "statistics_xlsx" not in page


def endpoint_link(endpoint: str, **values) -> str:
    return f"/{endpoint}?{urlencode(values)}"


def test_the_reminders_list_open_feedback_overdue_and_due_soon(december):
    today = date(2026, 12, 31)
    # 1 January is a holiday: two working days on is Tuesday 5 January.
    soon = load_calendar().add_working_days(today, 2)

    reminders = fetch_feedback_queue(today, soon)

    codes = {code: letter for letter, code in december.items()}
    overdue, due_soon = reminders["overdue"], reminders["soon"]
    assert soon == date(2027, 1, 5)
    assert [codes[item.code] for item in overdue["items"]] == ["A", "O"]
    assert overdue["count"] == 2
    # N (due 31 December) is answered and Q (due 5 January) refused.
    assert [codes[item.code] for item in due_soon["items"]] == ["M"]
    assert due_soon["count"] == 1


def test_the_reminders_show_the_oldest_twenty_and_count_them_all(api):
    # Security feedback received on 22 days running, each due five working
    # days later.
    with time_machine.travel(hanoi("2026-12-31T10:00"), tick=False):
        for day in range(1, 23):
            received = hanoi(f"2026-11-{day:02d}T09:00").isoformat()
            body = feedback(category_code=SECURITY, received_at=received)
            assert api.post("/feedback", json=body).status_code == 201
    today = date(2026, 12, 31)

    reminders = fetch_feedback_queue(today, date(2027, 1, 5))

    overdue = reminders["overdue"]
    due_dates = [item.due_date for item in overdue["items"]]
    assert overdue["count"] == 22
    assert len(due_dates) == statistics.REMINDER_LIMIT == 20
    assert due_dates == sorted(due_dates)
    every_due_date = sorted(db.session.scalars(select(FeedbackItem.due_date)))
    assert due_dates == every_due_date[:20]
    assert reminders["soon"] == {"items": [], "count": 0}
