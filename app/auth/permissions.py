"""Who may do what: one table of permissions, and the checks for each edge."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import request
from flask_login import current_user

from app.auth.services import user_for_token
from app.core.errors import NotAuthenticated, PermissionDenied

PERMISSIONS: dict[str, frozenset[str]] = {
    "dossiers.view": frozenset({"admin", "leader", "clerk", "officer"}),
    "dossiers.receive": frozenset({"clerk", "officer"}),
    # The admin keeps the system running and sees citizens' IDs masked.
    "dossiers.personal_data": frozenset({"leader", "clerk", "officer"}),
    "dossiers.print": frozenset({"leader", "clerk", "officer"}),
    "procedures.view": frozenset({"admin", "leader", "clerk", "officer"}),
    "office.manage": frozenset({"admin"}),
    "users.manage": frozenset({"admin"}),
    "audit.view": frozenset({"admin", "leader"}),
    "feedback.view": frozenset({"admin", "leader", "clerk", "officer"}),
    "feedback.receive": frozenset({"clerk", "officer", "leader"}),
    "feedback.personal_data": frozenset({"leader", "clerk", "officer"}),
    "feedback.print": frozenset({"leader", "clerk", "officer"}),
    "feedback.manage": frozenset({"admin"}),
}

DENIED_MESSAGE = "Tài khoản của bạn không có quyền thực hiện thao tác này."


def can(user, permission: str) -> bool:
    """Tell whether a user holds a permission."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role in PERMISSIONS[permission]


def require(permission: str) -> Callable:
    """Guard a web view: sign-in first, then the role."""
    if permission not in PERMISSIONS:
        raise KeyError(permission)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not can(current_user, permission):
                raise PermissionDenied(DENIED_MESSAGE)
            return view(*args, **kwargs)

        guarded.permission = permission
        return guarded

    return decorator


def api_require(permission: str) -> Callable:
    """Guard a JSON endpoint with a bearer token and a role."""
    if permission not in PERMISSIONS:
        raise KeyError(permission)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            user = api_user()
            if not can(user, permission):
                raise PermissionDenied(DENIED_MESSAGE)
            return view(*args, **kwargs)

        guarded.permission = permission
        return guarded

    return decorator


def api_user():
    """Return the user of this API request's bearer token, or refuse."""
    # Cached on the request itself: tests share one app context, and so g.
    cached = request.environ.get("xaso.api_user")
    if cached is not None:
        return cached

    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(
            "Thiếu mã truy cập; gửi tiêu đề Authorization: Bearer <mã>."
        )
    user = user_for_token(token.strip())
    if user is None:
        raise NotAuthenticated("Mã truy cập không hợp lệ hoặc đã bị thu hồi.")
    request.environ["xaso.api_user"] = user
    return user
