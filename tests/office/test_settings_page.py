"""The admin's office page: what the forms print about the office."""

from sqlalchemy import select

from app.extensions import db
from app.office.models import Office

SETTINGS = {
    "one_stop_unit": "Trung tâm Phục vụ hành chính công",
    "agency_code": "H25.08707",
    "address": "Số 1 đường Kim Ngọc, phường Vĩnh Yên",
    "phone": "0211 3862 555",
    "head_name": "Nguyễn Văn Bình",
}


def test_the_admin_sets_the_address_phone_and_signer(client, create_user, login):
    login(create_user("admin"))

    response = client.post("/office/settings", data=SETTINGS)

    office = db.session.scalar(select(Office))
    assert response.status_code == 302
    assert office.phone == "02113862555"
    assert office.head_name == "Nguyễn Văn Bình"
    assert office.agency_code == "H25.08707"


def test_a_new_agency_code_prefixes_the_next_dossiers(client, create_user, login, api):
    from tests.conftest import intake

    login(create_user("admin"))
    client.post("/office/settings", data=SETTINGS)

    code = api.post("/dossiers", json=intake()).json["code"]

    assert code.startswith("H25.08707-261203-")


def test_setup_run_again_keeps_the_admins_agency_code(
    client, create_user, login, runner
):
    login(create_user("admin"))
    client.post("/office/settings", data=SETTINGS)

    runner.invoke(args=["setup", "--commune", "8707"])

    assert db.session.scalar(select(Office.agency_code)) == "H25.08707"


def test_bad_settings_are_refused_field_by_field(client, create_user, login):
    login(create_user("admin"))

    response = client.post(
        "/office/settings",
        data={
            **SETTINGS,
            "agency_code": "mã có dấu",
            "phone": "12",
            "head_name": "<b>",
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mã định danh chỉ gồm" in page
    assert "Số điện thoại phải gồm" in page
    assert db.session.scalar(select(Office.phone)) is None


def test_clerks_cannot_open_the_settings(client, clerk, login):
    login(clerk)

    assert client.get("/office/settings").status_code == 403
