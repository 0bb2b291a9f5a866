"""Feedback pages: list and search, intake, detail with actions."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm

from app.audit.queries import EVENT_LABELS, fetch_events_for
from app.auth.permissions import can, require
from app.core.database import utcnow
from app.core.errors import InvalidTransition, ValidationFailed
from app.core.reporting import WORKBOOK_MEDIA_TYPE, month_to_date, parse_period
from app.core.timeutil import VIETNAM, local
from app.dossiers.transitions import fetch_assignable_users
from app.feedback import services
from app.feedback import statistics as feedback_statistics
from app.feedback.forms import FeedbackIntakeForm
from app.feedback.models import STATUS_LABELS
from app.feedback.printing import FORMS, available_feedback_forms, render_feedback_form
from app.feedback.workflow import ACTIONS, allowed_actions

feedback_bp = Blueprint("feedback", __name__, url_prefix="/feedback")

_FORM_FIELDS = {
    "channel": "channel",
    "category_code": "category_code",
    "title": "title",
    "content": "content",
    "location": "location",
    "received_at": "received_at",
    "submitter": "full_name",
    "submitter.full_name": "full_name",
    "submitter.phone": "phone",
    "submitter.address": "address",
    "submitter.id_number": "id_number",
    "submitter.email": "email",
}
LIST_FILTERS = ("q", "status", "category", "channel", "due", "sort")


@feedback_bp.get("/")
@require("feedback.view")
def index():
    """List feedback with a search box and filters."""
    chosen = {name: (request.args.get(name) or "").strip() for name in LIST_FILTERS}
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    size = current_app.config["PAGE_SIZE"]

    items, total = services.list_feedback(
        chosen["q"],
        chosen["status"] or None,
        page,
        size,
        category=chosen["category"],
        channel=chosen["channel"],
        due=chosen["due"],
        sort=chosen["sort"],
    )
    return render_template(
        "feedback/index.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        chosen=chosen,
        filters={name: value for name, value in chosen.items() if value},
        statuses=STATUS_LABELS,
        categories=services.list_categories(),
        channels=services.list_channels(),
    )


@feedback_bp.route("/new", methods=["GET", "POST"])
@require("feedback.receive")
def new():
    """Show the intake form and receive feedback."""
    form = FeedbackIntakeForm()
    form.offer(services.list_channels(), services.list_categories())
    status = 200
    if form.validate_on_submit():
        received_at = None
        if form.received_at.data is not None:
            received_at = form.received_at.data.replace(tzinfo=VIETNAM).isoformat()
        try:
            intake = services.parse_intake(form.intake_data(received_at))
            received = services.receive_feedback(intake, current_user)
        except ValidationFailed as failure:
            _attach_errors(form, failure)
            status = 422
        else:
            message = f"Đã tiếp nhận phản ánh {received.item.code}."
            if received.possible_duplicates:
                message += " Có thể trùng với: " + ", ".join(
                    received.possible_duplicates
                )
                flash(message, "info")
            else:
                flash(message, "success")
            return redirect(url_for("feedback.show", code=received.item.code))
    elif request.method == "POST":
        status = 422
    return render_template("feedback/new.html", form=form), status


def _attach_errors(form: FeedbackIntakeForm, failure: ValidationFailed) -> None:
    if not failure.fields:
        form.form_errors.append(failure.message)
    for key, message in failure.fields.items():
        name = _FORM_FIELDS.get(key)
        if name is None:
            form.form_errors.append(message)
        else:
            form[name].errors = [*form[name].errors, message]
    if failure.fields and failure.message not in form.form_errors:
        form.form_errors.insert(0, failure.message)


@feedback_bp.get("/<code>")
@require("feedback.view")
def show(code: str):
    """Show a feedback item with its history and the actions possible."""
    item = services.get_item(code)
    return render_template(
        "feedback/show.html",
        item=item,
        statuses=STATUS_LABELS,
        actions=ACTIONS,
        possible=allowed_actions(item.status, current_user.role),
        officers=fetch_assignable_users(),
        duplicates=services.possible_duplicates_of(item),
        personal=can(current_user, "feedback.personal_data"),
        audit_events=(
            fetch_events_for(item.uuid) if can(current_user, "audit.view") else []
        ),
        event_labels=EVENT_LABELS,
        forms=available_feedback_forms(item),
    )


@feedback_bp.post("/<code>/transitions")
@require("feedback.view")
def transition(code: str):
    """Take an action on a feedback item from its page."""
    if not FlaskForm().validate_on_submit():
        raise ValidationFailed("Phiên làm việc đã hết hạn; vui lòng tải lại trang.")
    form = request.form
    data = {
        name: form.get(name) or None
        for name in ("action", "note", "reason", "assignee", "response", "into")
    }
    data["action"] = data["action"] or ""
    try:
        request_body = services.parse_transition(data)
        services.apply_transition(code, request_body, current_user)
    except (ValidationFailed, InvalidTransition) as failure:
        flash(_explain(failure), "error")
        return redirect(url_for("feedback.show", code=code))

    label = ACTIONS[request_body.action].label
    flash(f"Đã thực hiện: {label.lower()}.", "success")
    return redirect(url_for("feedback.show", code=code))


@feedback_bp.route("/settings", methods=["GET", "POST"])
@require("feedback.manage")
def settings():
    """Edit categories (time limit, default handler) and channels."""
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            raise ValidationFailed("Phiên làm việc đã hết hạn; vui lòng tải lại trang.")
        form = request.form
        try:
            if form.get("kind") == "channel":
                services.update_channel(
                    form.get("code", ""),
                    form.get("requires_name") == "1",
                    form.get("active") == "1",
                    current_user,
                )
            else:
                services.update_category(form.get("code", ""), form, current_user)
        except ValidationFailed as failure:
            details = "; ".join(failure.fields.values())
            flash(f"{failure.message} {details}".strip(), "error")
        else:
            flash("Đã lưu.", "success")
        return redirect(url_for("feedback.settings"))

    return render_template(
        "feedback/settings.html",
        categories=services.list_all_categories(),
        channels=services.list_all_channels(),
        officers=fetch_assignable_users(),
    )


@feedback_bp.get("/<code>/forms/<form>.pdf")
@require("feedback.print")
def form_pdf(code: str, form: str):
    """Render the receipt or the response letter of a feedback item as a PDF."""
    item = services.get_item(code)
    pdf = render_feedback_form(item, form, current_user)
    filename = FORMS[form].filename(item)
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@feedback_bp.get("/statistics")
@require("feedback.view")
def statistics():
    """Show a period's feedback by channel and category, this month's unasked."""
    start = request.args.get("start")
    end = request.args.get("end")
    if start is None and end is None:
        period = month_to_date(local(utcnow()).date())
        start, end = period.start.isoformat(), period.end.isoformat()

    try:
        period = parse_period(start, end)
    except ValidationFailed as failure:
        page = render_template(
            "feedback/statistics.html",
            statistics=None,
            start=start,
            end=end,
            errors=failure.fields,
        )
        return page, 422

    return render_template(
        "feedback/statistics.html",
        statistics=feedback_statistics.compile_feedback_statistics(period),
        start=start,
        end=end,
        errors={},
    )


@feedback_bp.get("/statistics.xlsx")
@require("feedback.view")
def statistics_xlsx():
    """Send a period's feedback statistics as an Excel workbook."""
    args = request.args
    period = parse_period(args.get("start"), args.get("end"))
    result = feedback_statistics.compile_feedback_statistics(period)
    filename = feedback_statistics.feedback_workbook_filename(result)
    return Response(
        feedback_statistics.feedback_statistics_workbook(result),
        mimetype=WORKBOOK_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _explain(failure) -> str:
    """Say a refusal once: the message, then field details it does not repeat."""
    details = [text for text in failure.fields.values() if text != failure.message]
    return " ".join([failure.message, *details])
