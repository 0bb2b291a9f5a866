"""The home page, the health check and helpers every template uses."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, jsonify, redirect, render_template, url_for
from flask_login import current_user

from app.auth.permissions import can
from app.core.database import utcnow
from app.core.text import keep_tail_together, mask_digits
from app.core.timeutil import local, long_date, weekday_name

core_bp = Blueprint("core", __name__)


@core_bp.get("/")
def home():
    """Show staff what is late and what falls due; others go to sign in."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if not can(current_user, "dossiers.view"):
        return render_template("home.html", dossiers=None, feedback=None)

    from app.dossiers.queries import fetch_deadline_queue
    from app.feedback.queries import fetch_feedback_queue
    from app.office.calendar import load_calendar

    today = local(utcnow()).date()
    soon = load_calendar().add_working_days(today, 2)
    return render_template(
        "home.html",
        dossiers=fetch_deadline_queue(today, soon),
        feedback=fetch_feedback_queue(today, soon),
        soon=soon,
    )


@core_bp.get("/healthz")
def healthz():
    """Answer that the server is up."""
    return jsonify({"status": "ok"})


def register_template_helpers(app: Flask) -> None:
    """Make the filters and globals of the templates available."""

    @app.template_filter("localtime")
    def localtime_filter(moment: datetime | None, pattern: str = "%d/%m/%Y %H:%M"):
        return "" if moment is None else local(moment).strftime(pattern)

    @app.template_filter("dmy")
    def dmy_filter(day: date | str | None) -> str:
        if isinstance(day, str):
            day = date.fromisoformat(day)
        return "" if day is None else day.strftime("%d/%m/%Y")

    app.add_template_filter(mask_digits, "masked")
    app.add_template_filter(keep_tail_together, "keep_tail")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(weekday_name, "weekday")

    @app.context_processor
    def inject_globals():
        from app.audit.queries import DETAIL_LABELS
        from app.office.services import get_office

        return {
            "detail_labels": DETAIL_LABELS,
            "can": can,
            "office": get_office(),
            "today": local(utcnow()).date(),
        }
