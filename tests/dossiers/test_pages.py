"""The dossier pages: intake form, list, detail."""

from sqlalchemy import func, select

from app.dossiers.models import Dossier
from app.extensions import db

VALID_FORM = {
    "procedure_code": "1.001193",
    "full_name": "Phạm Thị Hoà",
    "id_number": "025190004321",
    "phone": "0987 654 321",
    "address": "Thôn Đông, phường Vĩnh Yên",
    "channel": "counter",
    "received_at": "2026-12-03T10:15",
    "copies": "1",
    "papers": "Tờ khai đăng ký khai sinh\nGiấy chứng sinh\n",
    "note": "",
}


def dossier_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Dossier))


def test_intake_form_lists_the_catalogue_grouped_by_field(client, clerk, login):
    login(clerk)

    page = client.get("/dossiers/new").get_data(as_text=True)

    assert '<optgroup label="Hộ tịch">' in page
    assert "Đăng ký khai sinh (1.001193)" in page
    assert 'data-papers="Tờ khai đăng ký khai sinh' in page


def test_receiving_through_the_form_saves_and_shows_the_dossier(client, clerk, login):
    login(clerk)

    response = client.post("/dossiers/new", data=VALID_FORM)

    assert response.status_code == 302
    dossier = db.session.scalar(select(Dossier))
    assert response.headers["Location"] == f"/dossiers/{dossier.code}"
    assert dossier.applicant_name == "Phạm Thị Hoà"
    assert dossier.applicant_phone == "0987654321"
    assert dossier.papers == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Đã tiếp nhận hồ sơ {dossier.code}." in page
    assert "Phạm Thị Hoà" in page
    assert "Tiếp nhận" in page


def test_empty_papers_take_the_catalogue_list(client, clerk, login):
    login(clerk)

    client.post("/dossiers/new", data={**VALID_FORM, "papers": ""})

    dossier = db.session.scalar(select(Dossier))
    assert dossier.papers[0] == "Tờ khai đăng ký khai sinh"


def test_a_bad_citizen_id_is_shown_beside_its_field_and_nothing_is_saved(
    client, clerk, login
):
    login(clerk)

    response = client.post("/dossiers/new", data={**VALID_FORM, "id_number": "123"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page
    assert 'value="Phạm Thị Hoà"' in page
    assert dossier_count() == 0


def test_an_empty_name_and_no_procedure_are_refused(client, clerk, login):
    login(clerk)

    response = client.post(
        "/dossiers/new", data={**VALID_FORM, "full_name": " ", "procedure_code": ""}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vui lòng nhập họ và tên." in page
    assert "Vui lòng chọn thủ tục." in page
    assert dossier_count() == 0


def test_list_search_finds_either_tone_placement_and_masks_ids(client, clerk, login):
    login(clerk)
    client.post("/dossiers/new", data=VALID_FORM)

    page = client.get("/dossiers/?q=pham thi hoa").get_data(as_text=True)
    other = client.get("/dossiers/?q=Hòa").get_data(as_text=True)

    assert "Phạm Thị Hoà" in page
    assert "Phạm Thị Hoà" in other
    assert "025190004321" not in page
    assert "1 hồ sơ" in page


def test_a_missing_dossier_page_answers_404_in_vietnamese(client, clerk, login):
    login(clerk)

    response = client.get("/dossiers/khong-co")

    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in response.get_data(as_text=True)


def test_pages_load_no_asset_from_another_host(client, clerk, login):
    login(clerk)

    for path in ("/dossiers/", "/dossiers/new", "/office/procedures"):
        page = client.get(path).get_data(as_text=True)
        assert "http://" not in page and "https://" not in page, path


def test_leaders_see_the_audit_trail_and_clerks_do_not(
    client, clerk, login, create_user
):
    login(clerk)
    client.post("/dossiers/new", data=VALID_FORM)
    code = db.session.scalar(select(Dossier.code))
    clerk_page = client.get(f"/dossiers/{code}").get_data(as_text=True)
    client.get(f"/dossiers/{code}/forms/receipt.pdf").close()
    client.post("/logout")
    login(create_user("leader"))

    leader_page = client.get(f"/dossiers/{code}").get_data(as_text=True)

    assert "Nhật ký truy cập và thay đổi" not in clerk_page
    assert "Nhật ký truy cập và thay đổi" in leader_page
    assert "Tạo mới" in leader_page
    assert "In biểu mẫu" in leader_page
    assert "biểu mẫu: receipt" in leader_page


def test_the_action_panel_moves_a_dossier_from_its_page(client, clerk, login):
    login(clerk)
    client.post("/dossiers/new", data=VALID_FORM)
    code = db.session.scalar(select(Dossier.code))

    page = client.get(f"/dossiers/{code}").get_data(as_text=True)
    response = client.post(
        f"/dossiers/{code}/transitions",
        data={"action": "request_supplement", "missing_papers": "Giấy chứng sinh\n"},
    )
    after = client.get(f"/dossiers/{code}").get_data(as_text=True)

    assert "Yêu cầu bổ sung hồ sơ" in page
    assert response.status_code == 302
    assert "Đã thực hiện: yêu cầu bổ sung hồ sơ." in after
    assert "Giấy tờ đang chờ bổ sung" in after
    assert db.session.scalar(select(Dossier.status)) == "awaiting_supplement"


def test_an_impossible_action_from_the_page_is_explained(client, clerk, login):
    login(clerk)
    client.post("/dossiers/new", data=VALID_FORM)
    code = db.session.scalar(select(Dossier.code))

    client.post(f"/dossiers/{code}/transitions", data={"action": "return_result"})
    page = client.get(f"/dossiers/{code}").get_data(as_text=True)

    assert "Không thể “trả kết quả”" in page
    assert db.session.scalar(select(Dossier.status)) == "received"


def test_wtforms_own_messages_read_in_vietnamese(client, clerk, login):
    login(clerk)

    response = client.post(
        "/dossiers/new",
        data={**VALID_FORM, "copies": "", "received_at": "hôm qua", "channel": "x"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not a valid" not in page
    assert "Vui lòng nhập một số nguyên." in page
    assert "Thời điểm không hợp lệ" in page
    assert "Lựa chọn không hợp lệ." in page
    assert dossier_count() == 0


def test_a_long_name_typed_in_nfd_is_measured_after_nfc(client, clerk, login):
    import unicodedata

    name = "Nguyễn Thị Thuỷ Tiên " * 5 + "Hoà"
    decomposed = unicodedata.normalize("NFD", name)
    assert len(decomposed) > 120 >= len(name)
    login(clerk)

    response = client.post(
        "/dossiers/new", data={**VALID_FORM, "full_name": decomposed}
    )

    assert response.status_code == 302
    assert db.session.scalar(select(Dossier.applicant_name)) == name.strip()
