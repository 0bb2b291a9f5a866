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
from app.core.validation import clean_person_name, clean_phone, clean_text
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

        changed_commune = office.commune_code != commune_code or created
        office.commune_code = commune_code
        office.commune_name = ward.name
        office.division_type = title
        office.province_code = f"{int(province.code):02d}"
        office.province_name = province.name
        office.authority_name = f"UBND {ward.name.upper()}"
        office.place_name = place
        if changed_commune or not office.agency_code:
            # The admin may later set the official identifier instead.
            office.agency_code = f"{office.province_code}.{commune_code}"
        office.updated_at = utcnow()
        session.flush()
        record_event(
            "office_set_up", entity="office", commune_code=commune_code, created=created
        )

    logger.info("Office set up", extra={"commune_code": commune_code})
    return office, created


def update_office_settings(data: dict, by) -> Office:
    """Change what the forms print about the office."""
    checks = {
        "one_stop_unit": lambda v: clean_text(v, "Tên bộ phận một cửa", 160, True),
        "address": lambda v: clean_text(v, "Địa chỉ", 255, False),
        "agency_code": _agency_code,
        "phone": clean_phone,
        "head_name": _optional_name,
    }
    faults, cleaned = {}, {}
    for name, check in checks.items():
        try:
            cleaned[name] = check(data.get(name))
        except ValueError as error:
            faults[name] = str(error)
    if faults:
        raise ValidationFailed("Thông tin văn phòng chưa hợp lệ.", faults)

    with writing() as session:
        office = session.scalar(select(Office).limit(1))
        if office is None:
            raise NotFound("Văn phòng chưa được thiết lập; chạy lệnh setup trước.")
        for name, value in cleaned.items():
            setattr(office, name, value)
        office.updated_at = utcnow()
        record_event("office_set_up", user=by, entity="office", changed=sorted(cleaned))
    return office


def _agency_code(value) -> str:
    code = (value or "").strip()
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.]{0,31}", code):
        raise ValueError("Mã định danh chỉ gồm chữ không dấu, số và dấu chấm.")
    return code


def _optional_name(value):
    return clean_person_name(value) if (value or "").strip() else None
