"""Open311 GeoReport v2, spoken to as a client written from the specification.

The client side uses nothing of Xã Số: form-encoded bodies in, JSON parsed
with `json` and XML with `xml.etree`, exactly the shapes the public
specification describes. Only the staff side (to accept and answer an item)
goes through the Xã Số API, with a plain bearer header.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import time_machine

NOW = "2026-12-03T03:00:00+00:00"  # Thursday 10:00 in Hà Nội
BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
# What the citizen gives about themselves, which no public answer may show.
PERSONAL = {
    "first_name": "Mai",
    "last_name": "Trần Thị",
    "phone": "0912000111",
    "email": "tranthimai@example.vn",
    "attribute[submitter_address]": "Số 12 ngõ 5 đường Lê Xoay",
}
PERSONAL_TRACES = [
    "Trần Thị Mai",
    "Trần Thị",
    "0912000111",
    "912000111",
    "tranthimai",
    "Lê Xoay",
]


def report(api_key: str | None, **overrides) -> dict:
    """A complete service request as a GeoReport form, with overrides."""
    form = {
        "service_code": "MOI_TRUONG",
        "description": "Rác thải xây dựng đổ trộm ven đường Lý Bôn\n"
        "Đoạn gần cầu Oai, đã nhiều ngày chưa được dọn, cản trở đi lại.",
        "address_string": "Đường Lý Bôn, gần cầu Oai",
        "lat": "21.3089",
        "long": "105.6045",
        **PERSONAL,
    }
    if api_key is not None:
        form["api_key"] = api_key
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def read_json(response):
    assert response.content_type.startswith("application/json")
    return json.loads(response.get_data(as_text=True))


def read_xml(response) -> ET.Element:
    assert response.content_type.startswith("text/xml")
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.data)


def xml_requests(root: ET.Element) -> list[dict]:
    assert root.tag == "service_requests"
    return [
        {child.tag: child.text for child in request} for request in root.iter("request")
    ]


def errors_of(response) -> list[dict]:
    """Read the protocol's error list from a JSON or an XML answer."""
    if response.content_type.startswith("text/xml"):
        root = read_xml(response)
        assert root.tag == "errors"
        return [
            {
                "code": int(error.findtext("code")),
                "description": error.findtext("description"),
            }
            for error in root.iter("error")
        ]
    return read_json(response)


def assert_protocol_error(response, status: int, *mentions: str) -> list[dict]:
    errors = errors_of(response)
    assert response.status_code == status
    assert errors and all(error["code"] == status for error in errors)
    assert all(error["description"] for error in errors)
    text = " ".join(error["description"] for error in errors)
    for mention in mentions:
        assert mention in text
    return errors


@pytest.fixture
def api_key(clerk, token_for) -> str:
    """The key of the account an app uses to file reports (a clerk)."""
    return token_for(clerk)


class Staff:
    """Staff actions through the Xã Số API, with plain bearer headers."""

    def __init__(self, client, tokens: dict[str, str]):
        self.client = client
        self.tokens = tokens

    def _headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def act(self, code: str, action: str, who: str = "clerk", **extra) -> dict:
        response = self.client.post(
            f"/api/v1/feedback/{code}/transitions",
            json={"action": action, **extra},
            headers=self._headers(who),
        )
        assert response.status_code == 200, response.json
        return response.json

    def show(self, code: str) -> dict:
        response = self.client.get(
            f"/api/v1/feedback/{code}", headers=self._headers("clerk")
        )
        assert response.status_code == 200, response.json
        return response.json

    def total(self) -> int:
        response = self.client.get("/api/v1/feedback", headers=self._headers("clerk"))
        return response.json["total"]


@pytest.fixture
def staff(client, clerk, token_for, create_user) -> Staff:
    tokens = {"clerk": token_for(clerk), "leader": token_for(create_user("leader"))}
    return Staff(client, tokens)


def file_report(client, api_key, **overrides) -> str:
    response = client.post(f"{BASE}/requests.json", data=report(api_key, **overrides))
    assert response.status_code == 200, response.data
    return read_json(response)[0]["service_request_id"]


# ------------------------------------------------------------------ services


def test_services_list_every_active_category_in_json_and_xml(client):
    as_json = read_json(client.get(f"{BASE}/services.json"))
    as_xml = read_xml(client.get(f"{BASE}/services.xml"))

    codes = [service["service_code"] for service in as_json]
    assert {"MOI_TRUONG", "DAT_DAI", "KHAC"} <= set(codes)
    environment = next(s for s in as_json if s["service_code"] == "MOI_TRUONG")
    assert environment["service_name"] == "Môi trường, vệ sinh"
    assert environment["type"] == "realtime"
    assert environment["metadata"] is True
    assert "rác thải" in environment["keywords"]
    assert set(environment) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert as_xml.tag == "services"
    assert [s.findtext("service_code") for s in as_xml.iter("service")] == codes
    assert {s.findtext("metadata") for s in as_xml.iter("service")} == {"true"}


def test_a_service_definition_asks_for_the_submitters_address(client):
    as_json = read_json(client.get(f"{BASE}/services/MOI_TRUONG.json"))
    as_xml = read_xml(client.get(f"{BASE}/services/MOI_TRUONG.xml"))

    assert as_json["service_code"] == "MOI_TRUONG"
    [attribute] = as_json["attributes"]
    assert attribute["code"] == "submitter_address"
    assert attribute["variable"] is True
    assert attribute["required"] is True
    assert attribute["datatype"] == "string"
    assert as_xml.tag == "service_definition"
    assert as_xml.findtext("attributes/attribute/code") == "submitter_address"
    assert as_xml.findtext("attributes/attribute/required") == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_protocol_format(client, fmt):
    response = client.get(f"{BASE}/services/KHONG_CO.{fmt}")

    assert_protocol_error(response, 404, "KHONG_CO")


# ------------------------------------------------------------------ filing


@time_machine.travel(NOW, tick=False)
def test_a_request_becomes_open311_feedback_with_the_name_family_first(
    client, api_key, staff
):
    response = client.post(f"{BASE}/requests.json", data=report(api_key))

    [created] = read_json(response)
    assert response.status_code == 200
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    code = created["service_request_id"]
    assert code.startswith("PA-25.08707-261203-")
    assert "17/12/2026" in created["service_notice"]
    item = staff.show(code)
    assert item["channel"] == "open311"
    assert item["category_code"] == "MOI_TRUONG"
    assert item["title"] == "Rác thải xây dựng đổ trộm ven đường Lý Bôn"
    assert item["content"].endswith("cản trở đi lại.")
    assert item["location"] == "Đường Lý Bôn, gần cầu Oai"
    assert item["submitter"]["full_name"] == "Trần Thị Mai"
    assert item["submitter"]["phone"] == "0912000111"
    assert item["submitter"]["email"] == "tranthimai@example.vn"
    assert item["submitter"]["address"] == "Số 12 ngõ 5 đường Lê Xoay"
    assert item["status"] == "received"


@time_machine.travel(NOW, tick=False)
def test_a_request_answers_in_xml_and_takes_a_json_body_too(client, api_key, staff):
    as_xml = client.post(f"{BASE}/requests.xml", data=report(api_key))
    body = report(api_key, lat=None, long=None)
    body.pop("attribute[submitter_address]")
    body["attribute"] = {"submitter_address": "Tổ 4, phường Vĩnh Yên"}
    as_json = client.post(f"{BASE}/requests.json", json=body)

    [created] = xml_requests(read_xml(as_xml))
    assert as_xml.status_code == 200
    assert created["service_request_id"].startswith("PA-")
    [from_json] = read_json(as_json)
    item = staff.show(from_json["service_request_id"])
    assert item["submitter"]["address"] == "Tổ 4, phường Vĩnh Yên"


@time_machine.travel(NOW, tick=False)
def test_a_long_first_line_is_cut_at_a_word_for_the_title(client, api_key, staff):
    line = "Đèn chiếu sáng " + "trên tuyến đường liên thôn " * 8
    code = file_report(client, api_key, description=line + "\nChi tiết thêm.")

    title = staff.show(code)["title"]

    assert len(title) <= 120
    assert title.endswith("…")
    assert line.startswith(title[:-1])


MISSING = [
    ({"service_code": None}, "service_code"),
    ({"description": None}, "description"),
    ({"description": "   "}, "description"),
    ({"address_string": None, "lat": None, "long": None}, "address_string"),
    ({"address_string": None, "long": None}, "lat, long"),
    ({"first_name": None, "last_name": None}, "first_name, last_name"),
    ({"attribute[submitter_address]": None}, "attribute[submitter_address]"),
    ({"lat": "bắc", "long": "đông"}, "lat, long"),
    ({"lat": "91", "long": "105"}, "lat, long"),
    ({"lat": "nan", "long": "inf"}, "lat, long"),
    ({"phone": "12345"}, "phone"),
    ({"email": "khong-phai-thu"}, "email"),
    ({"first_name": "<script>"}, "first_name, last_name"),
    ({"description": "x" * 20_001}, "description"),
    ({"service_code": "KHONG_CO"}, "service_code"),
]


@pytest.mark.parametrize(("change", "parameter"), MISSING)
@pytest.mark.parametrize("fmt", ["json", "xml"])
@time_machine.travel(NOW, tick=False)
def test_an_incomplete_request_is_a_400_naming_the_parameter_and_saves_nothing(
    client, api_key, staff, change, parameter, fmt
):
    response = client.post(f"{BASE}/requests.{fmt}", data=report(api_key, **change))

    assert_protocol_error(response, 400, f"{parameter}:")
    assert staff.total() == 0


@time_machine.travel(NOW, tick=False)
def test_a_request_without_a_name_is_refused_in_vietnamese(client, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        data=report(api_key, first_name=None, last_name=None),
    )

    [error] = assert_protocol_error(response, 400)
    assert "Thiếu họ tên người phản ánh" in error["description"]
    assert "nặc danh" in error["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@time_machine.travel(NOW, tick=False)
def test_a_missing_or_wrong_api_key_is_a_403(client, create_user, token_for, fmt):
    admin_key = token_for(create_user("admin"))

    missing = client.post(f"{BASE}/requests.{fmt}", data=report(None))
    wrong = client.post(f"{BASE}/requests.{fmt}", data=report("xs_khong-hop-le"))
    not_allowed = client.post(f"{BASE}/requests.{fmt}", data=report(admin_key))

    assert_protocol_error(missing, 403, "api_key")
    assert_protocol_error(wrong, 403, "api_key")
    assert_protocol_error(not_allowed, 403, "quyền")


@time_machine.travel(NOW, tick=False)
def test_filing_is_rate_limited_per_address(client, api_key):
    answers = [
        client.post(f"{BASE}/requests.json", data=report(api_key, description=None))
        for _ in range(31)
    ]

    assert {a.status_code for a in answers[:30]} == {400}
    assert_protocol_error(answers[30], 429)
    assert "Retry-After" in answers[30].headers


# ------------------------------------------------------------------ reading


@time_machine.travel(NOW, tick=False)
def test_a_filed_request_reads_back_by_id_and_in_the_list_without_the_person(
    client, api_key, clerk
):
    code = file_report(client, api_key)

    answers = [
        client.get(f"{BASE}/requests/{code}.json"),
        client.get(f"{BASE}/requests/{code}.xml"),
        client.get(f"{BASE}/requests.json"),
        client.get(f"{BASE}/requests.xml"),
        client.get(f"{BASE}/requests.json", query_string={"service_request_id": code}),
    ]

    [by_id] = read_json(answers[0])
    assert list(by_id) == REQUEST_FIELDS
    assert by_id["service_request_id"] == code
    assert by_id["status"] == "open"
    assert by_id["service_code"] == "MOI_TRUONG"
    assert by_id["service_name"] == "Môi trường, vệ sinh"
    assert by_id["agency_responsible"] == "UBND PHƯỜNG VĨNH YÊN"
    assert by_id["requested_datetime"] == "2026-12-03T10:00:00+07:00"
    assert by_id["expected_datetime"].startswith("2026-12-17T")
    # No published answer yet: what the citizen wrote stays private.
    assert by_id["description"] is None
    assert by_id["address"] is None
    [in_xml] = xml_requests(read_xml(answers[1]))
    assert list(in_xml) == REQUEST_FIELDS
    assert in_xml["service_request_id"] == code
    assert in_xml["status"] == "open"
    assert [r["service_request_id"] for r in read_json(answers[2])] == [code]
    assert [r["service_request_id"] for r in xml_requests(read_xml(answers[3]))] == [
        code
    ]
    assert [r["service_request_id"] for r in read_json(answers[4])] == [code]
    for answer in answers:
        assert answer.status_code == 200
        text = answer.get_data(as_text=True)
        for trace in [*PERSONAL_TRACES, clerk.full_name]:
            assert trace not in text


@time_machine.travel(NOW, tick=False)
def test_what_the_citizen_wrote_shows_only_with_the_published_answer(
    client, api_key, staff
):
    code = file_report(
        client, api_key, description="Cống thoát nước <bị tắc> & tràn ra đường"
    )

    staff.act(code, "accept")
    accepted = read_json(client.get(f"{BASE}/requests/{code}.json"))[0]
    staff.act(code, "respond", response="Đã nạo vét cống ngày 04/12.")
    responded = read_json(client.get(f"{BASE}/requests/{code}.json"))[0]
    staff.act(code, "publish", who="leader")
    published_xml = client.get(f"{BASE}/requests/{code}.xml")
    published = xml_requests(read_xml(published_xml))[0]
    staff.act(code, "close")
    [closed] = read_json(client.get(f"{BASE}/requests/{code}.json"))

    assert accepted["status"] == "open"
    assert (accepted["description"], accepted["address"]) == (None, None)
    assert (accepted["lat"], accepted["long"]) == (None, None)
    assert responded["status"] == "closed"
    assert responded["description"] is None
    assert "Đã nạo vét" not in responded["status_notes"]
    assert published["status"] == "closed"
    assert published["status_notes"] == "Đã nạo vét cống ngày 04/12."
    assert published["description"] == "Cống thoát nước <bị tắc> & tràn ra đường"
    assert published["address"] == "Đường Lý Bôn, gần cầu Oai"
    assert float(published["lat"]) == pytest.approx(21.3089)
    assert float(published["long"]) == pytest.approx(105.6045)
    assert "&lt;bị tắc&gt; &amp;" in published_xml.get_data(as_text=True)
    assert closed["status_notes"] == "Đã nạo vét cống ngày 04/12."
    assert closed["description"] == published["description"]
    for trace in PERSONAL_TRACES:
        assert trace not in published_xml.get_data(as_text=True)


@time_machine.travel(NOW, tick=False)
def test_a_rejected_request_is_closed_and_keeps_its_text_private(
    client, api_key, staff
):
    code = file_report(client, api_key)

    staff.act(code, "reject", reason="Không thuộc thẩm quyền của phường.")
    [rejected] = read_json(client.get(f"{BASE}/requests/{code}.json"))

    assert rejected["status"] == "closed"
    assert rejected["description"] is None
    assert "thẩm quyền" not in rejected["status_notes"]


def test_the_date_filter_and_the_90_day_default(client, api_key):
    with time_machine.travel("2026-08-03T03:00:00+00:00", tick=False):
        summer = file_report(client, api_key)
    with time_machine.travel(NOW, tick=False):
        winter = file_report(client, api_key)

        default = read_json(client.get(f"{BASE}/requests.json"))
        in_august = read_json(
            client.get(
                f"{BASE}/requests.json",
                query_string={
                    "start_date": "2026-08-01T00:00:00+07:00",
                    "end_date": "2026-08-31T23:59:59+07:00",
                },
            )
        )
        since_december = read_json(
            client.get(
                f"{BASE}/requests.json",
                query_string={"start_date": "2026-12-01T00:00:00Z"},
            )
        )
        by_ids = read_json(
            client.get(
                f"{BASE}/requests.json",
                query_string={
                    "service_request_id": f"{summer},{winter}",
                    "start_date": "2026-12-01T00:00:00Z",
                },
            )
        )

    assert [r["service_request_id"] for r in default] == [winter]
    assert [r["service_request_id"] for r in in_august] == [summer]
    assert [r["service_request_id"] for r in since_december] == [winter]
    # The ids take precedence over every other filter.
    assert {r["service_request_id"] for r in by_ids} == {summer, winter}


@time_machine.travel(NOW, tick=False)
def test_the_status_and_service_filters(client, api_key, staff):
    still_open = file_report(client, api_key)
    answered = file_report(client, api_key, service_code="GIAO_THONG")
    staff.act(answered, "accept")
    staff.act(answered, "respond", response="Đã sửa đèn.")

    def listed(**query) -> list[str]:
        response = client.get(f"{BASE}/requests.json", query_string=query)
        return [r["service_request_id"] for r in read_json(response)]

    assert listed(status="open") == [still_open]
    assert listed(status="closed") == [answered]
    assert listed(status="open,closed") == [answered, still_open]
    assert listed(service_code="GIAO_THONG") == [answered]
    assert listed(service_code="GIAO_THONG,MOI_TRUONG", status="open") == [still_open]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_id_is_a_404_in_the_protocol_format(client, fmt):
    response = client.get(f"{BASE}/requests/PA-25.08707-261203-9999.{fmt}")

    assert_protocol_error(response, 404, "PA-25.08707-261203-9999")


BAD_READS = [
    (f"{BASE}/requests.json?status=pending", 400),
    (f"{BASE}/requests.json?start_date=2026-12-01", 400),
    (f"{BASE}/requests.json?start_date=hom-qua", 400),
    (f"{BASE}/requests.xml?end_date=2026-13-45T00:00:00Z", 400),
    (
        f"{BASE}/requests.json?start_date=2026-12-02T00:00:00Z&end_date=2026-12-01",
        400,
    ),
    (f"{BASE}/requests.json?service_request_id=" + "x" * 41, 400),
    (f"{BASE}/requests.json?start_date=0001-01-01T00:00:00%2B23:59", 400),
    (f"{BASE}/requests.json?end_date=0001-01-01T00:00:00Z", 400),
    (f"{BASE}/requests.xml?start_date=9999-12-31T23:59:59-23:59", 400),
    (f"{BASE}/requests.csv", 404),
    (f"{BASE}/services.html", 404),
    (f"{BASE}/services", 404),
    (f"{BASE}/requests/PA-1/extra.json", 404),
    (f"{BASE}/tokens/abc.json", 404),
]


@pytest.mark.parametrize(("url", "status"), BAD_READS)
def test_bad_reads_are_protocol_errors_never_5xx(client, url, status):
    response = client.get(url)

    assert_protocol_error(response, status)


@time_machine.travel(NOW, tick=False)
def test_an_offset_sent_with_an_unencoded_plus_still_reads(client, api_key):
    code = file_report(client, api_key)

    response = client.get(f"{BASE}/requests.json?start_date=2026-12-03T00:00:00+07:00")

    assert [r["service_request_id"] for r in read_json(response)] == [code]


BAD_POSTS = [
    {
        "data": b"\xff\xfe not a form",
        "content_type": "application/x-www-form-urlencoded",
    },
    {"data": b'{"service_code": ', "content_type": "application/json"},
    {"data": b"[1, 2]", "content_type": "application/json"},
    {
        "data": b'{"description": ["a"], "api_key": "x"}',
        "content_type": "application/json",
    },
    {"data": b'{"api_key": "\\ud83d"}', "content_type": "application/json"},
    {"data": b"[" * 100_000, "content_type": "application/json"},
]


@pytest.mark.parametrize("body", BAD_POSTS)
def test_malformed_bodies_are_4xx_in_the_protocol_format(client, body):
    response = client.post(f"{BASE}/requests.json", **body)

    errors = errors_of(response)
    assert 400 <= response.status_code < 500
    assert errors[0]["code"] == response.status_code


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_methods_the_protocol_lacks_are_a_405_naming_the_allowed_ones(client, method):
    response = client.open(f"{BASE}/requests.xml", method=method)

    assert_protocol_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
