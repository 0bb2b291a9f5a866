"""Scanned papers: type checked by content, stored by hash, staff only."""

import hashlib
import io

import pytest
from sqlalchemy import func, select

from app.dossiers.models import Attachment
from app.extensions import db
from tests.conftest import intake

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 200
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 200


def upload(api, code, name, data):
    return api.client.post(
        f"/api/v1/dossiers/{code}/attachments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {api.token}"},
    )


def attachment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


@pytest.fixture
def code(api):
    return api.post("/dossiers", json=intake()).json["code"]


def test_a_scanned_pdf_is_stored_by_its_hash_and_served_back(api, code, instance):
    response = upload(api, code, "Giấy chứng sinh.pdf", PDF)

    assert response.status_code == 201
    body = response.json
    digest = hashlib.sha256(PDF).hexdigest()
    assert body["sha256"] == digest
    assert body["media_type"] == "application/pdf"
    assert body["filename"] == "Giấy chứng sinh.pdf"
    assert (instance / "attachments" / digest[:2] / digest).read_bytes() == PDF
    served = api.get(f"/dossiers/{code}/attachments/{body['uuid']}")
    content = served.data
    served.close()
    assert content == PDF
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    detail = api.get(f"/dossiers/{code}").json
    assert [a["uuid"] for a in detail["attachments"]] == [body["uuid"]]


def test_a_png_is_accepted(api, code):
    assert upload(api, code, "to-khai.png", PNG).status_code == 201


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("gia-mao.pdf", b"MZ\x90\x00 this is a program" + b"\x00" * 100, "PDF, JPEG"),
        ("trong.pdf", b"", "rỗng"),
        ("../../etc/passwd.pdf", PDF, "đường dẫn"),
        ("C:\\Windows\\x.pdf", PDF, "đường dẫn"),
        ("a" * 250 + ".pdf", PDF, "quá dài"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(api, code, name, data, fragment):
    response = upload(api, code, name, data)

    assert response.status_code == 422
    assert fragment in response.json["error"]["message"]
    assert attachment_count() == 0


def test_a_file_over_the_limit_is_refused(api, code, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024

    response = upload(api, code, "lon.pdf", PDF + b" " * 2048)

    assert response.status_code == 422
    assert "lớn quá" in response.json["error"]["message"]
    assert attachment_count() == 0


def test_an_upload_without_a_file_field_is_refused(api, code):
    response = api.client.post(
        f"/api/v1/dossiers/{code}/attachments",
        data={"other": "x"},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert response.status_code == 422


def test_scans_are_served_only_to_signed_in_staff(app, api, code):
    uuid = upload(api, code, "a.pdf", PDF).json["uuid"]
    visitor = app.test_client()

    page = visitor.get(f"/dossiers/{code}/attachments/{uuid}")
    api_call = visitor.get(f"/api/v1/dossiers/{code}/attachments/{uuid}")

    assert page.status_code == 302
    assert "/login" in page.headers["Location"]
    assert api_call.status_code == 401


def test_the_web_form_uploads_a_scan(client, clerk, login, api, code):
    login(clerk)

    response = client.post(
        f"/dossiers/{code}/attachments",
        data={"file": (io.BytesIO(PDF), "ban-quet.pdf")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    page = client.get(f"/dossiers/{code}").get_data(as_text=True)
    assert "ban-quet.pdf" in page


def test_downloads_are_in_the_audit_trail_and_closed_dossiers_take_no_scans(api, code):
    from app.audit.models import AuditEvent

    uuid = upload(api, code, "a.pdf", PDF).json["uuid"]
    api.get(f"/dossiers/{code}/attachments/{uuid}").close()
    api.post(f"/dossiers/{code}/transitions", json={"action": "withdraw"})

    late = upload(api, code, "b.pdf", PDF)

    kinds = db.session.scalars(select(AuditEvent.kind)).all()
    assert "attachment_downloaded" in kinds
    assert late.status_code == 422
