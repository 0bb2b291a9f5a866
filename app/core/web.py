"""The home page, the health check and helpers every template uses."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, jsonify, redirect, render_template, url_for
from flask_login import current_user

from app.auth.permissions import can
from app.core.database import utcnow
from app.core.text import mask_digits
from app.core.timeutil import local, long_date, weekday_name

core_bp = Blueprint("core", __name__)


@core_bp.get("/")
def home():
    """Send staff to their work and everyone else to the sign-in page."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if can(current_user, "dossiers.view"):
        return redirect(url_for("dossiers.index"))
    return render_template("home.html")


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
    def dmy_filter(day: date | None) -> str:
        return "" if day is None else day.strftime("%d/%m/%Y")

    app.add_template_filter(mask_digits, "masked")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(weekday_name, "weekday")

    @app.context_processor
    def inject_globals():
        from app.office.services import get_office

        return {
            "can": can,
            "office": get_office(),
            "today": local(utcnow()).date(),
        }
