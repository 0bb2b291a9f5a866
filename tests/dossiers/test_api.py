"""The dossier JSON API as CONTRACT.md describes it."""

import re
import unicodedata

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.dossiers.models import Dossier
from app.extensions import db
from offline_sync.models import OutboxEntry
from tests.conftest import intake


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_procedures_lists_the_bundled_catalogue(api):
    response = api.get("/procedures")

    assert response.status_code == 200
    codes = {p["code"] for p in response.json}
    assert len(codes) >= 25
    assert "1.001193" in codes
    birth = next(p for p in response.json if p["code"] == "1.001193")
    assert birth == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "time_limit_days": 0,
        "fee_vnd": 0,
    }


def test_receiving_a_dossier_answers_201_with_code_and_due_date(api):
    response = api.post("/dossiers", json=intake())

    assert response.status_code == 201
    body = response.json
    assert re.fullmatch(r"25\.08707-261203-0001", body["code"])
    assert body["status"] == "received"
    assert body["procedure_code"] == "1.001193"
    assert body["due_date"] == "2026-12-03"
    assert body["received_at"] == "2026-12-03T09:30:00+07:00"
    assert body["applicant"]["full_name"] == "Nguyễn Văn An"
    assert body["applicant"]["id_number"] == "025090001234"
    assert re.fullmatch(r"[0-9a-f-]{36}", body["uuid"])


def test_codes_of_one_day_count_up_and_restart_the_next_day(api):
    first = api.post("/dossiers", json=intake()).json["code"]
    second = api.post("/dossiers", json=intake()).json["code"]
    next_day = api.post(
        "/dossiers", json=intake(received_at="2026-12-04T08:00:00+07:00")
    ).json["code"]

    assert first.endswith("-261203-0001")
    assert second.endswith("-261203-0002")
    assert next_day.endswith("-261204-0001")


def test_a_dossier_after_15h_on_friday_is_due_on_monday(api):
    body = intake(received_at="2026-12-04T16:10:00+07:00")

    response = api.post("/dossiers", json=body)

    assert response.json["due_date"] == "2026-12-07"


def test_each_dossier_appends_one_outbox_entry_and_one_audit_event(api):
    response = api.post("/dossiers", json=intake())

    entry = db.session.scalar(select(OutboxEntry))
    assert count(OutboxEntry) == 1
    assert entry.entity == "dossier"
    assert entry.entity_uuid == response.json["uuid"]
    assert entry.version == 1
    assert entry.payload["code"] == response.json["code"]
    created = db.session.scalars(
        select(AuditEvent).where(AuditEvent.kind == "record_created")
    ).all()
    assert [e.entity_uuid for e in created] == [response.json["uuid"]]


def test_nfd_input_is_stored_as_nfc(api):
    decomposed = unicodedata.normalize("NFD", "Trần Thị Thuỷ")

    response = api.post("/dossiers", json=intake(applicant={"full_name": decomposed}))

    assert response.json["applicant"]["full_name"] == "Trần Thị Thuỷ"
    stored = db.session.scalar(select(Dossier.applicant_name))
    assert stored == unicodedata.normalize("NFC", decomposed)


def test_detail_shows_the_dossier_with_its_transitions(api):
    code = api.post("/dossiers", json=intake(note="Nhận tại quầy số 2")).json["code"]

    response = api.get(f"/dossiers/{code}")

    assert response.status_code == 200
    assert response.json["code"] == code
    [transition] = response.json["transitions"]
    assert transition["action"] == "receive"
    assert transition["from_status"] is None
    assert transition["to_status"] == "received"
    assert transition["actor"] == "Nguyễn Thị Thuỷ"


def test_unknown_dossier_code_answers_404_in_vietnamese(api):
    response = api.get("/dossiers/25.08707-261203-9999")

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "Không tìm thấy" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "query",
    [
        "Nguyễn Thị Thuỷ",
        "Nguyễn Thị Thủy",
        "nguyen thi thuy",
        "THUY",
        unicodedata.normalize("NFD", "Thuỷ"),
    ],
)
def test_search_finds_a_name_however_it_is_typed(api, query):
    api.post("/dossiers", json=intake(applicant={"full_name": "Nguyễn Thị Thuỷ"}))
    api.post("/dossiers", json=intake(applicant={"full_name": "Lê Văn Đức"}))

    response = api.get("/dossiers", query_string={"q": query})

    assert response.json["total"] == 1
    assert response.json["items"][0]["applicant"]["full_name"] == "Nguyễn Thị Thuỷ"


def test_search_finds_by_code_and_by_citizen_id(api):
    code = api.post("/dossiers", json=intake()).json["code"]
    api.post(
        "/dossiers",
        json=intake(applicant={"full_name": "Lê Văn Đức", "id_number": "001203004567"}),
    )

    by_code = api.get("/dossiers", query_string={"q": code}).json
    by_id = api.get("/dossiers", query_string={"q": "001203004567"}).json
    by_d = api.get("/dossiers", query_string={"q": "duc"}).json

    assert [i["code"] for i in by_code["items"]] == [code]
    assert [i["applicant"]["full_name"] for i in by_id["items"]] == ["Lê Văn Đức"]
    assert by_d["total"] == 1


def test_list_masks_citizen_id_and_phone(api):
    api.post("/dossiers", json=intake())

    item = api.get("/dossiers").json["items"][0]

    assert item["applicant"]["id_number"].endswith("234")
    assert "025090001234" not in str(item)
    assert "0912345678" not in str(item)


def test_list_filters_by_status_and_refuses_an_unknown_one(api):
    api.post("/dossiers", json=intake())

    received = api.get("/dossiers", query_string={"status": "received"}).json
    returned = api.get("/dossiers", query_string={"status": "returned"}).json
    bad = api.get("/dossiers", query_string={"status": "lost"})

    assert received["total"] == 1
    assert returned["total"] == 0
    assert bad.status_code == 422
    assert "status" in bad.json["error"]["fields"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_a_bad_page_number_answers_422(api, page):
    response = api.get("/dossiers", query_string={"page": page})

    assert response.status_code == 422
    assert response.json["error"]["fields"]["page"]


BAD_INTAKES = [
    ({"applicant": {"full_name": ""}}, "applicant.full_name"),
    ({"applicant": {"full_name": "   "}}, "applicant.full_name"),
    ({"applicant": {"full_name": "A" * 121}}, "applicant.full_name"),
    ({"applicant": {"full_name": "<script>alert(1)</script>"}}, "applicant.full_name"),
    ({"applicant": {"id_number": "12345"}}, "applicant.id_number"),
    ({"applicant": {"id_number": "02509000123x"}}, "applicant.id_number"),
    ({"applicant": {"id_number": "999090001234"}}, "applicant.id_number"),
    ({"applicant": {"phone": "12345"}}, "applicant.phone"),
    ({"applicant": {"address": "x" * 256}}, "applicant.address"),
    ({"procedure_code": "9.999999"}, "procedure_code"),
    ({"procedure_code": ""}, "procedure_code"),
    ({"received_at": "2026-12-03T09:30:00"}, "received_at"),
    ({"received_at": "hôm qua"}, "received_at"),
    ({"received_at": "2099-01-01T09:00:00+07:00"}, "received_at"),
    ({"channel": "pigeon"}, "channel"),
    ({"note": "x" * 2001}, "note"),
    ({"copies": 0}, "copies"),
    ({"unexpected": 1}, "unexpected"),
    ({"applicant": "Nguyễn Văn An"}, "applicant"),
    ({"applicant": {"full_name": "..."}}, "applicant.full_name"),
    ({"applicant": {"full_name": "\u0301\u0301\u0301"}}, "applicant.full_name"),
    ({"applicant": {"full_name": "A"}}, "applicant.full_name"),
    ({"applicant": {"address": "Số 5 🏠 Mê Linh"}}, "applicant.address"),
    ({"received_at": 1764813600}, "received_at"),
    ({"papers": ["Tờ khai", 5]}, "papers"),
]


@pytest.mark.parametrize(("change", "field"), BAD_INTAKES)
def test_bad_intake_answers_422_with_a_vietnamese_message_and_saves_nothing(
    api, change, field
):
    response = api.post("/dossiers", json=intake(**change))

    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    assert field in error["fields"]
    assert re.search(
        r"[àáảãạăâđêôơưếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ]", error["fields"][field].lower()
    )
    assert count(Dossier) == 0
    assert count(OutboxEntry) == 0


def test_missing_applicant_is_refused(api):
    body = intake()
    del body["applicant"]

    response = api.post("/dossiers", json=body)

    assert response.status_code == 422
    assert response.json["error"]["fields"]["applicant"] == "Trường này là bắt buộc."


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{not json", "application/json"),
        ("a=b", "application/x-www-form-urlencoded"),
        ("[1, 2]", "application/json"),
        ("null", "application/json"),
    ],
)
def test_a_body_that_is_not_a_json_object_answers_422(api, data, content_type):
    response = api.client.post(
        "/api/v1/dossiers",
        data=data,
        content_type=content_type,
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert response.status_code == 422
    assert response.json["error"]["message"]
    assert count(Dossier) == 0


def test_an_oversized_body_answers_413_not_500(api):
    body = intake(note="x" * (3 * 1024 * 1024))

    response = api.post("/dossiers", json=body)

    assert response.status_code == 413
    assert response.json["error"]["message"] == "Dữ liệu gửi lên quá lớn."


def test_html_in_the_address_is_kept_as_text_and_escaped_on_the_page(
    api, client, login, clerk
):
    address = '<img src=x onerror="alert(1)"> Thôn Đông'
    code = api.post("/dossiers", json=intake(applicant={"address": address})).json[
        "code"
    ]
    login(clerk)

    page = client.get(f"/dossiers/{code}").get_data(as_text=True)

    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Thôn Đông" in page


def test_openapi_document_describes_the_dossier_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    assert "post" in document["paths"]["/dossiers"]
    assert "get" in document["paths"]["/dossiers/{code}"]
    assert "/dossiers/{code}/forms/{form}.pdf" in document["paths"]
    intake_schema = document["components"]["schemas"]["DossierIntake"]
    assert "procedure_code" in intake_schema["required"]


def test_deeply_nested_json_answers_422_not_500(api):
    response = api.client.post(
        "/api/v1/dossiers",
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert response.status_code == 422
    assert count(Dossier) == 0


def test_a_lone_surrogate_anywhere_answers_422_and_saves_nothing(api):
    raw = (
        '{"procedure_code": "1.001193", "applicant": {"full_name": "Lê An"},'
        ' "papers": ["\\ud83d"]}'
    )

    response = api.client.post(
        "/api/v1/dossiers",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert response.status_code == 422
    assert "không hợp lệ" in response.json["error"]["message"]
    assert count(Dossier) == 0


def test_invisible_and_direction_characters_are_dropped(api):
    body = intake(
        applicant={"address": "Số 5 \u202eđường Mê Linh\u200b", "phone": None}
    )
    blank = intake(applicant={"address": "\u200b\u200b"})

    stored = api.post("/dossiers", json=body).json["applicant"]["address"]
    dropped = api.post("/dossiers", json=blank).json["applicant"]["address"]

    assert stored == "Số 5 đường Mê Linh"
    assert dropped is None


def test_a_nul_between_words_keeps_them_apart(api):
    body = intake(applicant={"full_name": "Nguyễn\x00Văn An"})

    response = api.post("/dossiers", json=body)

    assert response.json["applicant"]["full_name"] == "Nguyễn Văn An"


def test_an_unknown_channel_lists_the_choices_in_vietnamese(api):
    response = api.post("/dossiers", json=intake(channel="pigeon"))

    message = response.json["error"]["fields"]["channel"]
    assert " or " not in message
    assert "'online'" in message


def test_search_finds_dossiers_by_the_beginning_of_their_code(api):
    first = api.post("/dossiers", json=intake()).json["code"]
    api.post("/dossiers", json=intake(received_at="2026-12-04T08:00:00+07:00"))

    day = api.get("/dossiers", query_string={"q": first[:-5]}).json
    office = api.get("/dossiers", query_string={"q": "25.08707"}).json
    nothing = api.get("/dossiers", query_string={"q": "99.99999-2612"}).json

    assert [item["code"] for item in day["items"]] == [first]
    assert office["total"] == 2
    assert nothing["total"] == 0
