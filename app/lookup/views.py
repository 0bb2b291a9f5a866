"""The public lookup page of the office LAN (the receipt's QR code leads here)."""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request

from app.dossiers import queries
from app.dossiers.workflow import OPEN_STATES
from app.extensions import limiter

lookup_bp = Blueprint("lookup", __name__, url_prefix="/lookup")

CODE_PATTERN = re.compile(r"^[0-9A-Za-z.\-]{6,40}$")


def _missed(response) -> bool:
    return response.status_code in (400, 404)


@lookup_bp.get("/")
# Generous for honest use, tight for codes guessed in a loop.
@limiter.limit("60 per 10 minutes")
@limiter.limit("10 per 10 minutes", deduct_when=_missed, scope="lookup-misses")
def index():
    """Show a dossier's state and appointment date to anyone with its code."""
    code = (request.args.get("code") or "").strip()
    if not code:
        return render_template("lookup/index.html", code="", dossier=None)
    if not CODE_PATTERN.match(code):
        message = (
            "Mã hồ sơ không đúng dạng; mã in trên giấy hẹn, ví dụ 25.08707-261204-0001."
        )
        return render_template("lookup/index.html", code=code, error=message), 400

    dossier = queries.fetch_dossier_by_code(code)
    if dossier is None:
        message = (
            "Không tìm thấy hồ sơ có mã này; vui lòng kiểm tra lại mã trên giấy hẹn."
        )
        return render_template("lookup/index.html", code=code, error=message), 404
    return render_template(
        "lookup/index.html", code=code, dossier=dossier, open_states=OPEN_STATES
    )
