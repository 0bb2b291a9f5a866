"""The tracking book of dossiers (Sổ theo dõi hồ sơ), as PDF and spreadsheet.

Circular 03/2025/TT-VPCP, Annex I, form 07: one line per dossier received
in a period, from receipt to the returned result.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app.audit.services import record_event
from app.auth.models import User
from app.core.database import utcnow, writing
from app.core.errors import NotFound, ValidationFailed
from app.core.timeutil import VIETNAM, local
from app.dossiers.models import Dossier
from app.dossiers.printing import deciding_authority
from app.extensions import db
from app.office.services import get_office
from app.printing.render import render_pdf

logger = logging.getLogger(__name__)

# A book covers at most a year, a leap year included.
MAX_DAYS = 366

# Heading and width (in characters) of each column of the book.
COLUMNS = (
    ("STT", 6),
    ("Mã hồ sơ", 24),
    ("Tên thủ tục", 45),
    ("Người nộp", 24),
    ("Địa chỉ/điện thoại", 36),
    ("Cơ quan giải quyết", 30),
    ("Ngày nhận", 12),
    ("Hẹn trả", 12),
    ("Ngày trả kết quả", 12),
    ("Ghi chú", 30),
)
_DATE_COLUMNS = (7, 8, 9)


@dataclass(frozen=True)
class BookRow:
    """One line of the tracking book."""

    number: int
    code: str
    procedure_name: str
    applicant_name: str
    contact: str
    deciding_authority: str
    received_on: date
    due_on: date
    returned_on: date | None
    note: str

    def values(self) -> list:
        return [
            self.number,
            self.code,
            self.procedure_name,
            self.applicant_name,
            self.contact,
            self.deciding_authority,
            self.received_on,
            self.due_on,
            self.returned_on,
            self.note,
        ]


def parse_book_range(start: str | None, end: str | None) -> tuple[date, date]:
    """Read a book's first and last day from YYYY-MM-DD text, and check them."""
    days = {}
    faults = {}
    for field, text in (("start", start), ("end", end)):
        try:
            days[field] = date.fromisoformat((text or "").strip())
        except ValueError:
            faults[field] = "Vui lòng ghi ngày theo dạng YYYY-MM-DD, ví dụ 2026-12-01."
    if faults:
        raise ValidationFailed("Khoảng thời gian của sổ chưa hợp lệ.", faults)

    check_book_range(days["start"], days["end"])
    return days["start"], days["end"]


def check_book_range(start: date, end: date) -> None:
    """Refuse a range that runs backwards or spans more than a year."""
    if start > end:
        raise ValidationFailed(
            "Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.",
            {"end": f"Ngày kết thúc ở trước ngày bắt đầu {start:%d/%m/%Y}."},
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            f"Mỗi lần chỉ lập sổ cho tối đa {MAX_DAYS} ngày.",
            {"end": f"Khoảng thời gian dài {(end - start).days + 1} ngày."},
        )


def fetch_book_rows(start: date, end: date) -> list[BookRow]:
    """Return the dossiers received from start to end (local days), in order."""
    check_book_range(start, end)
    since = datetime.combine(start, time.min, VIETNAM)
    until = datetime.combine(end + timedelta(days=1), time.min, VIETNAM)
    dossiers = db.session.scalars(
        select(Dossier)
        .where(Dossier.received_at >= since, Dossier.received_at < until)
        .order_by(Dossier.received_at, Dossier.id)
    )

    office = get_office()
    return [
        BookRow(
            number=number,
            code=dossier.code,
            procedure_name=dossier.procedure.name,
            applicant_name=dossier.applicant_name,
            contact="; ".join(
                part
                for part in (dossier.applicant_address, dossier.applicant_phone)
                if part
            ),
            deciding_authority=deciding_authority(dossier, office),
            received_on=local(dossier.received_at).date(),
            due_on=dossier.due_date,
            returned_on=(
                local(dossier.finished_at).date()
                if dossier.status == "returned" and dossier.finished_at
                else None
            ),
            note=_note(dossier),
        )
        for number, dossier in enumerate(dossiers, start=1)
    ]


def _note(dossier: Dossier) -> str:
    parts = [dossier.status_label]
    first = dossier.original_due_date
    if first and first != dossier.due_date:
        parts.append(f"hẹn lần đầu {first:%d/%m/%Y}")
    return "; ".join(parts)


def render_book_pdf(start: date, end: date, user: User) -> bytes:
    """Render the tracking book of a period as an A4 landscape PDF."""
    rows = fetch_book_rows(start, end)
    office = get_office()
    pdf = render_pdf(
        "printing/book.html",
        title=f"Sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
        author=office.authority_name,
        office=office,
        rows=rows,
        columns=[heading for heading, _ in COLUMNS],
        start=start,
        end=end,
        issued_on=local(utcnow()).date(),
        user=user,
    )

    with writing():
        record_event(
            "form_issued",
            user=user,
            entity="dossier_book",
            form="book",
            start=start.isoformat(),
            end=end.isoformat(),
            rows=len(rows),
        )
    logger.info("Dossier book issued", extra={"rows": len(rows)})
    return pdf


def render_book_xlsx(start: date, end: date) -> bytes:
    """Write the tracking book of a period as an Excel workbook."""
    rows = fetch_book_rows(start, end)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ theo dõi hồ sơ"
    workbook.properties.title = (
        f"Sổ theo dõi hồ sơ từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    )
    workbook.properties.creator = "Xã Số"

    sheet.append([heading for heading, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
    sheet.freeze_panes = "A2"

    for row in rows:
        sheet.append(row.values())
    for column in _DATE_COLUMNS:
        for (cell,) in sheet.iter_rows(
            min_row=2, min_col=column, max_col=column, max_row=sheet.max_row
        ):
            cell.number_format = "dd/mm/yyyy"

    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.auto_filter.ref = sheet.dimensions

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def book_response(kind: str, start: date, end: date, user: User) -> Response:
    """Answer the tracking book as a PDF or an .xlsx download."""
    name = f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}"
    if kind == "pdf":
        return Response(
            render_book_pdf(start, end, user),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )
    if kind == "xlsx":
        return Response(
            render_book_xlsx(start, end),
            mimetype=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    raise NotFound("Sổ theo dõi chỉ có dạng .pdf hoặc .xlsx.")
