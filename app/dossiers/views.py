"""Dossier pages: list and search, intake, detail, printed forms."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm

from app.audit.queries import EVENT_LABELS, fetch_events_for
from app.auth.permissions import can, require
from app.core.database import utcnow
from app.core.errors import InvalidTransition, ValidationFailed
from app.core.timeutil import VIETNAM, local
from app.dossiers import books, queries, services, transitions
from app.dossiers import statistics as dossier_statistics
from app.dossiers.attachments import (
    open_attachment,
    record_download,
    store_attachment,
)
from app.dossiers.forms import DossierIntakeForm
from app.dossiers.models import ACTION_LABELS, STATUS_LABELS
from app.dossiers.printing import FORMS, available_forms, render_dossier_form
from app.dossiers.workflow import ACTIONS, allowed_actions
from app.office.catalog import list_procedures

dossiers_bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")

# Where the service's field names land on the web form.
_FORM_FIELDS = {
    "procedure_code": "procedure_code",
    "applicant.full_name": "full_name",
    "applicant.id_number": "id_number",
    "applicant.phone": "phone",
    "applicant.address": "address",
    "received_at": "received_at",
    "channel": "channel",
    "note": "note",
    "papers": "papers",
    "copies": "copies",
}


LIST_FILTERS = ("q", "status", "field", "assignee", "due", "sort")


@dossiers_bp.get("/")
@require("dossiers.view")
def index():
    """List dossiers with a search box and filters."""
    chosen = {name: (request.args.get(name) or "").strip() for name in LIST_FILTERS}
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    size = current_app.config["PAGE_SIZE"]

    dossiers, total = services.list_dossiers(
        chosen["q"],
        chosen["status"] or None,
        page,
        size,
        field=chosen["field"],
        assignee=chosen["assignee"],
        due=chosen["due"],
        sort=chosen["sort"],
    )
    return render_template(
        "dossiers/index.html",
        dossiers=dossiers,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        chosen=chosen,
        filters={name: value for name, value in chosen.items() if value},
        statuses=STATUS_LABELS,
        fields=queries.fetch_fields(),
        officers=transitions.fetch_assignable_users(),
        due_windows=services.DUE_WINDOWS,
        sorts=services.SORTS,
    )


@dossiers_bp.route("/new", methods=["GET", "POST"])
@require("dossiers.receive")
def new():
    """Show the intake form and receive a dossier."""
    procedures = list_procedures()
    form = DossierIntakeForm()
    form.offer_procedures(procedures)
    status = 200

    if form.validate_on_submit():
        received_at = None
        if form.received_at.data is not None:
            received_at = form.received_at.data.replace(tzinfo=VIETNAM).isoformat()
        try:
            intake = services.parse_intake(form.intake_data(received_at))
            dossier = services.receive_dossier(intake, current_user)
        except ValidationFailed as failure:
            _attach_errors(form, failure)
            status = 422
        else:
            flash(f"Đã tiếp nhận hồ sơ {dossier.code}.", "success")
            return redirect(url_for("dossiers.show", code=dossier.code))
    elif request.method == "POST":
        status = 422

    return render_template(
        "dossiers/new.html", form=form, procedures=procedures
    ), status


def _attach_errors(form: DossierIntakeForm, failure: ValidationFailed) -> None:
    if not failure.fields:
        form.form_errors.append(failure.message)
    for key, message in failure.fields.items():
        name = _FORM_FIELDS.get(key) or _FORM_FIELDS.get(key.split(".")[0])
        if name is None:
            form.form_errors.append(message)
        else:
            form[name].errors = [*form[name].errors, message]


@dossiers_bp.get("/<code>")
@require("dossiers.view")
def show(code: str):
    """Show a dossier with its history."""
    dossier = services.get_dossier(code)
    return render_template(
        "dossiers/show.html",
        dossier=dossier,
        forms=available_forms(dossier),
        statuses=STATUS_LABELS,
        actions=ACTION_LABELS,
        possible=allowed_actions(dossier.status, current_user.role),
        officers=transitions.fetch_assignable_users(),
        audit_events=(
            fetch_events_for(dossier.uuid) if can(current_user, "audit.view") else []
        ),
        event_labels=EVENT_LABELS,
    )


@dossiers_bp.post("/<code>/transitions")
@require("dossiers.view")
def transition(code: str):
    """Take an action on a dossier from its page."""
    if not FlaskForm().validate_on_submit():
        raise ValidationFailed("Phiên làm việc đã hết hạn; vui lòng tải lại trang.")
    form = request.form
    data = {
        "action": form.get("action", ""),
        "note": form.get("note") or None,
        "assignee": form.get("assignee") or None,
        "reason": form.get("reason") or None,
        "new_due_date": form.get("new_due_date") or None,
    }
    if "missing_papers" in form:
        data["missing_papers"] = form.get("missing_papers", "").splitlines()
    try:
        request_body = transitions.parse_transition(data)
        dossier = transitions.apply_transition(code, request_body, current_user)
    except (ValidationFailed, InvalidTransition) as failure:
        flash(_explain(failure), "error")
        return redirect(url_for("dossiers.show", code=code))

    label = ACTIONS[request_body.action].label
    flash(f"Đã thực hiện: {label.lower()}.", "success")
    return redirect(url_for("dossiers.show", code=dossier.code))


@dossiers_bp.get("/<code>/forms/<form>.pdf")
@require("dossiers.print")
def form_pdf(code: str, form: str):
    """Render one of the dossier's official forms as a PDF."""
    dossier = services.get_dossier(code)
    pdf = render_dossier_form(dossier, form, current_user)
    filename = FORMS[form].filename(dossier)
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@dossiers_bp.post("/<code>/attachments")
@require("dossiers.receive")
def upload_attachment(code: str):
    """Attach a scanned paper to a dossier."""
    if not FlaskForm().validate_on_submit():
        raise ValidationFailed("Phiên làm việc đã hết hạn; vui lòng tải lại trang.")
    dossier = services.get_dossier(code)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Vui lòng chọn tệp bản quét để tải lên.", "error")
        return redirect(url_for("dossiers.show", code=code))
    try:
        attachment = store_attachment(
            dossier, upload.filename, upload.read(), current_user
        )
    except ValidationFailed as failure:
        flash(failure.message, "error")
        return redirect(url_for("dossiers.show", code=code))

    flash(f"Đã lưu tệp {attachment.filename}.", "success")
    return redirect(url_for("dossiers.show", code=code))


@dossiers_bp.get("/<code>/attachments/<attachment_uuid>")
@require("dossiers.view")
def download_attachment(code: str, attachment_uuid: str):
    """Send a stored scan to a signed-in member of staff."""
    dossier = services.get_dossier(code)
    attachment, path = open_attachment(dossier, attachment_uuid)
    record_download(dossier, attachment, current_user)
    response = send_file(
        path,
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@dossiers_bp.get("/book")
@require("dossiers.print")
def book():
    """Offer the tracking book for a range of days, as PDF or spreadsheet."""
    today = local(utcnow()).date()
    return render_template("dossiers/book.html", start=today.replace(day=1), end=today)


@dossiers_bp.get("/book.<kind>")
@require("dossiers.print")
def book_file(kind: str):
    """Render the tracking book for a range of days."""
    args = request.args
    start, end = books.parse_book_range(args.get("start"), args.get("end"))
    return books.book_response(kind, start, end, current_user)


@dossiers_bp.get("/statistics")
@require("dossiers.view")
def statistics():
    """Show a period's statistics by field and officer, this month's unasked."""
    start = request.args.get("start")
    end = request.args.get("end")
    if start is None and end is None:
        period = dossier_statistics.month_to_date(local(utcnow()).date())
        start, end = period.start.isoformat(), period.end.isoformat()

    try:
        period = dossier_statistics.parse_period(start, end)
    except ValidationFailed as failure:
        page = render_template(
            "dossiers/statistics.html",
            statistics=None,
            start=start,
            end=end,
            errors=failure.fields,
        )
        return page, 422

    return render_template(
        "dossiers/statistics.html",
        statistics=dossier_statistics.compile_statistics(period),
        start=start,
        end=end,
        errors={},
    )


@dossiers_bp.get("/statistics.xlsx")
@require("dossiers.view")
def statistics_xlsx():
    """Send a period's statistics as an Excel workbook."""
    args = request.args
    period = dossier_statistics.parse_period(args.get("start"), args.get("end"))
    result = dossier_statistics.compile_statistics(period)
    filename = dossier_statistics.workbook_filename(result)
    return Response(
        dossier_statistics.statistics_workbook(result),
        mimetype=dossier_statistics.WORKBOOK_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _explain(failure) -> str:
    """Say a refusal once: the message, then field details it does not repeat."""
    details = [text for text in failure.fields.values() if text != failure.message]
    return " ".join([failure.message, *details])
