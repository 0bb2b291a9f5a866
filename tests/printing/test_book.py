"""The tracking book of dossiers, as PDF and as a spreadsheet."""

import io
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.errors import ValidationFailed
from app.dossiers.books import (
    fetch_book_rows,
    parse_book_range,
    render_book_pdf,
    render_book_xlsx,
)
from app.extensions import db
from tests.conftest import intake
from tests.printing.reading import page_size, page_texts, pdf_text

A4_LANDSCAPE = (841.89, 595.28)
SATURDAY = "2026-12-05T03:00:00+00:00"


def receive(api, received_at, name="Nguyễn Văn An", **overrides):
    body = intake(received_at=received_at, applicant={"full_name": name}, **overrides)
    response = api.post("/dossiers", json=body)
    assert response.status_code == 201, response.json
    return response.json["code"]


@pytest.fixture
def week(api):
    """Receive dossiers either side of local midnight; return their codes."""
    with time_machine.travel(SATURDAY, tick=False):
        # 23:30 on 1 December in Hà Nội is still 1 December, whatever UTC says.
        before = receive(api, "2026-12-01T23:30:00+07:00", "Lê Thị Hoà")
        first = receive(api, "2026-12-02T00:15:00+07:00", "Trần Văn Bình")
        second = receive(
            api,
            "2026-12-03T10:00:00+07:00",
            "Phạm Quỳnh Hương",
            procedure_code="1.000689",
        )
        after = receive(api, "2026-12-04T08:00:00+07:00", "Đỗ Minh Châu")
    return {"before": before, "first": first, "second": second, "after": after}


def test_book_rows_are_the_dossiers_received_on_those_local_days_in_order(week):
    rows = fetch_book_rows(date(2026, 12, 2), date(2026, 12, 3))

    assert [row.code for row in rows] == [week["first"], week["second"]]
    assert [row.number for row in rows] == [1, 2]
    assert rows[0].received_on == date(2026, 12, 2)
    assert rows[1].procedure_name.startswith("Đăng ký khai sinh kết hợp")
    assert rows[1].deciding_authority == "Ủy ban nhân dân phường Vĩnh Yên"
    assert rows[0].contact == "Tổ dân phố Đồng Tâm, phường Vĩnh Yên; 0912345678"
    assert rows[0].returned_on is None


def test_book_pdf_is_a4_landscape_with_the_dossiers_of_the_range(week, clerk):
    data = render_book_pdf(date(2026, 12, 2), date(2026, 12, 3), clerk)

    width, height = page_size(data)
    assert abs(width - A4_LANDSCAPE[0]) < 1 and abs(height - A4_LANDSCAPE[1]) < 1
    text = pdf_text(data)
    for expected in (
        "SỔ THEO DÕI HỒ SƠ",
        "Từ ngày 02/12/2026 đến ngày 03/12/2026",
        (
            "STT Mã hồ sơ Tên thủ tục Người nộp Địa chỉ/điện thoại Cơ quan giải quyết "
            "Ngày nhận Hẹn trả Ngày trả kết quả Ghi chú"
        ),
        week["first"],
        "Trần Văn Bình",
        week["second"],
        "Phạm Quỳnh Hương",
        "Tổng số: 2 hồ sơ.",
    ):
        assert expected in text, expected
    assert week["before"] not in text
    assert week["after"] not in text


def test_a_long_book_repeats_the_table_header_and_numbers_its_pages(api, clerk):
    with time_machine.travel(SATURDAY, tick=False):
        for minute in range(30):
            receive(api, f"2026-12-02T09:{minute:02d}:00+07:00")

    pages = page_texts(render_book_pdf(date(2026, 12, 2), date(2026, 12, 2), clerk))

    assert len(pages) >= 2
    for number, text in enumerate(pages[1:], start=2):
        assert text.startswith("STT Mã hồ sơ Tên thủ tục"), text[:80]
        # The page number sits in the top margin, drawn after the page body.
        assert text.endswith(f" {number}"), text[-80:]
    assert "Tổng số: 30 hồ sơ." in pages[-1]


def test_an_empty_book_says_nothing_was_received(app, clerk):
    text = pdf_text(render_book_pdf(date(2026, 1, 1), date(2026, 1, 31), clerk))

    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in text


def test_issuing_the_book_is_recorded_in_the_audit_trail(week, clerk):
    render_book_pdf(date(2026, 12, 2), date(2026, 12, 3), clerk)

    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity == "dossier_book")
    )
    assert event.kind == "form_issued"
    assert event.user_id == clerk.id
    assert event.detail == {
        "form": "book",
        "start": "2026-12-02",
        "end": "2026-12-03",
        "rows": 2,
    }


def test_book_spreadsheet_has_a_frozen_bold_header_and_real_dates(week):
    data = render_book_xlsx(date(2026, 12, 2), date(2026, 12, 3))

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục",
        "Người nộp",
        "Địa chỉ/điện thoại",
        "Cơ quan giải quyết",
        "Ngày nhận",
        "Hẹn trả",
        "Ngày trả kết quả",
        "Ghi chú",
    )
    assert [row[:2] for row in rows[1:]] == [(1, week["first"]), (2, week["second"])]
    assert rows[1][3] == "Trần Văn Bình"
    assert rows[1][6] == datetime(2026, 12, 2)
    assert rows[2][7] == datetime(2026, 12, 8)
    assert sheet["G2"].is_date and sheet["G2"].number_format == "dd/mm/yyyy"
    assert sheet["H3"].number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["B"].width >= 20


def test_a_returned_dossier_shows_its_return_date_in_the_book(api):
    with time_machine.travel("2026-12-03T02:00:00+00:00", tick=False):
        code = receive(api, "2026-12-03T08:30:00+07:00")
        for action in ("start", "resolve", "return_result"):
            response = api.post(
                f"/dossiers/{code}/transitions", json={"action": action}
            )
            assert response.status_code == 200, response.json

    (row,) = fetch_book_rows(date(2026, 12, 3), date(2026, 12, 3))
    sheet = openpyxl.load_workbook(
        io.BytesIO(render_book_xlsx(date(2026, 12, 3), date(2026, 12, 3)))
    ).active

    assert row.returned_on == date(2026, 12, 3)
    assert row.note == "Đã trả kết quả"
    assert sheet["I2"].value == datetime(2026, 12, 3)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2026, 12, 3), date(2026, 12, 2), "Ngày bắt đầu phải trước"),
        (date(2028, 1, 1), date(2029, 1, 1), "tối đa 366 ngày"),
    ],
)
@pytest.mark.parametrize(
    "make", [fetch_book_rows, render_book_xlsx], ids=["rows", "xlsx"]
)
def test_a_backward_or_overlong_range_is_refused(app, start, end, message, make):
    with pytest.raises(ValidationFailed, match=message):
        make(start, end)


def test_a_leap_year_is_not_too_long_for_one_book(app, clerk):
    rows = fetch_book_rows(date(2028, 1, 1), date(2028, 12, 31))

    assert rows == []


def test_the_pdf_book_refuses_a_backward_range_too(app, clerk):
    with pytest.raises(ValidationFailed) as caught:
        render_book_pdf(date(2026, 12, 3), date(2026, 12, 2), clerk)

    assert "end" in caught.value.fields


def test_a_range_is_read_from_iso_dates(app):
    assert parse_book_range("2026-12-01", " 2026-12-31 ") == (
        date(2026, 12, 1),
        date(2026, 12, 31),
    )


def test_a_range_that_is_not_iso_dates_is_refused_field_by_field(app):
    with pytest.raises(ValidationFailed) as caught:
        parse_book_range("01/12/2026", None)

    assert set(caught.value.fields) == {"start", "end"}
    assert "YYYY-MM-DD" in caught.value.fields["start"]


def test_the_book_is_served_on_the_web_and_the_api(client, clerk, login, api):
    api.post("/dossiers", json=intake())
    login(clerk)

    page = client.get("/dossiers/book")
    web_pdf = client.get("/dossiers/book.pdf?start=2026-12-01&end=2026-12-31")
    api_xlsx = api.get("/dossier-book.xlsx?start=2026-12-01&end=2026-12-31")
    bad_kind = api.get("/dossier-book.doc?start=2026-12-01&end=2026-12-31")
    bad_range = api.get("/dossier-book.pdf?start=2026-12-31&end=2026-12-01")

    assert page.status_code == 200
    assert web_pdf.mimetype == "application/pdf" and web_pdf.data.startswith(b"%PDF")
    assert api_xlsx.status_code == 200
    assert api_xlsx.data[:2] == b"PK"
    assert bad_kind.status_code == 404
    assert bad_range.status_code == 422
