"""JSON endpoints of procedures and dossiers."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request, send_file

from app.api import endpoint, json_body, page_number
from app.auth.permissions import api_require, api_user, can
from app.core.errors import ValidationFailed
from app.dossiers import books, services, transitions
from app.dossiers import statistics as dossier_statistics
from app.dossiers.attachments import (
    open_attachment,
    record_download,
    store_attachment,
)
from app.dossiers.presenters import attachment_out, dossier_detail_out, dossier_out
from app.dossiers.printing import FORMS, render_dossier_form
from app.dossiers.schemas import (
    AttachmentOut,
    DossierDetailOut,
    DossierIntake,
    DossierOut,
    DossierPage,
    DossierStatisticsOut,
    ProcedureOut,
    TransitionIn,
)
from app.office.catalog import list_procedures


@endpoint(
    "/procedures",
    summary="Danh mục thủ tục hành chính",
    answer=ProcedureOut,
    answer_list=True,
)
@api_require("procedures.view")
def procedures_index():
    """List the active procedures of the catalogue."""
    items = [
        ProcedureOut.model_validate(p, from_attributes=True).model_dump()
        for p in list_procedures()
    ]
    return jsonify(items)


@endpoint(
    "/dossiers",
    "POST",
    summary="Tiếp nhận hồ sơ",
    body=DossierIntake,
    answer=DossierOut,
    status=201,
)
@api_require("dossiers.receive")
def dossiers_create():
    """Receive a dossier."""
    intake = services.parse_intake(json_body())
    dossier = services.receive_dossier(intake, api_user())
    return jsonify(dossier_out(dossier, masked=False)), 201


@endpoint(
    "/dossiers",
    summary="Tìm và liệt kê hồ sơ",
    answer=DossierPage,
    query={
        "q": "mã hồ sơ, họ tên (có hoặc không dấu), số định danh",
        "status": "trạng thái",
        "field": "lĩnh vực thủ tục",
        "assignee": "tên đăng nhập của người xử lý",
        "due": "overdue, today hoặc soon",
        "sort": "newest, oldest, due hoặc name",
        "page": "số trang, từ 1",
    },
)
@api_require("dossiers.view")
def dossiers_index():
    """List dossiers, newest first, with search and a status filter."""
    page = page_number(request.args.get("page"))
    size = current_app.config["PAGE_SIZE"]
    args = request.args
    items, total = services.list_dossiers(
        args.get("q"),
        args.get("status") or None,
        page,
        size,
        field=args.get("field"),
        assignee=args.get("assignee"),
        due=args.get("due"),
        sort=args.get("sort"),
    )
    return jsonify(
        {
            "items": [dossier_out(d, masked=True) for d in items],
            "total": total,
            "page": page,
            "page_size": size,
        }
    )


@endpoint("/dossiers/<code>", summary="Chi tiết hồ sơ", answer=DossierDetailOut)
@api_require("dossiers.view")
def dossiers_show(code: str):
    """Show a dossier with its transitions."""
    masked = not can(api_user(), "dossiers.personal_data")
    return jsonify(dossier_detail_out(services.get_dossier(code), masked=masked))


@endpoint(
    "/dossiers/<code>/transitions",
    "POST",
    summary="Chuyển trạng thái hồ sơ",
    body=TransitionIn,
    answer=DossierDetailOut,
)
@api_require("dossiers.view")
def dossiers_transition(code: str):
    """Take an action on a dossier (the role check is per action)."""
    request_body = transitions.parse_transition(json_body())
    dossier = transitions.apply_transition(code, request_body, api_user())
    return jsonify(dossier_detail_out(dossier))


@endpoint(
    "/dossiers/<code>/forms/<form>.pdf",
    summary="In biểu mẫu của hồ sơ (PDF)",
    content_type="application/pdf",
)
@api_require("dossiers.print")
def dossiers_form(code: str, form: str):
    """Render one of the dossier's official forms as a PDF."""
    dossier = services.get_dossier(code)
    pdf = render_dossier_form(dossier, form, api_user())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{FORMS[form].filename(dossier)}"'
        },
    )


@endpoint(
    "/dossiers/<code>/attachments",
    "POST",
    summary="Đính kèm bản quét (multipart/form-data, trường file)",
    answer=AttachmentOut,
    status=201,
)
@api_require("dossiers.receive")
def dossiers_attach(code: str):
    """Attach a scanned paper (PDF, JPEG or PNG) to a dossier."""
    dossier = services.get_dossier(code)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(
            "Cần gửi tệp trong trường “file” (multipart/form-data).",
            {"file": "Thiếu tệp."},
        )
    attachment = store_attachment(dossier, upload.filename, upload.read(), api_user())
    return jsonify(attachment_out(code, attachment)), 201


@endpoint(
    "/dossiers/<code>/attachments/<attachment_uuid>",
    summary="Tải bản quét đã đính kèm",
    content_type="application/octet-stream",
)
@api_require("dossiers.view")
def dossiers_attachment(code: str, attachment_uuid: str):
    """Send a stored scan."""
    dossier = services.get_dossier(code)
    attachment, path = open_attachment(dossier, attachment_uuid)
    record_download(dossier, attachment, api_user())
    response = send_file(
        path,
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@endpoint(
    "/dossier-book.<kind>",
    summary="Sổ theo dõi hồ sơ (pdf hoặc xlsx) cho khoảng ngày",
    content_type="application/pdf",
    query={"start": "ngày đầu YYYY-MM-DD", "end": "ngày cuối YYYY-MM-DD"},
)
@api_require("dossiers.print")
def dossier_book(kind: str):
    """Render the tracking book for a range of days."""
    args = request.args
    start, end = books.parse_book_range(args.get("start"), args.get("end"))
    return books.book_response(kind, start, end, api_user())


@endpoint(
    "/dossier-statistics",
    summary="Thống kê giải quyết hồ sơ trong một kỳ",
    answer=DossierStatisticsOut,
    query={
        "start": "ngày đầu kỳ, YYYY-MM-DD (bắt buộc)",
        "end": "ngày cuối kỳ, YYYY-MM-DD (bắt buộc; kỳ dài tối đa 366 ngày)",
    },
)
@api_require("dossiers.view")
def dossier_statistics_show():
    """Count a period's dossiers by field, by officer and in total."""
    args = request.args
    period = dossier_statistics.parse_period(args.get("start"), args.get("end"))
    result = dossier_statistics.compile_statistics(period)
    return jsonify(dossier_statistics.statistics_out(result))
