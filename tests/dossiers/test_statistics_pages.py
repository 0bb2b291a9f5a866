"""The statistics page, its workbook download and its JSON answer."""

import io

import pytest
import time_machine
from openpyxl import load_workbook

from app.dossiers.schemas import DossierStatisticsOut
from tests.conftest import ApiClient
from tests.dossiers.test_statistics import december  # noqa: F401

DECEMBER = "start=2026-12-01&end=2026-12-31"


def test_the_statistics_page_shows_the_period_by_field_and_officer(
    client,
    clerk,
    login,
    december,  # noqa: F811
):
    login(clerk)

    page = client.get(f"/dossiers/statistics?{DECEMBER}").get_data(as_text=True)

    assert "Thống kê giải quyết hồ sơ" in page
    assert "từ ngày 01/12/2026 đến ngày 31/12/2026" in page
    assert "Chứng thực" in page and "Trần Văn Hùng" in page
    assert "Chưa phân công" in page
    assert f'href="/dossiers/statistics.xlsx?{DECEMBER.replace("&", "&amp;")}"' in page


@time_machine.travel("2026-12-15T03:00:00+00:00", tick=False)
def test_the_page_opens_on_this_month_to_date(client, clerk, login):
    login(clerk)

    page = client.get("/dossiers/statistics").get_data(as_text=True)

    assert 'value="2026-12-01"' in page and 'value="2026-12-15"' in page
    assert "Không có hồ sơ nào trong kỳ này." in page


def test_a_bad_period_shows_the_form_with_its_errors(client, clerk, login):
    login(clerk)

    response = client.get("/dossiers/statistics?start=2026-12-31&end=2026-12-01")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in page
    assert 'value="2026-12-31"' in page


def test_the_workbook_downloads_with_its_name(client, clerk, login, december):  # noqa: F811
    login(clerk)

    response = client.get(f"/dossiers/statistics.xlsx?{DECEMBER}")

    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="thong-ke-ho-so-20261201-20261231.xlsx"' in disposition
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Theo lĩnh vực", "Theo cán bộ"]


def test_the_api_answers_the_statistics_in_its_documented_shape(api, december):  # noqa: F811
    response = api.get(f"/dossier-statistics?{DECEMBER}")

    assert response.status_code == 200
    DossierStatisticsOut.model_validate(response.json)
    assert response.json["total"]["received"] == 12


def test_the_api_refuses_a_missing_period_field_by_field(api):
    response = api.get("/dossier-statistics?start=2026-12-01")

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"end": "Vui lòng chọn ngày kết thúc."}


def test_the_openapi_document_describes_the_statistics(client):
    document = client.get("/api/v1/openapi.json").json

    operation = document["paths"]["/dossier-statistics"]["get"]
    assert operation["x-permission"] == "dossiers.view"


@pytest.mark.parametrize("role", ["admin", "leader", "clerk", "officer"])
def test_every_staff_role_may_see_the_statistics(
    client, create_user, login, token_for, role
):
    user = create_user(role)
    login(user)

    page = client.get(f"/dossiers/statistics?{DECEMBER}")
    answer = ApiClient(client, token_for(user)).get(f"/dossier-statistics?{DECEMBER}")

    assert page.status_code == 200
    assert answer.status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(f"/dossiers/statistics?{DECEMBER}")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
