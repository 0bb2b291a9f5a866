"""The office's own page: who this installation serves, the catalogue."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.permissions import require
from app.office.catalog import list_procedures

office_bp = Blueprint("office", __name__, url_prefix="/office")


@office_bp.get("/procedures")
@require("procedures.view")
def procedures():
    """List the procedure catalogue with time limits and fees."""
    return render_template("office/procedures.html", procedures=list_procedures())
