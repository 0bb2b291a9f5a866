"""The public pages of the office LAN: lookup by code, and published answers.

Nothing personal reaches these pages. A feedback item shows its code,
category, title, state and dates; its answer only once a leader has
published it; its content never, since citizens write names, addresses
and neighbours' doings into it and nobody reviews it for publication.
"""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request

from app.core.errors import NotFound, ValidationFailed
from app.core.search import TextQuery
from app.core.text import fold
from app.dossiers import queries
from app.dossiers.workflow import OPEN_STATES
from app.extensions import limiter
from app.feedback import services as feedback_services
from app.feedback.models import OPEN_STATES as FEEDBACK_OPEN_STATES
from app.feedback.models import FeedbackItem
from app.feedback.queries import fetch_published_feedback

lookup_bp = Blueprint("lookup", __name__, url_prefix="/lookup")

CODE_PATTERN = re.compile(r"^[0-9A-Za-z.\-]{6,40}$")
FEEDBACK_PREFIX = "PA-"
ANSWERS_PAGE_SIZE = 10
# How many text hits a public search reads before it keeps those whose
# title matches; enough for a commune's published answers.
_WORD = re.compile(r"\w+")


def _missed(response) -> bool:
    return response.status_code in (400, 404)


@lookup_bp.get("/")
# Generous for honest use, tight for codes guessed in a loop.
@limiter.limit("60 per 10 minutes")
@limiter.limit("10 per 10 minutes", deduct_when=_missed, scope="lookup-misses")
def index():
    """Show a dossier's or a feedback item's state to anyone with its code."""
    code = (request.args.get("code") or "").strip()
    if not code:
        return render_template("lookup/index.html", code="")
    if not CODE_PATTERN.match(code):
        message = (
            "Mã không đúng dạng; mã in trên giấy hẹn hoặc phiếu tiếp nhận phản ánh, "
            "ví dụ 25.08707-261204-0001 hoặc PA-25.08707-261204-0001."
        )
        return render_template("lookup/index.html", code=code, error=message), 400
    if code.upper().startswith(FEEDBACK_PREFIX):
        return _feedback_page(FEEDBACK_PREFIX + code[len(FEEDBACK_PREFIX) :])

    dossier = queries.fetch_dossier_by_code(code)
    if dossier is None:
        message = (
            "Không tìm thấy hồ sơ có mã này; vui lòng kiểm tra lại mã trên giấy hẹn."
        )
        return render_template("lookup/index.html", code=code, error=message), 404
    return render_template(
        "lookup/index.html", code=code, dossier=dossier, open_states=OPEN_STATES
    )


def _feedback_page(code: str):
    try:
        item = feedback_services.get_item(code)
    except NotFound:
        message = (
            "Không tìm thấy phản ánh có mã này; vui lòng kiểm tra lại mã trên phiếu "
            "tiếp nhận phản ánh, kiến nghị."
        )
        return render_template("lookup/index.html", code=code, error=message), 404
    return render_template(
        "lookup/index.html",
        code=code,
        feedback=item,
        feedback_open_states=FEEDBACK_OPEN_STATES,
    )


@lookup_bp.get("/answers")
@limiter.limit("120 per 10 minutes")
def answers():
    """List the published answers to feedback, newest first, searchable by title."""
    query = (request.args.get("q") or "").strip()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1

    try:
        items, total = _published_answers(query, page)
    except ValidationFailed as failure:
        page_html = render_template(
            "lookup/answers.html",
            query=query,
            items=[],
            total=0,
            page=1,
            pages=1,
            error=" ".join([failure.message, *failure.fields.values()]),
        )
        return page_html, 422
    return render_template(
        "lookup/answers.html",
        query=query,
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // ANSWERS_PAGE_SIZE)),
    )


def _published_answers(query: str, page: int) -> tuple[list[FeedbackItem], int]:
    """Return a page of published items whose code or title matches the query.

    A commune publishes hundreds of answers, not millions, so they are read
    whole and filtered here. The staff search is not used: it also matches
    the submitter's name and the content, neither of which is public, and a
    search for a person's name must not tell which answers concern them.
    """
    published = fetch_published_feedback()
    if query:
        words = TextQuery.parse(query).folded
        published = [
            item
            for item in published
            if item.code.upper().startswith(query.upper())
            or _title_holds(item.title, words)
        ]
    start = (page - 1) * ANSWERS_PAGE_SIZE
    return published[start : start + ANSWERS_PAGE_SIZE], len(published)


def _title_holds(title: str, words: tuple[str, ...]) -> bool:
    title_words = _WORD.findall(fold(title))
    return all(any(t.startswith(w) for t in title_words) for w in words)
