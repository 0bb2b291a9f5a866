"""The receipt-and-appointment slip, read back from the PDF itself."""

import io
import unicodedata

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import intake

A4 = (595.28, 841.89)


@pytest.fixture
def receipt(api):
    """Receive a dossier and fetch its receipt; return (dossier, pdf bytes)."""
    body = intake(
        applicant={
            "full_name": "Nguyễn Thị Thuỷ",
            "address": "<b>Tổ 3</b> & phường Vĩnh Yên",
        },
        received_at="2026-12-04T16:10:00+07:00",
        papers=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
    )
    dossier = api.post("/dossiers", json=body).json
    response = api.get(f"/dossiers/{dossier['code']}/forms/receipt.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return dossier, response.data


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", text)


def test_receipt_is_one_a4_page(receipt):
    _, data = receipt

    reader = PdfReader(io.BytesIO(data))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4[0]) < 1
    assert abs(float(box.height) - A4[1]) < 1


def test_receipt_text_extracts_back_to_the_same_vietnamese(receipt):
    dossier, data = receipt

    text = pdf_text(data)

    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND PHƯỜNG VĨNH YÊN",
        "GIẤY TIẾP NHẬN HỒ SƠ",
        "VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier['code']}",
        "Nguyễn Thị Thuỷ",
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "16 giờ 10 phút, ngày 04 tháng 12 năm 2026",
        "Thứ Hai, ngày 07 tháng 12 năm 2026",
        "(1) Tờ khai đăng ký khai sinh",
        "Vĩnh Yên, ngày 04 tháng 12 năm 2026",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ):
        assert expected in text, expected


def test_receipt_prints_the_clerks_name(receipt):
    _, data = receipt

    assert "Nguyễn Thị Thuỷ" in pdf_text(data).split("NGƯỜI TIẾP NHẬN HỒ SƠ")[-1]


def test_markup_in_the_address_is_printed_as_text(receipt):
    _, data = receipt

    assert "<b>Tổ 3</b> & phường Vĩnh Yên" in pdf_text(data)


def test_the_bundled_liberation_serif_is_the_only_font(receipt):
    _, data = receipt
    reader = PdfReader(io.BytesIO(data))

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])

    assert fonts
    assert all(name.startswith("Liberation-Serif") for name in fonts), fonts


def test_the_qr_code_leads_to_the_lookup_page_of_the_dossier(receipt, app):
    dossier, data = receipt
    document = pypdfium2.PdfDocument(data)

    image = document[0].render(scale=3).to_pil()
    found = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    document.close()

    assert found == [f"http://localhost/lookup/?code={dossier['code']}"]


def test_the_qr_code_uses_the_offices_lan_address_when_set(api, app):
    app.config["PUBLIC_BASE_URL"] = "http://192.0.2.10:5000/"
    code = api.post("/dossiers", json=intake()).json["code"]
    data = api.get(f"/dossiers/{code}/forms/receipt.pdf").data
    document = pypdfium2.PdfDocument(data)

    image = document[0].render(scale=3).to_pil()
    found = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    document.close()

    assert found == [f"http://192.0.2.10:5000/lookup/?code={code}"]


def test_printing_is_recorded_in_the_audit_trail(receipt):
    dossier, _ = receipt

    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.kind == "form_issued")
    )

    assert event.entity_uuid == dossier["uuid"]
    assert event.detail == {"form": "receipt"}


def test_an_unknown_form_answers_404(api):
    code = api.post("/dossiers", json=intake()).json["code"]

    response = api.get(f"/dossiers/{code}/forms/khong-co.pdf")

    assert response.status_code == 404
    assert "receipt" in response.json["error"]["message"]
