"""The receipt and the response letter of feedback, read back from the PDF."""

import pypdfium2
import pytest
import time_machine
import zxingcpp
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.database import writing
from app.extensions import db
from app.feedback.printing import available_feedback_forms
from app.feedback.services import get_item
from app.office.services import get_office
from tests.conftest import ApiClient
from tests.printing.reading import page_size, page_texts, pdf_text

# Thursday 3 December 2026, 10:00 in Hà Nội; the answer comes a week later.
RECEIVED = "2026-12-03T03:00:00+00:00"
ANSWERED = "2026-12-10T08:30:00+00:00"
A4 = (595.28, 841.89)

ANSWER = (
    "Ngày 05/12/2026, Ủy ban nhân dân phường đã chỉ đạo Tổ dân phố Đồng Tâm "
    "thu gom toàn bộ rác thải xây dựng ven đường Lý Bôn.\n"
    "\n"
    "Công an phường đã lắp camera tại đoạn gần cầu Oai và sẽ xử phạt người đổ "
    "trộm theo quy định.\n"
    "Đề nghị Ông/Bà tiếp tục phản ánh nếu còn tình trạng trên"
)


def create_feedback(api, **overrides) -> str:
    """Receive feedback at the counter and return its code."""
    body = {
        "channel": "counter",
        "category_code": "MOI_TRUONG",
        "title": "Rác thải đổ trộm ven đường Lý Bôn",
        "content": "Nhiều ngày nay có người đổ trộm rác thải xây dựng ven đường "
        "Lý Bôn, đoạn gần cầu Oai, gây mất vệ sinh và cản trở đi lại.",
        "submitter": {
            "full_name": "Trần Thị Mai",
            "phone": "0912000111",
            "id_number": "025190004567",
            "address": "Tổ 4, phường Vĩnh Yên",
        },
        "location": "Tổ dân phố Đồng Tâm",
    }
    body.update(overrides)
    response = api.post("/feedback", json=body)
    assert response.status_code == 201, response.json
    return response.json["code"]


def act(api, code, action, **data):
    body = {"action": action, **data}
    response = api.post(f"/feedback/{code}/transitions", json=body)
    assert response.status_code == 200, response.json
    return response.json


def answer(api, code, response=ANSWER):
    act(api, code, "accept")
    act(api, code, "respond", response=response)


def fetch_form(api, code, form):
    return api.get(f"/feedback/{code}/forms/{form}.pdf")


def form_text(api, code, form) -> str:
    response = fetch_form(api, code, form)
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    return pdf_text(response.data)


@pytest.fixture
def leader_api(client, create_user, token_for):
    leader = create_user("leader", username="chinh", full_name="Lê Văn Chính")
    return ApiClient(client, token_for(leader))


@pytest.fixture
def received(api):
    with time_machine.travel(RECEIVED, tick=False):
        return create_feedback(api)


@pytest.fixture
def answered(api, received):
    with time_machine.travel(ANSWERED, tick=False):
        answer(api, received)
    return received


def test_receipt_is_one_a4_page(api, received):
    data = fetch_form(api, received, "receipt").data

    assert len(page_texts(data)) == 1
    width, height = page_size(data)
    assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1


def test_receipt_prints_what_was_received_and_when_it_is_due(api, received):
    text = form_text(api, received, "receipt")

    for expected in (
        "UBND PHƯỜNG VĨNH YÊN",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Yên, ngày 03 tháng 12 năm 2026",
        "PHIẾU TIẾP NHẬN PHẢN ÁNH, KIẾN NGHỊ",
        f"Mã phản ánh: {received}",
        "Tiếp nhận phản ánh, kiến nghị của: Trần Thị Mai",
        "Địa chỉ: Tổ 4, phường Vĩnh Yên",
        "Hình thức tiếp nhận: Trực tiếp tại bộ phận một cửa",
        "Thời gian tiếp nhận: 10 giờ 00 phút, ngày 03 tháng 12 năm 2026",
        "Lĩnh vực: Môi trường, vệ sinh",
        "Rác thải đổ trộm ven đường Lý Bôn",
        "Địa điểm liên quan: Tổ dân phố Đồng Tâm",
        # Ten working days from Thursday 3 December.
        "Thời hạn xử lý, trả lời: Thứ Năm, ngày 17 tháng 12 năm 2026",
        "NGƯỜI PHẢN ÁNH, KIẾN NGHỊ",
        "quét mã QR",
    ):
        assert expected in text, expected
    signatures = text.split("NGƯỜI TIẾP NHẬN")[-1].split("Ghi chú")[0]
    assert "Nguyễn Thị Thuỷ" in signatures


def test_receipt_leaves_the_phone_and_citizen_id_off_the_paper(api, received):
    text = form_text(api, received, "receipt")

    assert "0912000111" not in text
    assert "025190004567" not in text


def test_receipt_qr_code_leads_to_the_lookup_page_of_the_feedback(api, received, app):
    app.config["PUBLIC_BASE_URL"] = "http://192.0.2.10:5000/"
    data = fetch_form(api, received, "receipt").data
    document = pypdfium2.PdfDocument(data)

    image = document[0].render(scale=3).to_pil()
    found = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    document.close()

    assert found == [f"http://192.0.2.10:5000/lookup/?code={received}"]
    assert "http://192.0.2.10:5000/lookup/" in pdf_text(data)


@time_machine.travel(RECEIVED, tick=False)
def test_receipt_of_a_tip_without_a_name_has_no_submitter_to_sign(api):
    code = create_feedback(api, channel="province", submitter=None)

    text = form_text(api, code, "receipt")

    assert "(không ghi tên người gửi)" in text
    assert "Hình thức tiếp nhận: Do tỉnh chuyển đến" in text
    assert "NGƯỜI PHẢN ÁNH, KIẾN NGHỊ" not in text


def test_response_letter_is_a_decree_30_letter_with_the_answer(api, answered):
    with writing():
        get_office().head_name = "Hoàng Văn Chính"

    text = form_text(api, answered, "response")

    for expected in (
        "ỦY BAN NHÂN DÂN PHƯỜNG VĨNH YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "/UBND-VP",
        "V/v trả lời phản ánh, kiến nghị",
        "Vĩnh Yên, ngày 10 tháng 12 năm 2026",
        "Kính gửi: Ông/Bà Trần Thị Mai",
        "(Địa chỉ: Tổ 4, phường Vĩnh Yên)",
        (
            "Ngày 03 tháng 12 năm 2026, Ủy ban nhân dân phường Vĩnh Yên nhận được "
            "phản ánh, kiến nghị của Ông/Bà về việc “Rác thải đổ trộm ven đường "
            f"Lý Bôn” (mã phản ánh {answered})."
        ),
        "Nơi nhận: - Như trên; - Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
        "Hoàng Văn Chính",
    ):
        assert expected in text, expected
    assert "Số: " in text.split("V/v")[0]


def test_response_letter_keeps_each_line_of_the_answer_a_paragraph_in_order(
    api, answered
):
    text = form_text(api, answered, "response")

    body = text.split("trả lời như sau:")[1]
    first = body.index("Ngày 05/12/2026, Ủy ban nhân dân phường đã chỉ đạo")
    second = body.index("Công an phường đã lắp camera")
    third = body.index(
        "Đề nghị Ông/Bà tiếp tục phản ánh nếu còn tình trạng trên. Ủy ban nhân dân"
    )
    assert first < second < third
    assert "trả lời để Ông/Bà được biết./." in body


@time_machine.travel(RECEIVED, tick=False)
def test_response_letter_to_a_tip_without_a_name_is_addressed_neutrally(api):
    code = create_feedback(api, channel="province", submitter=None)
    answer(api, code, "Đã kiểm tra và xử lý.")

    text = form_text(api, code, "response")

    assert f"Kính gửi: Người phản ánh, kiến nghị (phản ánh mã {code})" in text
    assert "Ông/Bà" not in text
    assert "trả lời để người phản ánh, kiến nghị được biết./." in text


@time_machine.travel(RECEIVED, tick=False)
def test_response_letter_can_be_reprinted_after_publishing_and_closing(api, leader_api):
    code = create_feedback(api)
    answer(api, code)
    printed = [form_text(api, code, "response")]

    act(leader_api, code, "publish")
    printed.append(form_text(api, code, "response"))
    act(api, code, "close")
    printed.append(form_text(api, code, "response"))

    assert all("Công an phường đã lắp camera" in text for text in printed)


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [("accept", {})],
        [("reject", {"reason": "Không thuộc thẩm quyền"})],
    ],
    ids=["received", "accepted", "rejected"],
)
@time_machine.travel(RECEIVED, tick=False)
def test_response_letter_before_any_answer_answers_409(api, steps):
    code = create_feedback(api)
    for action, data in steps:
        act(api, code, action, **data)

    response = fetch_form(api, code, "response")

    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_transition"
    assert "chưa có nội dung trả lời" in response.json["error"]["message"]


@time_machine.travel(RECEIVED, tick=False)
def test_a_merged_item_is_closed_but_has_no_response_letter(api):
    first = create_feedback(api)
    second = create_feedback(api)
    act(api, second, "merge", into=first)

    response = fetch_form(api, second, "response")

    assert response.status_code == 409


@time_machine.travel(RECEIVED, tick=False)
def test_the_forms_offered_follow_the_state_of_the_item(api):
    code = create_feedback(api)
    fresh = available_feedback_forms(get_item(code))

    answer(api, code)
    db.session.expire_all()
    answered = available_feedback_forms(get_item(code))

    assert fresh == [("receipt", "Phiếu tiếp nhận phản ánh, kiến nghị")]
    assert [slug for slug, _ in answered] == ["receipt", "response"]


def test_printing_is_recorded_in_the_audit_trail(api, answered):
    fetch_form(api, answered, "receipt")
    fetch_form(api, answered, "response")

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "form_issued")
    ).all()

    assert [(e.entity, e.detail) for e in events] == [
        ("feedback", {"form": "receipt"}),
        ("feedback", {"form": "response"}),
    ]
    assert {e.entity_uuid for e in events} == {get_item(answered).uuid}


def test_an_unknown_form_answers_404_naming_the_forms(api, received):
    response = fetch_form(api, received, "khong-co")

    assert response.status_code == 404
    assert "receipt, response" in response.json["error"]["message"]


def test_an_unknown_code_answers_404(api):
    response = fetch_form(api, "PA-25.08707-261203-9999", "receipt")

    assert response.status_code == 404


def test_the_pdf_is_served_inline_under_a_name_with_the_code(api, received):
    response = fetch_form(api, received, "receipt")

    assert response.headers["Content-Disposition"] == (
        f'inline; filename="receipt-{received}.pdf"'
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 403), ("leader", 200), ("clerk", 200), ("officer", 200)],
)
def test_printing_is_for_the_staff_who_handle_feedback(
    client, create_user, token_for, received, role, status
):
    staff = ApiClient(client, token_for(create_user(role)))

    response = fetch_form(staff, received, "receipt")

    assert response.status_code == status


def test_printing_without_a_token_answers_401(client, received):
    response = ApiClient(client, None).get(f"/feedback/{received}/forms/receipt.pdf")

    assert response.status_code == 401
