"""The office's own pages: the procedure catalogue and the working calendar."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from app.auth.permissions import require
from app.core.database import utcnow
from app.core.errors import NotFound, ValidationFailed
from app.core.timeutil import local
from app.office import calendar, services
from app.office.catalog import list_procedures
from app.office.forms import CalendarExceptionForm, OfficeSettingsForm

office_bp = Blueprint("office", __name__, url_prefix="/office")


@office_bp.get("/procedures")
@require("procedures.view")
def procedures():
    """List the procedure catalogue with time limits and fees."""
    return render_template("office/procedures.html", procedures=list_procedures())


@office_bp.route("/calendar", methods=["GET", "POST"])
@require("office.manage")
def calendar_page():
    """Show the working calendar and record the province's announced days."""
    form = CalendarExceptionForm()
    status = 200
    if form.validate_on_submit():
        try:
            calendar.set_exception(
                form.day.data, form.kind.data == "work", form.note.data, current_user
            )
        except ValidationFailed as failure:
            form.day.errors = [*form.day.errors, failure.message]
            status = 422
        else:
            flash(f"Đã ghi ngày {form.day.data:%d/%m/%Y}.", "success")
            return redirect(url_for("office.calendar_page"))
    elif request.method == "POST":
        status = 422

    this_year = local(utcnow()).year
    holidays = sorted(
        (day, name)
        for year in (this_year, this_year + 1)
        for day, name in calendar.WorkingCalendar().holidays_of(year)
    )
    return render_template(
        "office/calendar.html",
        form=form,
        exceptions=calendar.list_exceptions(),
        holidays=holidays,
    ), status


@office_bp.post("/calendar/<day>/delete")
@require("office.manage")
def calendar_delete(day: str):
    """Forget one announced day."""
    if not FlaskForm().validate_on_submit():
        raise ValidationFailed("Phiên làm việc đã hết hạn; vui lòng tải lại trang.")
    try:
        chosen = date.fromisoformat(day)
    except ValueError:
        raise ValidationFailed("Ngày không hợp lệ.") from None
    calendar.remove_exception(chosen, current_user)
    flash(f"Đã bỏ ngày {chosen:%d/%m/%Y}.", "success")
    return redirect(url_for("office.calendar_page"))


@office_bp.route("/settings", methods=["GET", "POST"])
@require("office.manage")
def settings():
    """Edit what the forms print about the office."""
    office = services.get_office()
    if office is None:
        raise NotFound("Văn phòng chưa được thiết lập; chạy lệnh setup trước.")
    form = OfficeSettingsForm(obj=office)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_office_settings(form.data, current_user)
        except ValidationFailed as failure:
            for name, message in failure.fields.items():
                form[name].errors = [*form[name].errors, message]
            status = 422
        else:
            flash("Đã lưu thông tin văn phòng.", "success")
            return redirect(url_for("office.settings"))
    elif request.method == "POST":
        status = 422
    return render_template("office/settings.html", form=form, office=office), status


@office_bp.get("/")
@require("procedures.view")
def manage_index():
    """List the catalogue and administration pages the user may open."""
    return render_template("office/index.html")


@office_bp.get("/reports")
@require("dossiers.view")
def reports_index():
    """List the statistics and registers the office keeps."""
    return render_template("office/reports.html")
