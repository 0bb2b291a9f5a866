"""The printed forms of a feedback item: its receipt and the response letter.

Each form reads what it prints from the item; a form the item's state does
not call for (a response letter for feedback nobody has answered yet) is
refused with a 409, as the dossier forms are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from app.audit.services import record_event
from app.auth.models import User
from app.core.database import writing
from app.core.errors import InvalidTransition, NotFound
from app.core.timeutil import local, long_date
from app.dossiers.printing import dated, lookup_address
from app.feedback.models import FeedbackItem
from app.office.services import get_office
from app.printing.render import qr_data_uri, render_pdf

# The states in which an item may carry an answer worth a letter.
ANSWERED_STATES = frozenset({"responded", "published", "closed"})


@dataclass(frozen=True)
class FeedbackForm:
    slug: str
    template: str
    title: str
    # Reads what the form prints from the item; raises InvalidTransition
    # when the item's state does not call for the form.
    details: Callable[[FeedbackItem], dict[str, Any]]

    def filename(self, item: FeedbackItem) -> str:
        return f"{self.slug}-{item.code}.pdf"

    def applies_to(self, item: FeedbackItem) -> bool:
        """Tell whether the item's state calls for this form."""
        try:
            self.details(item)
        except InvalidTransition:
            return False
        return True


def _receipt(item: FeedbackItem) -> dict[str, Any]:
    # The public address is printed only when the office has set it: the
    # one the clerk's browser used (often 127.0.0.1) means nothing to a
    # citizen, and the QR code carries the full address anyway.
    base = current_app.config.get("PUBLIC_BASE_URL")
    received = local(item.received_at)
    return {
        "issued_on": received.date(),
        "received_time": f"{received:%H} giờ {received:%M} phút, "
        + long_date(received.date()),
        "qr": qr_data_uri(lookup_address(item.code)),
        "lookup_page": f"{base.rstrip('/')}/lookup/" if base else None,
        "clerk": item.received_by,
        # Only a submitter standing at the counter can sign the slip.
        "signed_by_submitter": item.channel == "counter" and bool(item.submitter_name),
    }


def _response(item: FeedbackItem) -> dict[str, Any]:
    if item.status not in ANSWERED_STATES or not item.response:
        raise InvalidTransition(
            f"Phản ánh {item.code} đang ở trạng thái “{item.status_label.lower()}” "
            "và chưa có nội dung trả lời, nên chưa có văn bản trả lời để in."
        )

    # Staff type an answer as lines; each line is a paragraph of the letter.
    paragraphs = [line.strip() for line in item.response.splitlines()]
    return {
        "issued_on": local(item.responded_at or item.received_at).date(),
        "received_on": local(item.received_at).date(),
        "paragraphs": [line for line in paragraphs if line],
    }


FORMS = {
    form.slug: form
    for form in (
        FeedbackForm(
            "receipt",
            "printing/feedback_receipt.html",
            "Phiếu tiếp nhận phản ánh, kiến nghị",
            _receipt,
        ),
        FeedbackForm(
            "response",
            "printing/feedback_response.html",
            "Văn bản trả lời phản ánh, kiến nghị",
            _response,
        ),
    )
}


def available_feedback_forms(item: FeedbackItem) -> list[tuple[str, str]]:
    """List the forms the item's state calls for, as (slug, title) pairs."""
    return [(slug, form.title) for slug, form in FORMS.items() if form.applies_to(item)]


def render_feedback_form(item: FeedbackItem, slug: str, user: User) -> bytes:
    """Render a form of the feedback item to PDF and note it in the audit trail."""
    form = FORMS.get(slug)
    if form is None:
        raise NotFound(
            f"Không có biểu mẫu “{slug}”. Biểu mẫu hiện có: " + ", ".join(FORMS) + "."
        )
    details = form.details(item)

    office = get_office()
    pdf = render_pdf(
        form.template,
        title=f"{form.title} - {item.code}",
        author=office.authority_name,
        office=office,
        item=item,
        committee=f"Ủy ban nhân dân {office.name_in_text}",
        dated=dated,
        **details,
    )

    with writing():
        record_event(
            "form_issued",
            user=user,
            entity="feedback",
            entity_uuid=item.uuid,
            form=slug,
        )
    return pdf
