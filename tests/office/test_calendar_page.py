"""The admin's calendar page: the province's days off and make-up days."""

from datetime import date

import time_machine

from app.extensions import db
from app.office.models import CalendarException
from tests.conftest import intake


def test_a_province_day_off_moves_the_due_date(client, create_user, login, api):
    login(create_user("admin"))

    response = client.post(
        "/office/calendar",
        data={"day": "2026-12-07", "kind": "off", "note": "QĐ 12/QĐ-UBND"},
    )
    with time_machine.travel("2026-12-04T10:00:00+00:00", tick=False):
        body = api.post(
            "/dossiers", json=intake(received_at="2026-12-04T16:00:00+07:00")
        ).json

    assert response.status_code == 302
    assert db.session.get(CalendarException, date(2026, 12, 7)).note == "QĐ 12/QĐ-UBND"
    assert body["due_date"] == "2026-12-08"


def test_marking_an_ordinary_weekday_as_working_is_refused(client, create_user, login):
    login(create_user("admin"))

    response = client.post(
        "/office/calendar", data={"day": "2026-12-08", "kind": "work"}
    )

    assert response.status_code == 422
    assert "vốn đã là ngày làm việc" in response.get_data(as_text=True)


def test_a_removed_day_stops_counting(client, create_user, login):
    login(create_user("admin"))
    client.post("/office/calendar", data={"day": "2026-12-12", "kind": "work"})

    response = client.post("/office/calendar/2026-12-12/delete")

    assert response.status_code == 302
    assert db.session.get(CalendarException, date(2026, 12, 12)) is None


def test_the_page_lists_tet(client, create_user, login):
    login(create_user("admin"))

    page = client.get("/office/calendar").get_data(as_text=True)

    assert "Tết Nguyên Đán" in page
