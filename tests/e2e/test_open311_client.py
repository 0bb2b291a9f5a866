"""End to end: an Open311 GeoReport v2 client against the real server.

The office is built with the real CLI in a temporary instance and served
by `flask serve` on a free loopback port. The client knows nothing of Xã
Số: it posts forms with urllib and reads the JSON and XML that the public
specification describes. Only the staff's side (answering the item) uses
the Xã Số API, with bearer tokens.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.slow

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-thu-nghiem-9"
STARTUP_LIMIT = 20.0
PERSONAL = {
    "first_name": "Hải",
    "last_name": "Lê Văn",
    "phone": "0988000222",
    "email": "levanhai@example.vn",
    "attribute[submitter_address]": "Số 7 ngõ 12 đường Hùng Vương",
}
PERSONAL_TRACES = ["Lê Văn Hải", "Lê Văn", "0988000222", "levanhai", "Hùng Vương"]


# ---------------------------------------------------------------- the office


def _flask(env: dict[str, str], *args: str, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=REPOSITORY_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"flask {' '.join(args)}:\n{result.stderr}"
    return result.stdout


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Office:
    base: str
    app_key: str
    clerk_token: str
    leader_token: str

    @property
    def open311(self) -> str:
        return self.base + "/open311/v2"


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Office:
    """An office made with the CLI and served on loopback until the module ends."""
    instance = tmp_path_factory.mktemp("open311-instance")
    env = dict(os.environ, XASO_INSTANCE=str(instance), PYTHONIOENCODING="utf-8")
    env.pop("XASO_DATABASE_URL", None)
    env.pop("XASO_MODE", None)

    _flask(env, "db", "upgrade")
    _flask(env, "setup", "--commune", "8707")
    for username, role in (("ungdung", "clerk"), ("thuy", "clerk"), ("lan", "leader")):
        _flask(
            env,
            "users",
            "create",
            username,
            "--role",
            role,
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
    app_key = _flask(env, "tokens", "create", "ungdung").strip()
    clerk_token = _flask(env, "tokens", "create", "thuy").strip()
    leader_token = _flask(env, "tokens", "create", "lan").strip()

    port = _free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    log = instance / "serve.log"
    command = [sys.executable, "-m", "flask", "--app", "app", "serve"]
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPOSITORY_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(base, server, log)
            yield Office(base, app_key, clerk_token, leader_token)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def _wait_for(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("server exited:\n" + log.read_text(errors="replace"))
        try:
            if call("GET", base + "/healthz", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("server did not answer:\n" + log.read_text(errors="replace"))


# ---------------------------------------------------------------- the client


# No proxies: every call goes straight to the loopback server.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes

    def json(self):
        assert self.content_type.startswith("application/json"), self.content_type
        return json.loads(self.body.decode("utf-8"))

    def xml(self) -> ET.Element:
        assert self.content_type.startswith("text/xml"), self.content_type
        assert self.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        return ET.fromstring(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(
    method: str,
    url: str,
    form: dict | None = None,
    *,
    headers: dict | None = None,
    data: bytes | None = None,
    timeout: float = 30,
) -> Reply:
    """Make one HTTP call and return the reply, whatever its status."""
    headers = dict(headers or {})
    if form is not None:
        data = urlencode(form).encode("utf-8")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            kind = response.headers.get("Content-Type", "")
            return Reply(response.status, kind, response.read())
    except urllib.error.HTTPError as error:
        with error:
            kind = error.headers.get("Content-Type", "")
            return Reply(error.code, kind, error.read())


def report(api_key: str | None, **overrides) -> dict:
    form = {
        "service_code": "GIAO_THONG",
        "description": "Đèn đường hỏng cả tuần\nCột đèn số 14 không sáng.",
        "address_string": "Đường Nguyễn Tất Thành, trước cổng trường",
        "lat": "21.3101",
        "long": "105.5968",
        **PERSONAL,
        "api_key": api_key,
        **overrides,
    }
    return {key: value for key, value in form.items() if value is not None}


def protocol_errors(reply: Reply) -> list[dict]:
    if reply.content_type.startswith("text/xml"):
        root = reply.xml()
        assert root.tag == "errors"
        return [
            {"code": int(e.findtext("code")), "description": e.findtext("description")}
            for e in root.iter("error")
        ]
    return reply.json()


# ---------------------------------------------------------------- tests


def test_services_and_a_definition_read_in_both_formats(office):
    services = call("GET", office.open311 + "/services.json")
    as_xml = call("GET", office.open311 + "/services.xml")
    definition = call("GET", office.open311 + "/services/GIAO_THONG.xml")

    assert services.status == as_xml.status == definition.status == 200
    codes = [service["service_code"] for service in services.json()]
    assert "GIAO_THONG" in codes
    assert [s.findtext("service_code") for s in as_xml.xml().iter("service")] == codes
    root = definition.xml()
    assert root.findtext("service_code") == "GIAO_THONG"
    assert root.findtext("attributes/attribute/code") == "submitter_address"


def test_a_report_is_filed_read_back_and_answered_without_naming_anyone(office):
    filed = call("POST", office.open311 + "/requests.json", report(office.app_key))

    assert filed.status == 200, filed.text
    [created] = filed.json()
    code = created["service_request_id"]
    assert created["service_notice"]

    staff = call(
        "GET",
        f"{office.base}/api/v1/feedback/{code}",
        headers={"Authorization": f"Bearer {office.clerk_token}"},
    )
    assert staff.status == 200, staff.text
    assert staff.json()["channel"] == "open311"
    assert staff.json()["submitter"]["full_name"] == "Lê Văn Hải"

    public = [
        call("GET", f"{office.open311}/requests/{code}.json"),
        call("GET", f"{office.open311}/requests/{code}.xml"),
        call("GET", f"{office.open311}/requests.json"),
        call("GET", f"{office.open311}/requests.xml?status=open"),
    ]
    assert [reply.status for reply in public] == [200] * 4
    [by_id] = public[0].json()
    assert by_id["service_request_id"] == code
    assert by_id["status"] == "open"
    assert by_id["description"] is None
    in_xml = public[1].xml()
    assert in_xml.tag == "service_requests"
    assert in_xml.findtext("request/service_request_id") == code
    assert code in [r["service_request_id"] for r in public[2].json()]
    assert code in [r.findtext("service_request_id") for r in public[3].xml()]

    steps = [
        (office.clerk_token, {"action": "accept"}),
        (office.clerk_token, {"action": "respond", "response": "Đã thay bóng đèn."}),
        (office.leader_token, {"action": "publish"}),
    ]
    for token, step in steps:
        done = call(
            "POST",
            f"{office.base}/api/v1/feedback/{code}/transitions",
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
            },
            data=json.dumps(step).encode("utf-8"),
        )
        assert done.status == 200, done.text
    [answered] = call("GET", f"{office.open311}/requests/{code}.json").json()
    assert answered["status"] == "closed"
    assert answered["status_notes"] == "Đã thay bóng đèn."
    assert answered["description"].startswith("Đèn đường hỏng cả tuần")
    assert answered["address"] == "Đường Nguyễn Tất Thành, trước cổng trường"

    for reply in [*public, call("GET", f"{office.open311}/requests/{code}.xml")]:
        for trace in PERSONAL_TRACES:
            assert trace not in reply.text


def test_refusals_come_in_the_protocol_format(office):
    no_name = call(
        "POST",
        office.open311 + "/requests.xml",
        report(office.app_key, first_name=None, last_name=None),
    )
    no_key = call("POST", office.open311 + "/requests.json", report(None))
    wrong_key = call("POST", office.open311 + "/requests.json", report("xs_sai"))
    unknown = call("GET", office.open311 + "/requests/PA-25.08707-261203-9999.json")
    bad_format = call("GET", office.open311 + "/services.csv")
    bad_date = call("GET", office.open311 + "/requests.json?start_date=hom-nay")

    replies = [
        (no_name, 400),
        (no_key, 403),
        (wrong_key, 403),
        (unknown, 404),
        (bad_format, 404),
        (bad_date, 400),
    ]
    for reply, status in replies:
        assert reply.status == status, reply.text
        errors = protocol_errors(reply)
        assert errors and all(error["code"] == status for error in errors)
        assert all(error["description"] for error in errors)
    assert "họ tên" in protocol_errors(no_name)[0]["description"]
