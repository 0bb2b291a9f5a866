"""End to end: the real CLI builds an office, the real server answers HTTP.

Every step runs in a separate process exactly as an operator would run it
(`flask --app app ...` from the repository root), and the tests speak to
the waitress server over loopback with nothing but urllib.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

pytestmark = pytest.mark.slow

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-thu-nghiem-9"
CLI_TIMEOUT = 120
STARTUP_LIMIT = 20.0
STOP_GRACE = 10.0
A4_POINTS = (595.28, 841.89)


# ---------------------------------------------------------------- processes


def _cli_env(instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XASO_INSTANCE"] = str(instance)
    env.pop("XASO_DATABASE_URL", None)
    env.pop("XASO_MODE", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run one `flask --app app ...` command and return its standard output."""
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=REPOSITORY_ROOT,
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=CLI_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"flask {' '.join(args)} exited {result.returncode}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    return result.stdout


def _new_token(env: dict[str, str], username: str) -> str:
    out = _flask(env, "tokens", "create", username)
    lines = out.splitlines()
    assert len(lines) == 1, f"tokens create printed {len(lines)} lines: {out!r}"
    token = lines[0].strip()
    assert token and token == lines[0] and " " not in token
    return token


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server; kill it if it has not gone within the grace time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_GRACE)


# ---------------------------------------------------------------- HTTP


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxies: every request goes straight to the loopback server.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self):
        assert self.content_type.startswith("application/json"), self.content_type
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: object = None,
    raw: bytes | None = None,
    content_type: str = "application/json",
    timeout: float = 60,
) -> Answer:
    """Make one request; return status, headers and body, whatever the status."""
    headers = {"Accept": "*/*"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    elif raw is not None:
        data = raw
        headers["Content-Type"] = content_type
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        with error:
            return Answer(
                error.code,
                {k.lower(): v for k, v in error.headers.items()},
                error.read(),
            )


def _wait_until_healthy(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"server exited with {process.returncode} before answering:\n"
                + log.read_text(encoding="utf-8", errors="replace")
            )
        try:
            answer = http("GET", base + "/healthz", timeout=2)
        except (urllib.error.URLError, OSError) as problem:
            last_problem = repr(problem)
        else:
            if answer.status == 200 and answer.json() == {"status": "ok"}:
                return
            last_problem = f"{answer.status} {answer.body!r}"
        time.sleep(0.2)
    pytest.fail(
        f"server not healthy within {STARTUP_LIMIT} s ({last_problem}):\n"
        + log.read_text(encoding="utf-8", errors="replace")
    )


# ---------------------------------------------------------------- the server


@dataclass
class Server:
    base: str
    clerk_token: str
    leader_token: str

    @property
    def api(self) -> str:
        return self.base + "/api/v1"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Server:
    """An office set up through the CLI, served by `flask serve` on loopback."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    env = _cli_env(instance)

    _flask(env, "db", "upgrade")
    _flask(env, "setup", "--commune", "8707")
    _flask(
        env,
        "users",
        "create",
        "thuy",
        "--role",
        "clerk",
        "--full-name",
        "Nguyễn Thị Thuỷ",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    _flask(
        env,
        "users",
        "create",
        "lanhdao",
        "--role",
        "leader",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    clerk_token = _new_token(env, "thuy")
    leader_token = _new_token(env, "lanhdao")
    assert clerk_token != leader_token

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = instance / "serve.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "app",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=REPOSITORY_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_healthy(base, process, log)
            yield Server(base, clerk_token, leader_token)
        finally:
            _stop(process)


def _total(server: Server) -> int:
    answer = http("GET", server.api + "/dossiers", token=server.clerk_token)
    assert answer.status == 200, answer.body
    return answer.json()["total"]


def _intake(received_at: str, **applicant) -> dict:
    return {
        "procedure_code": "1.001193",
        "applicant": {
            "full_name": "Nguyễn Văn An",
            "id_number": "025090001234",
            **applicant,
        },
        "received_at": received_at,
    }


def _pdf_font_names(resources, seen: set[int] | None = None) -> list[str]:
    """Collect /BaseFont names of a resource dictionary and its form XObjects."""
    seen = set() if seen is None else seen
    if isinstance(resources, IndirectObject):
        resources = resources.get_object()
    if not resources or id(resources) in seen:
        return []
    seen.add(id(resources))
    names = []
    fonts = resources.get("/Font")
    if fonts is not None:
        for font in fonts.get_object().values():
            names.append(str(font.get_object()["/BaseFont"]))
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for xobject in xobjects.get_object().values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                names.extend(_pdf_font_names(xobject["/Resources"], seen))
    return names


# ---------------------------------------------------------------- tests


def test_intake_search_detail_and_receipt_pdf(server):
    received = http(
        "POST",
        server.api + "/dossiers",
        token=server.clerk_token,
        body=_intake("2026-12-04T16:10:00+07:00", phone="0912345678"),
    )
    assert received.status == 201, received.body
    dossier = received.json()
    code = dossier["code"]
    assert re.fullmatch(r"25\.08707-261204-\d{4}", code), code
    assert dossier["status"] == "received"
    assert dossier["uuid"]
    assert dossier["procedure_code"] == "1.001193"
    # Friday after the 15:00 cut-off: counted from, and due on, Monday.
    assert dossier["due_date"] == "2026-12-07"
    assert dossier["applicant"]["full_name"] == "Nguyễn Văn An"

    found = http(
        "GET",
        server.api + "/dossiers?" + urlencode({"q": "nguyen van an"}),
        token=server.clerk_token,
    )
    assert found.status == 200, found.body
    page = found.json()
    assert page["total"] >= 1
    assert code in [item["code"] for item in page["items"]]
    assert "025090001234" not in found.text
    assert "0912345678" not in found.text

    shown = http("GET", f"{server.api}/dossiers/{code}", token=server.clerk_token)
    assert shown.status == 200, shown.body
    detail = shown.json()
    assert detail["code"] == code
    assert detail["uuid"] == dossier["uuid"]
    assert detail["applicant"]["id_number"] == "025090001234"
    assert len(detail["transitions"]) == 1
    assert detail["transitions"][0]["to_status"] == "received"

    pdf = http(
        "GET",
        f"{server.api}/dossiers/{code}/forms/receipt.pdf",
        token=server.clerk_token,
    )
    assert pdf.status == 200, pdf.body[:500]
    assert pdf.content_type.split(";")[0].strip() == "application/pdf"
    assert pdf.body.startswith(b"%PDF")

    reader = PdfReader(io.BytesIO(pdf.body))
    assert len(reader.pages) == 1
    page_one = reader.pages[0]
    width, height = float(page_one.mediabox.width), float(page_one.mediabox.height)
    assert abs(width - A4_POINTS[0]) <= 1 and abs(height - A4_POINTS[1]) <= 1, (
        width,
        height,
    )

    # Lines wrap where the layout wraps them ("... tháng 12\nnăm 2026"):
    # compare with every run of white space as one space.
    text = " ".join(unicodedata.normalize("NFC", page_one.extract_text()).split())
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ",
        code,
        "Nguyễn Văn An",
        "UBND PHƯỜNG VĨNH YÊN",
        "ngày 07 tháng 12 năm 2026",
    ):
        assert expected in text, f"{expected!r} not in the receipt:\n{text}"

    fonts = _pdf_font_names(page_one["/Resources"])
    assert fonts, "the receipt names no font"
    strangers = [
        name
        for name in fonts
        if "LiberationSerif" not in name and "Liberation-Serif" not in name
    ]
    assert not strangers, f"fonts other than Liberation Serif: {fonts}"


def test_refusals_are_json_errors_and_change_nothing(server):
    before = _total(server)
    body = _intake("2026-12-03T09:30:00+07:00")

    def assert_error(answer: Answer, status: int) -> dict:
        assert answer.status == status, (answer.status, answer.body)
        error = answer.json()["error"]
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
        return error

    assert_error(
        http("POST", server.api + "/dossiers", token=server.leader_token, body=body),
        403,
    )
    assert_error(http("POST", server.api + "/dossiers", body=body), 401)
    assert_error(
        http("POST", server.api + "/dossiers", token="xs_not-a-real-token", body=body),
        401,
    )

    missing = {k: v for k, v in body.items() if k != "applicant"}
    error = assert_error(
        http("POST", server.api + "/dossiers", token=server.clerk_token, body=missing),
        422,
    )
    assert "applicant" in error["fields"], error

    bad_id = _intake("2026-12-03T09:30:00+07:00", id_number="12345")
    error = assert_error(
        http("POST", server.api + "/dossiers", token=server.clerk_token, body=bad_id),
        422,
    )
    assert "applicant.id_number" in error["fields"], error

    assert_error(
        http(
            "POST",
            server.api + "/dossiers",
            token=server.clerk_token,
            raw=b'{"procedure_code": ',
        ),
        422,
    )

    assert _total(server) == before


def test_sixteen_simultaneous_intakes_get_distinct_consecutive_codes(server):
    workers = 16
    barrier = threading.Barrier(workers)
    answers: list[Answer | None] = [None] * workers
    failures: list[BaseException] = []

    def intake(index: int) -> None:
        try:
            # A name takes letters only: tell the applicants apart by a letter.
            name = "Trần Thị Bình " + "ABCDEFGHIJKLMNOP"[index]
            body = _intake("2026-12-02T10:00:00+07:00", full_name=name)
            barrier.wait(timeout=30)
            answers[index] = http(
                "POST",
                server.api + "/dossiers",
                token=server.clerk_token,
                body=body,
                timeout=60,
            )
        except BaseException as problem:  # reported by the main thread
            failures.append(problem)

    threads = [threading.Thread(target=intake, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures

    statuses = [answer.status for answer in answers]
    assert statuses == [201] * workers, [(a.status, a.body) for a in answers]
    codes = [answer.json()["code"] for answer in answers]
    assert len(set(codes)) == workers, codes
    numbers = []
    for code in codes:
        match = re.fullmatch(r"25\.08707-261202-(\d{4})", code)
        assert match, code
        numbers.append(int(match.group(1)))
    assert sorted(numbers) == list(range(1, workers + 1)), sorted(numbers)


def test_pages_need_a_session_and_stay_offline(server):
    home = http("GET", server.base + "/")
    assert home.status in (301, 302, 303, 307, 308), home.status
    assert urlsplit(home.headers["location"]).path == "/login"

    login = http("GET", server.base + "/login")
    assert login.status == 200
    assert login.content_type.startswith("text/html")
    html = login.text
    assert "Đăng nhập" in html
    assert "http://" not in html
    assert "https://" not in html

    css = http("GET", server.base + "/static/css/app.css")
    assert css.status == 200
    assert css.content_type.startswith("text/css")
    assert css.body.strip()
