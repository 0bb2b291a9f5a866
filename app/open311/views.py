"""The GeoReport v2 endpoints: parse, call the feedback services, answer."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.exceptions import RequestEntityTooLarge as PayloadTooLarge

from app.auth.models import User
from app.auth.permissions import can
from app.auth.services import user_for_token
from app.core.database import utcnow
from app.core.errors import (
    HTTP_MESSAGES,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from app.extensions import csrf, db, limiter
from app.feedback import services
from app.feedback.models import FeedbackChannel
from app.office.services import get_office
from app.open311 import mapping, protocol, queries

logger = logging.getLogger(__name__)

open311_bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
# Clients prove who they are with api_key in the body, never with a session
# cookie, so there is no signed-in browser whose form could be forged.
csrf.exempt(open311_bp)

# Per client address: enough for an app relaying a ward's reports, too few
# to flood the clerks' list.
POST_LIMIT = "30 per 10 minutes"
UNKNOWN_FORMAT = "Chỉ hỗ trợ định dạng .json và .xml."
GEOREPORT_METHODS = ["GET", "POST"]


@open311_bp.get("/services.<fmt>")
def service_list(fmt: str):
    """List every active feedback category as a service."""
    _check_format(fmt)
    _check_jurisdiction(request.args.get("jurisdiction_id"))
    has_attributes = bool(mapping.attributes_for(_requires_name()))
    body = [
        mapping.service_out(category, has_attributes)
        for category in services.list_categories()
    ]
    return protocol.answer(fmt, "services", body)


@open311_bp.get("/services/<service_code>.<fmt>")
def service_definition(service_code: str, fmt: str):
    """Describe one service and the attributes a request for it may carry."""
    _check_format(fmt)
    category = queries.fetch_service(service_code)
    if category is None:
        raise NotFound(f"Không có loại phản ánh mã “{service_code}”.")

    attributes = mapping.attributes_for(_requires_name())
    body = mapping.definition_out(category, attributes)
    return protocol.answer(fmt, "service_definition", body)


@open311_bp.post("/requests.<fmt>")
@limiter.limit(POST_LIMIT)
def request_create(fmt: str):
    """Receive a service request as feedback through the open311 channel."""
    _check_format(fmt)
    _check_jurisdiction(request.values.get("jurisdiction_id"))
    posted = mapping.read_posted(_posted_data())
    reporter = _reporter(posted.params.get("api_key", ""))
    channel = _channel()
    if channel is None:
        raise PermissionDenied(
            "Văn phòng đang không nhận phản ánh qua giao diện Open311."
        )

    known = {category.code for category in services.list_categories()}
    intake = mapping.intake_from(posted, channel.requires_name, known)
    received = services.receive_feedback(services.parse_intake(intake), reporter)

    has_media = bool(posted.params.get("media_url"))
    created = mapping.created_out(received.item, has_media)
    # 200 rather than 201: the plain success that any GeoReport client takes.
    return protocol.answer(fmt, "service_requests", [created])


@open311_bp.get("/requests.<fmt>")
def request_list(fmt: str):
    """List service requests, newest first, at most a thousand."""
    _check_format(fmt)
    filters = mapping.parse_filter(request.args, utcnow())
    items = queries.fetch_service_requests(
        codes=filters.codes,
        service_codes=filters.service_codes,
        since=filters.since,
        until=filters.until,
        states=filters.states,
        limit=mapping.MAX_LISTED,
    )

    office = get_office()
    body = [mapping.request_out(item, office) for item in items]
    return protocol.answer(fmt, "service_requests", body)


@open311_bp.get("/requests/<request_id>.<fmt>")
def request_show(request_id: str, fmt: str):
    """Show one service request, as a list of one the way the spec has it."""
    _check_format(fmt)
    item = services.get_item(request_id)
    body = [mapping.request_out(item, get_office())]
    return protocol.answer(fmt, "service_requests", body)


@open311_bp.route("/<path:unknown>", methods=[*GEOREPORT_METHODS, "PUT", "DELETE"])
def unknown_resource(unknown: str):
    """Refuse what GeoReport v2 does not define, in the protocol's format."""
    if request.method not in GEOREPORT_METHODS:
        raise MethodNotAllowed(valid_methods=GEOREPORT_METHODS)
    raise NotFound(
        "Không có tài nguyên này; giao diện Open311 có services, "
        "services/{mã}, requests và requests/{mã}, mỗi tài nguyên dạng .json "
        "hoặc .xml."
    )


@open311_bp.errorhandler(DomainError)
def handle_domain_error(error: DomainError):
    """Answer a refused request in the protocol's error format."""
    db.session.rollback()
    fmt = _requested_format()
    if isinstance(error, ValidationFailed):
        return protocol.error_answer(fmt, 400, mapping.error_descriptions(error))
    return protocol.error_answer(fmt, error.status, [error.message])


@open311_bp.errorhandler(HTTPException)
def handle_http_error(error: HTTPException):
    """Answer Werkzeug's and the rate limiter's errors in the protocol format."""
    db.session.rollback()
    status = error.code or 500
    message = HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
    response = protocol.error_answer(_requested_format(), status, [message])
    # Keep what the error says besides its body, such as Allow on a 405.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@open311_bp.errorhandler(Exception)
def handle_unexpected_error(error: Exception):
    """Log a failure and answer 500 in the protocol's format."""
    db.session.rollback()
    logger.error(
        "Unhandled Open311 error on %s %s",
        request.method,
        request.path,
        exc_info=error,
    )
    fmt = _requested_format()
    return protocol.error_answer(fmt, 500, [HTTP_MESSAGES[500]])


def _check_format(fmt: str) -> None:
    if fmt not in protocol.CONTENT_TYPES:
        raise NotFound(UNKNOWN_FORMAT)


def _requested_format() -> str:
    return protocol.format_of(request.path.rsplit(".", 1)[-1])


def _posted_data():
    if (request.content_length or 0) > current_app.config["MAX_JSON_BYTES"]:
        raise PayloadTooLarge()
    if not request.is_json:
        return request.form

    try:
        data = request.get_json(silent=True)
    except RecursionError:
        # The json module raises this, not ValueError, on deep nesting.
        data = None
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Nội dung JSON không đọc được; GeoReport v2 gửi dạng biểu mẫu "
            "(application/x-www-form-urlencoded)."
        )
    return data


def _reporter(api_key: str) -> User:
    # GeoReport v2 answers 403 to a missing or wrong api_key.
    if not api_key:
        raise PermissionDenied("Thiếu api_key; xin mã truy cập tại UBND.")
    user = user_for_token(api_key)
    if user is None:
        raise PermissionDenied("api_key không hợp lệ hoặc đã bị thu hồi.")
    if not can(user, "feedback.receive"):
        raise PermissionDenied(
            "Tài khoản của api_key này không có quyền tiếp nhận phản ánh."
        )
    return user


def _channel() -> FeedbackChannel | None:
    for channel in services.list_channels():
        if channel.code == mapping.CHANNEL:
            return channel
    return None


def _requires_name() -> bool:
    channel = _channel()
    return channel is None or channel.requires_name


def _check_jurisdiction(jurisdiction_id: str | None) -> None:
    """Refuse a jurisdiction other than this commune (GeoReport v2: 404)."""
    if not jurisdiction_id:
        return
    office = get_office()
    ours = {office.commune_code, office.agency_code} if office else set()
    if jurisdiction_id.strip() not in ours:
        raise NotFound(
            "Máy chủ này chỉ phục vụ một đơn vị; jurisdiction_id không đúng "
            f"(dùng {office.commune_code if office else 'mã xã'})."
        )
