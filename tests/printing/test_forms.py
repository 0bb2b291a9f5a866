"""The one-stop forms after the receipt, driven over the API and read back."""

import pytest
import time_machine

from app.core.database import writing
from app.dossiers.printing import FORMS, amount_in_words, available_forms
from app.dossiers.services import get_dossier
from app.extensions import db
from app.office.models import Procedure
from tests.conftest import ApiClient, intake
from tests.printing.reading import page_size, pdf_text

# Thursday 3 December 2026, 09:00 in Hà Nội.
THURSDAY_MORNING = "2026-12-03T02:00:00+00:00"
A4 = (595.28, 841.89)

MISSING_PAPERS = [
    (
        "Bản sao Giấy chứng tử của chồng (bản sao có chứng thực hoặc bản chụp kèm "
        "bản chính để đối chiếu)"
    ),
    "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân có đủ chữ ký của người yêu cầu",
    "Văn bản ủy quyền có chứng thực (nếu nộp thay)",
]
RECEIVING = "Trung tâm Phục vụ hành chính công phường Vĩnh Yên"
DECIDING = "Ủy ban nhân dân phường Vĩnh Yên"


@pytest.fixture
def officer_api(client, create_user, token_for):
    """A JSON client signed with an officer's token (officers may reschedule)."""
    officer = create_user("officer", username="hung", full_name="Trần Văn Hùng")
    return ApiClient(client, token_for(officer))


def receive(api, procedure="1.004873", **overrides):
    """Receive a dossier (a 3-day procedure by default) and return its code."""
    body = intake(procedure_code=procedure, received_at="2026-12-03T08:30:00+07:00")
    body.update(overrides)
    response = api.post("/dossiers", json=body)
    assert response.status_code == 201, response.json
    return response.json["code"]


def act(api, code, action, **data):
    response = api.post(
        f"/dossiers/{code}/transitions", json={"action": action, **data}
    )
    assert response.status_code == 200, response.json
    return response.json


def fetch_form(api, code, form):
    return api.get(f"/dossiers/{code}/forms/{form}.pdf")


def form_text(api, code, form) -> str:
    response = fetch_form(api, code, form)
    assert response.status_code == 200, response.json
    assert response.mimetype == "application/pdf"
    return pdf_text(response.data)


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_supplement_request_lists_every_missing_paper_with_reason_and_officer(
    api, officer_api
):
    code = receive(api)
    act(
        officer_api,
        code,
        "request_supplement",
        missing_papers=MISSING_PAPERS,
        note="Hồ sơ thiếu giấy tờ chứng minh việc chồng đã chết",
    )

    text = form_text(api, code, "supplement-request")

    for expected in (
        "UBND PHƯỜNG VĨNH YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Vĩnh Yên, ngày 03 tháng 12 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        f"Mã hồ sơ: {code}",
        "Hồ sơ của Ông/Bà: Nguyễn Văn An",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        f"Cơ quan tiếp nhận hồ sơ: {RECEIVING}",
        f"Cơ quan giải quyết hồ sơ: {DECIDING}",
        "Lý do: Hồ sơ thiếu giấy tờ chứng minh việc chồng đã chết.",
        "liên hệ Trần Văn Hùng (công chức chuyên môn)",
        "NGƯỜI HƯỚNG DẪN",
    ):
        assert expected in text, expected
    for number, paper in enumerate(MISSING_PAPERS, start=1):
        assert f"{number}. {paper}" in text, paper


def test_supplement_request_can_be_reprinted_after_the_papers_arrive(api, officer_api):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)
        act(api, code, "request_supplement", missing_papers=MISSING_PAPERS)
    with time_machine.travel("2026-12-09T03:00:00+00:00", tick=False):
        act(api, code, "supplement_received")

    text = form_text(api, code, "supplement-request")

    assert get_dossier(code).missing_papers == []
    for paper in MISSING_PAPERS:
        assert paper in text
    assert "Vĩnh Yên, ngày 03 tháng 12 năm 2026" in text


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_refusal_gives_the_reason_of_the_rejection(api):
    code = receive(api)
    act(
        api,
        code,
        "reject",
        reason="Hồ sơ không thuộc thẩm quyền giải quyết của phường Vĩnh Yên",
    )

    text = form_text(api, code, "refusal")

    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {code}",
        "Nguyễn Văn An",
        "Hồ sơ không thuộc thẩm quyền giải quyết của phường Vĩnh Yên.",
        f"Cơ quan tiếp nhận hồ sơ: {RECEIVING}",
        f"Cơ quan giải quyết hồ sơ: {DECIDING}",
        "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Nguyễn Thị Thuỷ",
    ):
        assert expected in text, expected


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_apology_gives_the_old_date_the_reason_and_the_new_date(api, officer_api):
    code = receive(api)
    act(
        officer_api,
        code,
        "reschedule",
        reason="Cần xác minh tình trạng hôn nhân tại nơi cư trú trước đây",
        new_due_date="2026-12-11",
    )

    text = form_text(api, code, "apology")

    for expected in (
        "ỦY BAN NHÂN DÂN PHƯỜNG VĨNH YÊN",
        "Số: /UBND",
        "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Kính gửi: Ông/Bà Nguyễn Văn An",
        code,
        "Thứ Ba, ngày 08 tháng 12 năm 2026",
        (
            "Lý do chậm trả kết quả: Cần xác minh tình trạng hôn nhân tại nơi cư trú "
            "trước đây."
        ),
        "thành thật xin lỗi",
        "Thứ Sáu, ngày 11 tháng 12 năm 2026",
        RECEIVING,
        f"Cơ quan giải quyết hồ sơ: {DECIDING}",
        "Nơi nhận: - Như trên;",
        "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH",
    ):
        assert expected in text, expected


def test_apology_after_a_supplement_cites_the_restarted_appointment(api, officer_api):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)
        act(api, code, "request_supplement", missing_papers=MISSING_PAPERS[:1])
    # The papers come on Wednesday 9 December: due Monday 14 December.
    with time_machine.travel("2026-12-09T03:00:00+00:00", tick=False):
        act(api, code, "supplement_received")
        act(
            officer_api,
            code,
            "reschedule",
            reason="Chờ kết quả xác minh",
            new_due_date="2026-12-16",
        )

    text = form_text(api, code, "apology")

    assert "Thứ Hai, ngày 14 tháng 12 năm 2026" in text
    assert "Thứ Tư, ngày 16 tháng 12 năm 2026" in text
    assert "Vĩnh Yên, ngày 09 tháng 12 năm 2026" in text


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_control_sheet_has_a_row_per_transition_with_who_handed_to_whom(
    api, officer_api
):
    code = receive(api)
    act(api, code, "start", assignee="hung", note="Chuyển công chức tư pháp")
    act(officer_api, code, "resolve", note="Đã cấp giấy xác nhận")
    act(api, code, "return_result")

    text = form_text(api, code, "control-sheet")

    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {code}",
        "Kèm theo hồ sơ của: Nguyễn Văn An",
        f"Cơ quan tiếp nhận hồ sơ: {RECEIVING}",
        f"Cơ quan giải quyết hồ sơ: {DECIDING}",
        (
            "1 Tiếp nhận 08 giờ 30 phút, ngày 03/12/2026 "
            "Giao: Nguyễn Văn An Nhận: Nguyễn Thị Thuỷ"
        ),
        (
            "2 Bắt đầu giải quyết 09 giờ 00 phút, ngày 03/12/2026 "
            "Giao: Nguyễn Thị Thuỷ Nhận: Trần Văn Hùng Chuyển công chức tư pháp"
        ),
        (
            "3 Có kết quả 09 giờ 00 phút, ngày 03/12/2026 "
            "Giao: Trần Văn Hùng Trước hạn Đã cấp giấy xác nhận"
        ),
        (
            "4 Trả kết quả 09 giờ 00 phút, ngày 03/12/2026 "
            "Giao: Nguyễn Thị Thuỷ Nhận: Nguyễn Văn An"
        ),
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("resolved_at", "result"),
    [
        ("2026-12-07T03:00:00+00:00", "Trước hạn"),
        ("2026-12-08T03:00:00+00:00", "Đúng hạn"),
        ("2026-12-09T03:00:00+00:00", "Quá hạn"),
    ],
)
def test_control_sheet_judges_the_result_against_the_due_date(
    api, officer_api, resolved_at, result
):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)
        act(api, code, "start")
    with time_machine.travel(resolved_at, tick=False):
        act(api, code, "resolve")

    text = form_text(api, code, "control-sheet")

    found = [word for word in ("Trước hạn", "Đúng hạn", "Quá hạn") if word in text]
    assert found == [result]


def test_a_dossier_resolved_late_stays_late_though_an_apology_moved_the_date(
    api, officer_api
):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)
        act(api, code, "start")
        act(
            officer_api,
            code,
            "reschedule",
            reason="Chờ xác minh",
            new_due_date="2026-12-11",
        )
    with time_machine.travel("2026-12-10T03:00:00+00:00", tick=False):
        act(api, code, "resolve")

    text = form_text(api, code, "control-sheet")

    assert "Quá hạn" in text
    assert "Hẹn lại ngày 11/12/2026" in text


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_control_sheet_is_printable_as_soon_as_a_dossier_is_received(api):
    code = receive(api)

    text = form_text(api, code, "control-sheet")

    assert "1 Tiếp nhận 08 giờ 30 phút, ngày 03/12/2026" in text
    assert "Bắt đầu giải quyết" not in text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("supplement-request", "chưa có yêu cầu bổ sung"),
        ("refusal", "chỉ in phiếu từ chối"),
        ("apology", "chưa được hẹn lại ngày trả kết quả"),
    ],
)
@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_form_the_dossier_history_does_not_call_for_answers_409(api, form, message):
    code = receive(api)
    act(api, code, "start")

    response = fetch_form(api, code, form)

    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_transition"
    assert message in response.json["error"]["message"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_dossier_asked_to_supplement_still_has_no_refusal(api):
    code = receive(api)
    act(api, code, "request_supplement", missing_papers=MISSING_PAPERS)

    response = fetch_form(api, code, "refusal")

    assert response.status_code == 409


@pytest.fixture
def routed_dossier(api, officer_api):
    """A dossier decided by a provincial body, with every form available."""
    with writing():
        db.session.get(
            Procedure, "1.004873"
        ).deciding_authority = "Sở Tư pháp tỉnh Phú Thọ"
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)
        act(api, code, "request_supplement", missing_papers=MISSING_PAPERS)
        act(
            officer_api,
            code,
            "reschedule",
            reason="Chờ xác minh",
            new_due_date="2026-12-11",
        )
        act(api, code, "reject", reason="Người nộp không bổ sung hồ sơ")
    return code


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_is_a4_and_names_both_the_receiving_and_the_deciding_body(
    api, routed_dossier, form
):
    response = fetch_form(api, routed_dossier, form)

    assert response.status_code == 200, response.json
    width, height = page_size(response.data)
    assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
    text = pdf_text(response.data)
    assert RECEIVING in text
    assert "Sở Tư pháp tỉnh Phú Thọ" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_every_form_is_available_once_the_history_calls_for_it(routed_dossier):
    assert list(available_forms(get_dossier(routed_dossier))) == list(FORMS)


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_fresh_dossier_offers_only_the_receipt_and_the_control_sheet(api):
    code = receive(api)

    assert list(available_forms(get_dossier(code))) == ["receipt", "control-sheet"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_receipt_writes_the_fee_in_figures_and_in_words(api):
    code = receive(api, procedure="1.000689")

    text = form_text(api, code, "receipt")

    assert "Phí, lệ phí: 10.000 đồng (Bằng chữ: Mười nghìn đồng)" in text
    assert f"Cơ quan giải quyết hồ sơ: {DECIDING}" in text


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_receipt_of_a_free_procedure_says_no_fee_is_charged(api):
    code = receive(api, procedure="1.001193")

    assert "Phí, lệ phí: Không thu" in form_text(api, code, "receipt")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (2000, "Hai nghìn đồng"),
        (10000, "Mười nghìn đồng"),
        (15000, "Mười lăm nghìn đồng"),
        (1250000, "Một triệu hai trăm năm mươi nghìn đồng"),
    ],
)
def test_amounts_are_written_in_vietnamese_words(amount, words):
    assert amount_in_words(amount) == words


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_control_sheet_names_the_officer_a_dossier_is_assigned_to(api, create_user):
    create_user("officer", username="lan", full_name="Hoàng Thị Lan")
    code = receive(api)
    act(api, code, "assign", assignee="lan")

    text = form_text(api, code, "control-sheet")

    assert "2 Phân công xử lý" in text
    assert "Giao: Nguyễn Thị Thuỷ Nhận: Hoàng Thị Lan" in text
