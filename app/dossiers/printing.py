"""The official forms of a dossier (Circular 03/2025/TT-VPCP, Annex I)."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from app.auth.models import User
from app.core.errors import NotFound
from app.core.timeutil import local, long_date, weekday_name
from app.dossiers import services
from app.dossiers.models import Dossier
from app.office.services import get_office
from app.printing.render import qr_data_uri, render_pdf


@dataclass(frozen=True)
class Form:
    slug: str
    template: str
    title: str

    def filename(self, dossier: Dossier) -> str:
        return f"{self.slug}-{dossier.code}.pdf"


# TODO(#3): supplement-request, refusal, apology and control-sheet forms.
FORMS = {
    "receipt": Form(
        "receipt",
        "printing/receipt.html",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    ),
}


def render_dossier_form(dossier: Dossier, slug: str, user: User) -> bytes:
    """Render a form of the dossier to PDF and note it in the audit trail."""
    form = FORMS.get(slug)
    if form is None:
        raise NotFound(
            f"Không có biểu mẫu “{slug}”. Biểu mẫu hiện có: " + ", ".join(FORMS) + "."
        )

    office = get_office()
    received = local(dossier.received_at)
    pdf = render_pdf(
        form.template,
        title=f"{form.title} - {dossier.code}",
        author=office.authority_name,
        office=office,
        dossier=dossier,
        procedure=dossier.procedure,
        received=received,
        received_date=long_date(received.date()),
        issued_date=long_date(received.date()),
        due_weekday=weekday_name(dossier.due_date),
        due_date=long_date(dossier.due_date),
        fee=format_decimal(dossier.procedure.fee_vnd, locale="vi"),
        qr=qr_data_uri(dossier.code),
        clerk=dossier.received_by,
    )
    services.record_form_issued(dossier, slug, user)
    return pdf
