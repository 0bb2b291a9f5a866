"""The official forms of a dossier (Circular 03/2025/TT-VPCP, Annex I).

Each form reads what it prints from the dossier and its recorded
transitions; a form that the dossier's history does not call for (a
refusal slip for a dossier nobody refused) is refused with a 409.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from flask import current_app, has_request_context, request
from num2words import num2words
from sqlalchemy import select

from app.auth.models import User
from app.core.database import utcnow
from app.core.errors import InvalidTransition, NotFound
from app.core.timeutil import local, long_date, weekday_name
from app.dossiers import services
from app.dossiers.models import ACTION_LABELS, Dossier, DossierTransition
from app.dossiers.workflow import ACTIONS
from app.extensions import db
from app.office.models import Office
from app.office.services import get_office
from app.printing.render import qr_data_uri, render_pdf


@dataclass(frozen=True)
class Form:
    slug: str
    template: str
    title: str
    # Reads what the form prints from the dossier's history; raises
    # InvalidTransition when that history does not call for the form.
    details: Callable[[Dossier], dict[str, Any]]

    def filename(self, dossier: Dossier) -> str:
        return f"{self.slug}-{dossier.code}.pdf"

    def applies_to(self, dossier: Dossier) -> bool:
        """Tell whether the dossier's history calls for this form."""
        try:
            self.details(dossier)
        except InvalidTransition:
            return False
        return True


def amount_in_words(vnd: int) -> str:
    """Write an amount of đồng in Vietnamese words, as receipts spell it."""
    # Northern offices write "linh" where num2words writes "lẻ" (105: một
    # trăm linh năm).
    words = num2words(vnd, lang="vi").replace(" lẻ ", " linh ")
    return f"{words[:1].upper()}{words[1:]} đồng"


def amount_text(vnd: int) -> str:
    """Write an amount in figures and in words ("10.000 đồng (Bằng chữ: ...)")."""
    figures = format_decimal(vnd, locale="vi")
    return f"{figures} đồng (Bằng chữ: {amount_in_words(vnd)})"


def clock_and_date(moment: datetime) -> str:
    """Write a moment as the control sheet does: "09 giờ 30 phút, ngày 03/12/2026"."""
    moment = local(moment)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def dated(day: date) -> str:
    """Write a day with its weekday: "Thứ Hai, ngày 07 tháng 12 năm 2026"."""
    return f"{weekday_name(day)}, {long_date(day)}"


def _latest(dossier: Dossier, action: str) -> DossierTransition | None:
    found = [t for t in dossier.transitions if t.action == action]
    return found[-1] if found else None


def _receipt(dossier: Dossier) -> dict[str, Any]:
    return {"issued_on": local(dossier.received_at).date()}


def _supplement_request(dossier: Dossier) -> dict[str, Any]:
    request = _latest(dossier, "request_supplement")
    if request is None:
        raise InvalidTransition(
            f"Hồ sơ {dossier.code} chưa có yêu cầu bổ sung, hoàn thiện nào, "
            "nên không có phiếu yêu cầu bổ sung để in."
        )

    data = request.data or {}
    # The transition keeps the list as it was asked for; the dossier's own
    # list empties once the papers arrive, and the slip may be reprinted.
    papers = data.get("missing_papers") or list(dossier.missing_papers or [])
    return {
        "issued_on": local(request.at).date(),
        "missing_papers": papers,
        "reason": data.get("reason") or request.note,
        "officer": request.actor,
    }


def _refusal(dossier: Dossier) -> dict[str, Any]:
    refusal = _latest(dossier, "reject")
    if dossier.status != "rejected" or refusal is None:
        raise InvalidTransition(
            f"Hồ sơ {dossier.code} đang ở trạng thái “{dossier.status_label.lower()}”; "
            "chỉ in phiếu từ chối cho hồ sơ đã bị từ chối tiếp nhận, giải quyết."
        )

    data = refusal.data or {}
    return {
        "issued_on": local(refusal.at).date(),
        "reason": data.get("reason") or refusal.note,
        "officer": refusal.actor,
        "at_intake": refusal.from_status == "received",
    }


def _apology(dossier: Dossier) -> dict[str, Any]:
    reschedule = _latest(dossier, "reschedule")
    if reschedule is None:
        raise InvalidTransition(
            f"Hồ sơ {dossier.code} chưa được hẹn lại ngày trả kết quả, "
            "nên không có văn bản xin lỗi để in."
        )

    data = reschedule.data or {}
    return {
        "issued_on": local(reschedule.at).date(),
        "previous_due_date": _due_date_before(dossier, reschedule),
        "new_due_date": date.fromisoformat(data["due_date"]),
        "reason": data.get("reason") or reschedule.note,
    }


def _due_date_before(dossier: Dossier, moment: DossierTransition) -> date:
    """Return the appointment the applicant held just before a transition."""
    due = dossier.original_due_date or dossier.due_date
    for transition in dossier.transitions:
        if transition is moment:
            break
        if "due_date" in (transition.data or {}):
            due = date.fromisoformat(transition.data["due_date"])
    return due


@dataclass(frozen=True)
class Step:
    """One row of the control sheet."""

    label: str
    at: str
    giver: str
    receiver: str
    result: str
    note: str


def _control_sheet(dossier: Dossier) -> dict[str, Any]:
    names = _full_names(
        t.data["assignee"] for t in dossier.transitions if "assignee" in (t.data or {})
    )
    # A new appointment after an apology does not change the time limit the
    # law sets, so timeliness is judged against the last lawful due date: the
    # first one, or the one a completed supplement restarted the clock from.
    lawful_due = dossier.original_due_date or dossier.due_date
    steps = []
    for transition in dossier.transitions:
        data = transition.data or {}
        result = ""
        if transition.action == "supplement_received" and "due_date" in data:
            lawful_due = date.fromisoformat(data["due_date"])
        elif transition.action == "resolve":
            result = _timeliness(local(transition.at).date(), lawful_due)

        giver, receiver = _handover(dossier, transition, names)
        # The receipt row shows when the applicant handed the papers in,
        # which a clerk may record after the fact.
        moment = dossier.received_at if transition.action == "receive" else None
        steps.append(
            Step(
                label=_action_label(transition.action),
                at=clock_and_date(moment or transition.at),
                giver=giver,
                receiver=receiver,
                result=result,
                note=". ".join(n.rstrip(".") for n in _step_notes(transition)),
            )
        )
    return {"issued_on": local(utcnow()).date(), "steps": steps}


def _handover(
    dossier: Dossier, transition: DossierTransition, names: dict[str, str]
) -> tuple[str, str]:
    """Say who handed the dossier (or the papers, or the result) to whom."""
    applicant = dossier.applicant_name
    actor = transition.actor.full_name
    action = transition.action
    if action in ("receive", "supplement_received", "withdraw"):
        return applicant, actor
    if action in ("request_supplement", "reject", "reschedule", "return_result"):
        return actor, applicant
    assignee = (transition.data or {}).get("assignee")
    if assignee:
        return actor, names.get(assignee, assignee)
    return actor, ""


def _step_notes(transition: DossierTransition) -> list[str]:
    data = transition.data or {}
    notes = [transition.note] if transition.note else []
    if transition.action == "request_supplement":
        count = len(data.get("missing_papers") or [])
        notes.append(f"Yêu cầu bổ sung {count:02d} giấy tờ")
    elif transition.action == "supplement_received" and "due_date" in data:
        notes.append(
            f"Hẹn trả mới ngày {date.fromisoformat(data['due_date']):%d/%m/%Y}"
        )
    elif transition.action == "reschedule":
        notes.append(f"Hẹn lại ngày {date.fromisoformat(data['due_date']):%d/%m/%Y}")
    return notes


def _action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return ACTIONS[action].label if action in ACTIONS else action


def _timeliness(done: date, due: date) -> str:
    if done < due:
        return "Trước hạn"
    if done == due:
        return "Đúng hạn"
    return "Quá hạn"


def _full_names(usernames) -> dict[str, str]:
    wanted = set(usernames)
    if not wanted:
        return {}
    users = db.session.scalars(select(User).where(User.username.in_(wanted)))
    return {user.username: user.full_name for user in users}


FORMS = {
    form.slug: form
    for form in (
        Form(
            "receipt",
            "printing/receipt.html",
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
            _receipt,
        ),
        Form(
            "supplement-request",
            "printing/supplement_request.html",
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
            _supplement_request,
        ),
        Form(
            "refusal",
            "printing/refusal.html",
            "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
            _refusal,
        ),
        Form(
            "apology",
            "printing/apology.html",
            "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
            _apology,
        ),
        Form(
            "control-sheet",
            "printing/control_sheet.html",
            "Phiếu kiểm soát quá trình giải quyết hồ sơ",
            _control_sheet,
        ),
    )
}


def available_forms(dossier: Dossier) -> dict[str, Form]:
    """Return the forms that the dossier's history calls for, by slug."""
    return {slug: form for slug, form in FORMS.items() if form.applies_to(dossier)}


def render_dossier_form(dossier: Dossier, slug: str, user: User) -> bytes:
    """Render a form of the dossier to PDF and note it in the audit trail."""
    form = FORMS.get(slug)
    if form is None:
        raise NotFound(
            f"Không có biểu mẫu “{slug}”. Biểu mẫu hiện có: " + ", ".join(FORMS) + "."
        )
    details = form.details(dossier)

    office = get_office()
    received = local(dossier.received_at)
    fee = dossier.procedure.fee_vnd
    pdf = render_pdf(
        form.template,
        title=f"{form.title} - {dossier.code}",
        author=office.authority_name,
        office=office,
        dossier=dossier,
        procedure=dossier.procedure,
        receiving_office=receiving_office(dossier, office),
        deciding_authority=deciding_authority(dossier, office),
        received=received,
        received_time=f"{received:%H} giờ {received:%M} phút, "
        + long_date(received.date()),
        fee=amount_text(fee) if fee else "Không thu",
        qr=qr_data_uri(lookup_address(dossier.code)),
        clerk=dossier.received_by,
        dated=dated,
        **details,
    )
    services.record_form_issued(dossier, slug, user)
    return pdf


def receiving_office(dossier: Dossier, office: Office) -> str:
    """Name the body that received the dossier."""
    return dossier.receiving_office or f"{office.one_stop_unit} {office.name_in_text}"


def deciding_authority(dossier: Dossier, office: Office) -> str:
    """Name the body that decides the dossier."""
    return (
        dossier.deciding_authority
        or dossier.procedure.deciding_authority
        or f"Ủy ban nhân dân {office.name_in_text}"
    )


def lookup_address(code: str) -> str:
    """Return the public lookup page of a dossier or feedback, for a QR code.

    The office LAN's own address (XASO_PUBLIC_URL) is used where set, since
    the address the clerk's browser used (often 127.0.0.1) means nothing to
    a citizen's phone.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    query = urlencode({"code": code})
    return f"{(base or '').rstrip('/')}/lookup/?{query}"
