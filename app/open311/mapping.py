"""GeoReport v2 in feedback terms: services, requests, statuses and names.

A service is a feedback category and a service request a feedback item; its
service_request_id is the item's code. What the protocol calls open are the
states in which the office still owes an answer (received, accepted,
assigned); every other state is closed.

Reading is open to anyone, so an answer never names the submitter: no
name, phone, e-mail, citizen ID or home address. What the citizen wrote
(the description) and where (address, lat, long) is shown only once a
leader has published the office's answer, and status_notes then carries
that answer. Citizens write names, addresses and neighbours' doings into
their feedback; accepting an item for handling is no review for
publication, publishing the answer is the one act in which a leader puts
the matter before the public. Until then the item shows its code, kind,
state and dates; rejected and merged items never show more.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from app.core.errors import ValidationFailed
from app.core.text import has_surrogates, squeeze
from app.core.timeutil import VIETNAM, local, parse_aware
from app.feedback.models import (
    OPEN_STATES,
    STATUS_LABELS,
    FeedbackCategory,
    FeedbackItem,
)
from app.office.models import Office

CHANNEL = "open311"
TITLE_LENGTH = 120
# GeoReport v2, GET Service Requests: unless asked otherwise, answer with
# at most 90 days and at most 1000 requests, whichever limit bites first.
MAX_LISTED = 1000
DEFAULT_SPAN = timedelta(days=90)
# Dates far out break the arithmetic of the span; no feedback lies there.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_IDS = 200
CLOSED_STATES = frozenset(STATUS_LABELS) - OPEN_STATES
GROUP = "Phản ánh, kiến nghị"
# Decree 20/2008/NĐ-CP, art. 8 wants the sender's address as well as the
# name; GeoReport has no parameter for it, so it is a service attribute.
ADDRESS_ATTRIBUTE = "submitter_address"

NAME_MISSING = (
    "Thiếu họ tên người phản ánh; gửi last_name (họ và tên đệm) và first_name "
    "(tên). Kênh này không nhận phản ánh nặc danh (Nghị định 20/2008/NĐ-CP)."
)
ADDRESS_MISSING = (
    "Thiếu địa chỉ người phản ánh (Nghị định 20/2008/NĐ-CP), để cơ quan liên "
    "hệ và gửi trả lời."
)

# The GeoReport parameter behind each field of a feedback intake.
PARAMETERS = {
    "title": "description",
    "content": "description",
    "category_code": "service_code",
    "location": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "submitter": "first_name, last_name",
    "submitter.full_name": "first_name, last_name",
    "submitter.phone": "phone",
    "submitter.email": "email",
    "submitter.address": f"attribute[{ADDRESS_ATTRIBUTE}]",
}
_ATTRIBUTE_KEY = re.compile(r"^attribute\[(.{1,64})\]$")
# An unencoded "+" in a query string arrives as a space: "...T09:00:00 07:00".
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


@dataclass
class Posted:
    """A POST's text parameters, its attributes and what could not be read."""

    params: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)


@dataclass
class RequestFilter:
    """The checked filters of GET requests."""

    codes: list[str]
    service_codes: list[str]
    since: datetime | None
    until: datetime | None
    states: frozenset[str] | None


def read_posted(data: Mapping[str, Any]) -> Posted:
    """Collect the parameters of a form or JSON body as plain text."""
    posted = Posted()
    for key, value in data.items():
        if key == "attribute" and isinstance(value, dict):
            for code, inner in value.items():
                name = f"attribute[{code}]"
                _keep(posted, posted.attributes, name, code, inner)
            continue
        match = _ATTRIBUTE_KEY.match(key)
        if match:
            _keep(posted, posted.attributes, key, match.group(1), value)
        else:
            _keep(posted, posted.params, key, key, value)
    return posted


def _keep(posted: Posted, into: dict, name: str, key: str, value: Any) -> None:
    if value is None or has_surrogates(name):
        return
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        posted.faults[name] = "Phải là một giá trị chữ hoặc số."
    elif isinstance(value, str) and has_surrogates(value):
        posted.faults[name] = "Có ký tự Unicode không hợp lệ."
    else:
        into[key] = str(value).strip()


def submitter_name(first_name: str, last_name: str) -> str:
    """Join GeoReport's two name fields the Vietnamese way, family first."""
    # GeoReport's first_name is the given name and last_name the family
    # name; a Vietnamese full name puts the family (and middle) names first:
    # last_name "Nguyễn Văn" and first_name "An" make "Nguyễn Văn An".
    parts = (squeeze(last_name), squeeze(first_name))
    return " ".join(part for part in parts if part)


def title_from(description: str) -> str:
    """Make a feedback title of the description's first line, cut at a word."""
    lines = (squeeze(line) for line in description.splitlines())
    first = next((line for line in lines if line), "")
    if len(first) <= TITLE_LENGTH:
        return first

    cut = first[: TITLE_LENGTH - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"


def intake_from(
    posted: Posted, requires_name: bool, known_service_codes: set[str] | None = None
) -> dict[str, Any]:
    """Turn a POST into a feedback intake, or raise ValidationFailed."""
    params, faults = posted.params, dict(posted.faults)
    service_code = params.get("service_code", "")
    description = params.get("description", "")
    if not service_code:
        faults.setdefault("service_code", "Thiếu mã loại (xem services.json).")
    elif known_service_codes is not None and service_code not in known_service_codes:
        faults.setdefault(
            "service_code", "Không có loại phản ánh này (xem services.json)."
        )
    if not description:
        faults.setdefault("description", "Thiếu nội dung phản ánh.")

    latitude, longitude = _coordinates(params, faults)
    address = params.get("address_string", "")
    if latitude is None and not address and "lat, long" not in faults:
        if params.get("address_id"):
            faults["address_id"] = (
                "Xã Số không dùng mã địa chỉ; vui lòng gửi address_string "
                "hoặc lat và long."
            )
        else:
            faults["address_string"] = (
                "Thiếu vị trí; gửi lat và long, hoặc address_string (địa chỉ, "
                "thôn, tổ dân phố nơi xảy ra sự việc)."
            )

    given, family = params.get("first_name", ""), params.get("last_name", "")
    name = submitter_name(given, family)
    home = posted.attributes.get(ADDRESS_ATTRIBUTE, "")
    if requires_name and not name:
        faults["first_name, last_name"] = NAME_MISSING
    if requires_name and not home:
        faults[f"attribute[{ADDRESS_ATTRIBUTE}]"] = ADDRESS_MISSING
    if faults:
        raise ValidationFailed("Yêu cầu Open311 chưa đủ thông tin.", faults)

    submitter = {
        "full_name": name or None,
        "phone": params.get("phone") or None,
        "email": params.get("email") or None,
        "address": home or None,
    }
    return {
        "channel": CHANNEL,
        "category_code": service_code,
        "title": title_from(description),
        "content": description,
        "submitter": submitter if any(submitter.values()) else None,
        "location": address or None,
        "latitude": latitude,
        "longitude": longitude,
    }


def _coordinates(
    params: dict[str, str], faults: dict[str, str]
) -> tuple[float | None, float | None]:
    latitude, longitude = params.get("lat", ""), params.get("long", "")
    if not latitude and not longitude:
        return None, None
    if not latitude or not longitude:
        faults["lat, long"] = "Cần gửi cả vĩ độ (lat) và kinh độ (long)."
        return None, None

    try:
        point = float(latitude), float(longitude)
    except ValueError:
        point = (math.nan, math.nan)
    if not all(math.isfinite(value) for value in point):
        faults["lat, long"] = (
            "lat và long phải là số thập phân theo WGS84, ví dụ lat=21.3089 "
            "và long=105.6045."
        )
        return None, None
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        faults["lat, long"] = "Vĩ độ phải trong ±90 và kinh độ trong ±180."
        return None, None
    return point


def error_descriptions(error: ValidationFailed) -> list[str]:
    """Name the GeoReport parameter behind each fault of a refused intake."""
    if not error.fields:
        return [error.message]

    described: dict[str, str] = {}
    for name, text in error.fields.items():
        parameter = PARAMETERS.get(name, name)
        described.setdefault(parameter, f"{parameter}: {text}")
    return list(described.values())


def parse_filter(args: Mapping[str, str], now: datetime) -> RequestFilter:
    """Check the filters of GET requests, or raise ValidationFailed."""
    faults: dict[str, str] = {}
    codes = _listed(args.get("service_request_id"))
    service_codes = _listed(args.get("service_code"))
    if len(codes) > MAX_IDS or any(len(code) > 40 for code in codes):
        faults["service_request_id"] = f"Tối đa {MAX_IDS} mã, mỗi mã 40 ký tự."
    if len(service_codes) > 50 or any(len(c) > 32 for c in service_codes):
        faults["service_code"] = "Tối đa 50 mã loại, mỗi mã 32 ký tự."

    states = None
    wanted = {status.lower() for status in _listed(args.get("status"))}
    if wanted - {"open", "closed"}:
        faults["status"] = "Chọn open, closed hoặc cả hai (open,closed)."
    elif wanted:
        states = (OPEN_STATES if "open" in wanted else frozenset()) | (
            CLOSED_STATES if "closed" in wanted else frozenset()
        )

    since = _moment(args.get("start_date"), "start_date", faults)
    until = _moment(args.get("end_date"), "end_date", faults)
    if since and until and until < since:
        faults["end_date"] = "end_date phải sau start_date."
    if faults:
        raise ValidationFailed("Điều kiện lọc chưa hợp lệ.", faults)

    if codes:
        # GeoReport v2: the ids take precedence over every other filter.
        return RequestFilter(codes, [], None, None, None)
    if since is None and until is None:
        since = now - DEFAULT_SPAN
    elif since is None:
        since = until - DEFAULT_SPAN
    elif until is None:
        until = since + DEFAULT_SPAN
    return RequestFilter([], service_codes, since, until, states)


def _listed(raw: str | None) -> list[str]:
    values = (part.strip() for part in (raw or "").split(","))
    return list(dict.fromkeys(value for value in values if value))


def _moment(raw: str | None, name: str, faults: dict) -> datetime | None:
    if not raw or not raw.strip():
        return None
    try:
        moment = parse_aware(_SPACED_OFFSET.sub(r"+\1", raw.strip()), name)
        moment = moment.astimezone(UTC)
    except ValidationFailed as error:
        faults[name] = (
            f"{error.message} Ví dụ: 2026-12-01T00:00:00+07:00 "
            "(dấu + viết là %2B trong địa chỉ)."
        )
        return None
    except OverflowError:
        # 0001-01-01T00:00:00+23:59 parses, but is before the first UTC day.
        moment = None
    if moment is None or not EARLIEST <= moment <= LATEST:
        faults[name] = f"Chỉ tìm được trong các năm {EARLIEST.year}-{LATEST.year}."
        return None
    return moment


def attributes_for(requires_name: bool) -> list[dict[str, Any]]:
    """List the attributes every service asks for, in the protocol's shape."""
    return [
        {
            "variable": True,
            "code": ADDRESS_ATTRIBUTE,
            "datatype": "string",
            "required": requires_name,
            "datatype_description": "Số nhà, đường, thôn hoặc tổ dân phố.",
            "order": 1,
            "description": (
                "Địa chỉ của người phản ánh, để cơ quan liên hệ và gửi trả "
                "lời; không được công khai."
            ),
            "values": [],
        }
    ]


def service_out(category: FeedbackCategory, has_attributes: bool) -> dict:
    """Describe a feedback category as a GeoReport service."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": has_attributes,
        "type": "realtime",
        "keywords": _keywords(category),
        "group": GROUP,
    }


def _keywords(category: FeedbackCategory) -> str:
    # The bundled names and descriptions are comma-separated lists of the
    # matters a category covers, which is what keywords are for.
    parts = f"{category.name},{category.description or ''}".split(",")
    words = (part.strip().lower() for part in parts)
    return ", ".join(dict.fromkeys(word for word in words if word))


def definition_out(category: FeedbackCategory, attributes: list) -> dict:
    """Describe a service's definition: its code and its attributes."""
    return {"service_code": category.code, "attributes": attributes}


def created_out(item: FeedbackItem, media_url_given: bool) -> dict[str, Any]:
    """Answer a POST: the new item's code and what happens next."""
    notice = (
        f"Đã tiếp nhận phản ánh mã {item.code}; hạn xử lý: ngày "
        f"{item.due_date:%d/%m/%Y}."
    )
    if media_url_given:
        notice += (
            " Ảnh gửi qua media_url chưa được lưu; nếu cần, vui lòng gửi ảnh "
            "trực tiếp tới bộ phận một cửa."
        )
    # Xã Số keeps no citizen accounts, so there is no account_id to give.
    return {
        "service_request_id": item.code,
        "service_notice": notice,
        "account_id": None,
    }


def request_out(item: FeedbackItem, office: Office | None) -> dict[str, Any]:
    """Describe a feedback item as a public service request, naming nobody."""
    # Only a published answer puts what the citizen wrote before the public.
    public = item.published_at is not None
    is_open = item.status in OPEN_STATES
    category = item.category
    return {
        "service_request_id": item.code,
        "status": "open" if is_open else "closed",
        "status_notes": _status_notes(item),
        "service_name": category.name if category else None,
        "service_code": item.category_code,
        # The title, not the citizen's own words: the web's public pages
        # show the same, and it passed the check for personal data.
        "description": item.title if public else None,
        "agency_responsible": office.authority_name if office else None,
        "service_notice": (
            f"Hạn xử lý: ngày {item.due_date:%d/%m/%Y}." if is_open else None
        ),
        "requested_datetime": _iso(item.received_at),
        "updated_datetime": _iso(item.updated_at),
        "expected_datetime": _end_of(item),
        "address": item.location if public else None,
        "address_id": None,
        "zipcode": None,
        "lat": item.latitude if public else None,
        "long": item.longitude if public else None,
        "media_url": None,
    }


def _status_notes(item: FeedbackItem) -> str:
    if item.published_at is not None and item.response:
        return item.response
    if item.duplicate_of_id is not None:
        return f"Trùng với phản ánh {item.duplicate_of.code}, đã gộp vào đó."
    label = STATUS_LABELS.get(item.status, item.status)
    if item.status in OPEN_STATES or item.status == "responded":
        return f"{label}; nội dung phản ánh công khai cùng câu trả lời."
    return f"{label}."


def _iso(moment: datetime) -> str:
    return local(moment).isoformat(timespec="seconds")


def _end_of(item: FeedbackItem) -> str:
    # A due date means "within that day" in the office's time zone.
    last = datetime.combine(item.due_date, time(23, 59, 59), tzinfo=VIETNAM)
    return last.isoformat(timespec="seconds")
