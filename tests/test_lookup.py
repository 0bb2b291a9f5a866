"""The citizens' lookup page: state and appointment, nothing personal."""

from tests.conftest import intake


def test_a_citizen_sees_the_state_and_appointment_without_personal_data(app, api):
    code = api.post("/dossiers", json=intake()).json["code"]
    visitor = app.test_client()

    response = visitor.get("/lookup/", query_string={"code": code})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert code in page
    assert "Đã tiếp nhận" in page
    assert "03/12/2026" in page
    for personal in ("Nguyễn Văn An", "025090001234", "0912345678", "Đồng Tâm"):
        assert personal not in page


def test_an_unknown_code_gets_a_clear_404(client):
    response = client.get("/lookup/", query_string={"code": "25.08707-261203-9999"})

    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ có mã này" in response.get_data(as_text=True)


def test_a_malformed_code_gets_a_400(client):
    response = client.get("/lookup/", query_string={"code": "<script>"})

    assert response.status_code == 400
    assert "&lt;script&gt;" in response.get_data(as_text=True)


def test_guessing_codes_in_a_loop_is_stopped_with_429(client):
    answers = [
        client.get("/lookup/", query_string={"code": f"25.08707-261203-{n:04d}"})
        for n in range(1, 13)
    ]

    statuses = [answer.status_code for answer in answers]
    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429, 429]
    assert "quá nhiều lần" in answers[-1].get_data(as_text=True)


def test_staff_land_on_a_dashboard_of_deadlines(app, api, client, login, clerk):
    import time_machine

    with time_machine.travel("2026-12-03T03:00:00+00:00", tick=False):
        code = api.post("/dossiers", json=intake(procedure_code="1.004873")).json[
            "code"
        ]
    login(clerk)

    with time_machine.travel("2026-12-10T02:00:00+00:00", tick=False):
        page = client.get("/").get_data(as_text=True)

    assert "Hồ sơ quá hạn" in page
    assert code in page.split("Hồ sơ quá hạn")[1].split("Hồ sơ đến hạn hôm nay")[0]
