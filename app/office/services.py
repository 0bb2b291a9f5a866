"""Setting the office up as a commune of the official unit list."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from vietnam_provinces import Province, VietNamDivisionType, Ward

from app.audit.services import record_event
from app.core.database import utcnow, writing
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.text import fold
from app.extensions import db
from app.office.models import Office

logger = logging.getLogger(__name__)

DIVISION_TITLES = {
    VietNamDivisionType.XA: "Xã",
    VietNamDivisionType.PHUONG: "Phường",
    VietNamDivisionType.DAC_KHU: "Đặc khu",
}


@dataclass(frozen=True)
class CommuneChoice:
    code: str
    name: str
    province_name: str


def get_office() -> Office | None:
    """Return this installation's office, or None before set-up."""
    return db.session.scalar(select(Office).limit(1))


def find_communes(query: str, limit: int = 20) -> tuple[list[CommuneChoice], int]:
    """Look communes up by name, with or without diacritics.

    Every word typed must begin a word of the commune's or the province's
    name ("vinh yen", "Vĩnh Yên, Phú Thọ"). Returns the first matches and
    how many there are in all.
    """
    wanted = re.findall(r"\w+", fold(query))
    if not wanted:
        return [], 0

    found = []
    for ward in Ward.iter_all():
        province = Province.from_code(ward.province_code)
        words = re.findall(r"\w+", fold(f"{ward.name} {province.name}"))
        if all(any(word.startswith(w) for word in words) for w in wanted):
            found.append(CommuneChoice(_code_text(ward.code), ward.name, province.name))
    found.sort(key=lambda c: (c.province_name, c.name))
    return found[:limit], len(found)


def _code_text(code: int) -> str:
    return f"{int(code):05d}"


def lookup_commune(code: str) -> tuple[Ward, Province]:
    """Find a commune of the official list by its code."""
    text = (code or "").strip()
    if not re.fullmatch(r"[0-9]{1,5}", text):
        raise ValidationFailed(
            "Mã xã/phường phải là số, tối đa 5 chữ số (ví dụ 8707).",
            {"commune": "Mã không hợp lệ."},
        )
    try:
        ward = Ward.from_code(int(text))
    except ValueError:
        raise NotFound(
            f"Không có xã, phường hay đặc khu nào mang mã {text} trong danh mục "
            "đơn vị hành chính. Hãy tra mã theo tên: "
            'flask --app app setup --find "tên xã".'
        ) from None
    return ward, Province.from_code(ward.province_code)


def set_up_office(code: str) -> tuple[Office, bool]:
    """Make this installation the office of a commune; safe to run again."""
    ward, province = lookup_commune(code)
    commune_code = _code_text(ward.code)
    title = DIVISION_TITLES.get(ward.division_type, "Xã")
    place = ward.name.removeprefix(title).strip() or ward.name

    from app.dossiers.models import Dossier

    with writing() as session:
        office = session.scalar(select(Office).limit(1))
        created = office is None
        if office is not None and office.commune_code != commune_code:
            dossiers = session.scalar(select(func.count()).select_from(Dossier))
            if dossiers:
                raise Conflict(
                    f"Máy này đã là văn phòng của {office.commune_name} và đã có "
                    "hồ sơ; không thể chuyển sang đơn vị khác."
                )
        if office is None:
            office = Office(commune_code=commune_code)
            session.add(office)

        office.commune_code = commune_code
        office.commune_name = ward.name
        office.division_type = title
        office.province_code = f"{int(province.code):02d}"
        office.province_name = province.name
        office.authority_name = f"UBND {ward.name.upper()}"
        office.place_name = place
        office.agency_code = f"{office.province_code}.{commune_code}"
        office.updated_at = utcnow()
        session.flush()
        record_event(
            "office_set_up", entity="office", commune_code=commune_code, created=created
        )

    logger.info("Office set up", extra={"commune_code": commune_code})
    return office, created
