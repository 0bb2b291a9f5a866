"""JSON endpoints of feedback (phản ánh, kiến nghị)."""

from __future__ import annotations

from flask import current_app, jsonify, request

from app.api import endpoint, json_body, page_number
from app.auth.permissions import api_require, api_user, can
from app.feedback import services
from app.feedback.presenters import feedback_detail_out, feedback_out
from app.feedback.printing import FORMS, render_feedback_form
from app.feedback.schemas import (
    FeedbackCategoryOut,
    FeedbackCreatedOut,
    FeedbackDetailOut,
    FeedbackIntake,
    FeedbackPage,
    FeedbackTransitionIn,
)


@endpoint(
    "/feedback-categories",
    summary="Danh mục loại phản ánh, kiến nghị",
    answer=FeedbackCategoryOut,
    answer_list=True,
)
@api_require("feedback.view")
def feedback_categories():
    """List the active feedback categories."""
    return jsonify(
        [{"code": c.code, "name": c.name} for c in services.list_categories()]
    )


@endpoint(
    "/feedback",
    "POST",
    summary="Tiếp nhận phản ánh, kiến nghị",
    body=FeedbackIntake,
    answer=FeedbackCreatedOut,
    status=201,
)
@api_require("feedback.receive")
def feedback_create():
    """Receive feedback and name the items it may repeat."""
    intake = services.parse_intake(json_body())
    received = services.receive_feedback(intake, api_user())
    item = received.item
    return jsonify(
        {
            "code": item.code,
            "uuid": item.uuid,
            "status": item.status,
            "due_date": item.due_date.isoformat(),
            "possible_duplicates": received.possible_duplicates,
        }
    ), 201


@endpoint(
    "/feedback",
    summary="Tìm và liệt kê phản ánh",
    answer=FeedbackPage,
    query={
        "q": "mã, người gửi, tiêu đề, nội dung (có hoặc không dấu)",
        "status": "trạng thái",
        "category": "mã loại",
        "channel": "mã kênh",
        "due": "overdue hoặc soon",
        "sort": "newest, oldest hoặc due",
        "page": "số trang, từ 1",
    },
)
@api_require("feedback.view")
def feedback_index():
    """List feedback with search and filters."""
    args = request.args
    page = page_number(args.get("page"))
    size = current_app.config["PAGE_SIZE"]
    items, total = services.list_feedback(
        args.get("q"),
        args.get("status") or None,
        page,
        size,
        category=args.get("category"),
        channel=args.get("channel"),
        due=args.get("due"),
        sort=args.get("sort"),
    )
    return jsonify(
        {
            "items": [feedback_out(i, masked=True) for i in items],
            "total": total,
            "page": page,
            "page_size": size,
        }
    )


@endpoint("/feedback/<code>", summary="Chi tiết phản ánh", answer=FeedbackDetailOut)
@api_require("feedback.view")
def feedback_show(code: str):
    """Show a feedback item with its transitions and response."""
    item = services.get_item(code)
    masked = not can(api_user(), "feedback.personal_data")
    duplicates = services.possible_duplicates_of(item)
    return jsonify(feedback_detail_out(item, duplicates, masked=masked))


@endpoint(
    "/feedback/<code>/transitions",
    "POST",
    summary="Chuyển trạng thái phản ánh",
    body=FeedbackTransitionIn,
    answer=FeedbackDetailOut,
)
@api_require("feedback.view")
def feedback_transition(code: str):
    """Take an action on a feedback item (the role check is per action)."""
    request_body = services.parse_transition(json_body())
    item = services.apply_transition(code, request_body, api_user())
    return jsonify(feedback_detail_out(item, services.possible_duplicates_of(item)))


@endpoint(
    "/feedback/<code>/forms/<form>.pdf",
    summary="In biểu mẫu của phản ánh (PDF)",
    content_type="application/pdf",
)
@api_require("feedback.print")
def feedback_form(code: str, form: str):
    """Render the receipt or the response letter of a feedback item as a PDF."""
    item = services.get_item(code)
    pdf = render_feedback_form(item, form, api_user())
    filename = FORMS[form].filename(item)
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
