"""The feedback pages: intake form, list, detail and actions."""

from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import FeedbackItem

FORM = {
    "channel": "counter",
    "category_code": "GIAO_THONG",
    "title": "Đèn đường hỏng ở tổ 5",
    "content": "Ba cột đèn trên đường Nguyễn Tất Thành không sáng đã một tuần.",
    "location": "Tổ 5",
    "full_name": "Ngô Văn Long",
    "phone": "0904 111 222",
    "address": "Tổ 5, phường Vĩnh Yên",
    "received_at": "2026-12-03T09:00",
}


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(FeedbackItem))


def test_a_clerk_receives_feedback_through_the_form(client, clerk, login):
    login(clerk)

    response = client.post("/feedback/new", data=FORM)

    item = db.session.scalar(select(FeedbackItem))
    assert response.status_code == 302
    assert item.submitter_phone == "0904111222"
    page = client.get(f"/feedback/{item.code}").get_data(as_text=True)
    assert "Đèn đường hỏng ở tổ 5" in page
    assert "Tiếp nhận xử lý" in page


def test_anonymous_feedback_at_the_counter_is_refused_with_the_reason(
    client, clerk, login
):
    login(clerk)

    response = client.post(
        "/feedback/new", data={**FORM, "full_name": "", "address": "", "phone": ""}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "phải ghi rõ họ tên và địa chỉ" in page
    assert count() == 0


def test_the_list_finds_feedback_without_diacritics(client, clerk, login):
    login(clerk)
    client.post("/feedback/new", data=FORM)

    page = client.get("/feedback/?q=den duong hong").get_data(as_text=True)

    assert "Đèn đường hỏng ở tổ 5" in page
    assert "1 phản ánh" in page


def test_actions_from_the_page_answer_the_feedback(client, clerk, login):
    login(clerk)
    client.post("/feedback/new", data=FORM)
    code = db.session.scalar(select(FeedbackItem.code))

    client.post(f"/feedback/{code}/transitions", data={"action": "accept"})
    client.post(
        f"/feedback/{code}/transitions",
        data={"action": "respond", "response": "Đã thay bóng đèn ngày 05/12."},
    )

    page = client.get(f"/feedback/{code}").get_data(as_text=True)
    assert "Đã thay bóng đèn ngày 05/12." in page
    assert db.session.scalar(select(FeedbackItem.status)) == "responded"


def test_a_category_gets_a_time_limit_and_a_default_handler(
    client, create_user, login, api
):
    from app.feedback.models import FeedbackCategory

    hung = create_user("officer", username="hung", full_name="Trần Văn Hùng")
    login(create_user("admin"))

    response = client.post(
        "/feedback/settings",
        data={
            "kind": "category",
            "code": "GIAO_THONG",
            "time_limit_days": "7",
            "default_handler": "hung",
            "active": "1",
        },
    )
    body = {
        **{k: v for k, v in FORM.items() if k in ("title", "content")},
        "channel": "counter",
        "category_code": "GIAO_THONG",
        "submitter": {"full_name": "Ngô Văn Long", "address": "Tổ 5"},
    }
    created = api.post("/feedback", json=body).json
    item = db.session.scalar(
        select(FeedbackItem).where(FeedbackItem.code == created["code"])
    )

    assert response.status_code == 302
    assert db.session.get(FeedbackCategory, "GIAO_THONG").time_limit_days == 7
    assert item.assignee_id == hung.id


def test_a_channel_may_be_opened_to_anonymous_tips(client, create_user, login, api):
    login(create_user("admin"))

    client.post(
        "/feedback/settings",
        data={"kind": "channel", "code": "phone", "active": "1"},
    )
    body = {"channel": "phone", "title": "Tin báo", "content": "Có khói lớn ở bãi rác."}

    assert api.post("/feedback", json=body).status_code == 201


def test_a_bad_time_limit_is_refused(client, create_user, login):
    from app.feedback.models import FeedbackCategory

    login(create_user("admin"))

    client.post(
        "/feedback/settings",
        data={
            "kind": "category",
            "code": "KHAC",
            "time_limit_days": "0",
            "active": "1",
        },
    )

    assert db.session.get(FeedbackCategory, "KHAC").time_limit_days == 15


def test_the_feedback_page_offers_the_receipt_and_prints_it(client, clerk, login):
    login(clerk)
    client.post("/feedback/new", data=FORM)
    code = db.session.scalar(select(FeedbackItem.code))

    page = client.get(f"/feedback/{code}").get_data(as_text=True)
    pdf = client.get(f"/feedback/{code}/forms/receipt.pdf")
    letter = client.get(f"/feedback/{code}/forms/response.pdf")

    assert f"/feedback/{code}/forms/receipt.pdf" in page
    assert f"/feedback/{code}/forms/response.pdf" not in page
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert letter.status_code == 409


def test_the_statistics_page_and_workbook_open(client, clerk, login):
    login(clerk)
    client.post("/feedback/new", data=FORM)

    page = client.get("/feedback/statistics?start=2026-12-01&end=2026-12-31")
    sheet = client.get("/feedback/statistics.xlsx?start=2026-12-01&end=2026-12-31")
    bad = client.get("/feedback/statistics?start=2026-12-31&end=2026-12-01")

    assert page.status_code == 200
    assert "Trực tiếp tại bộ phận một cửa" in page.get_data(as_text=True)
    assert sheet.data[:2] == b"PK"
    assert bad.status_code == 422


def test_a_leader_may_not_change_the_category_settings(client, create_user, login):
    from app.feedback.models import FeedbackCategory

    login(create_user("leader"))

    response = client.post(
        "/feedback/settings",
        data={
            "kind": "category",
            "code": "KHAC",
            "time_limit_days": "3",
            "active": "1",
        },
    )

    assert response.status_code == 403
    assert db.session.get(FeedbackCategory, "KHAC").time_limit_days == 15
