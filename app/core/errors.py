"""Domain errors, and their translation once per edge: page, JSON, CLI."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """An error whose message is safe to show to the user, in Vietnamese."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotAuthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class InvalidTransition(DomainError):
    status = 409
    code = "invalid_transition"


class Conflict(DomainError):
    status = 409
    code = "conflict"


SESSION_EXPIRED = (
    "Phiên làm việc đã hết hạn hoặc biểu mẫu đã cũ; vui lòng tải lại trang "
    "rồi nhập lại."
)

# Vietnamese wording for the HTTP errors that Werkzeug raises on its own.
HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Vui lòng đăng nhập để tiếp tục.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc dữ liệu được yêu cầu.",
    405: "Phương thức không được hỗ trợ cho địa chỉ này.",
    413: "Dữ liệu gửi lên quá lớn.",
    415: "Định dạng dữ liệu không được hỗ trợ; vui lòng gửi JSON.",
    429: "Bạn đã thử quá nhiều lần; vui lòng đợi khoảng 10 phút rồi thử lại.",
    500: "Hệ thống gặp lỗi ngoài ý muốn; thao tác chưa được lưu.",
}


def wants_json() -> bool:
    """Tell whether this request expects a JSON answer."""
    path = request.path
    return path.startswith(("/api/", "/healthz")) or (
        request.accept_mimetypes.best == "application/json"
    )


def error_response(status: int, code: str, message: str, fields=None):
    """Answer an error as JSON or as a page, whichever the client wants."""
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = fields
        return jsonify(body), status

    page = render_template(
        "errors/error.html", status=status, message=message, fields=fields or {}
    )
    return page, status


def init_app(app: Flask) -> None:
    """Register the handlers that turn errors into answers."""

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        db.session.rollback()
        return error_response(error.status, error.code, error.message, error.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        db.session.rollback()
        return error_response(400, "session_expired", SESSION_EXPIRED)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        db.session.rollback()
        status = error.code or 500
        message = HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
        code = (error.name or "error").lower().replace(" ", "_")
        return error_response(status, code, message)

    @app.errorhandler(Exception)
    def handle_unexpected_error(error: Exception):
        db.session.rollback()
        logger.error(
            "Unhandled error on %s %s", request.method, request.path, exc_info=error
        )
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
