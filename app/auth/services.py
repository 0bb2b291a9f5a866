"""Account rules: creating users, signing in with a lockout, API tokens."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit.services import record_event
from app.auth.models import HUB_ROLES, OFFICE_ROLES, ApiToken, User
from app.core.database import utcnow, writing
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.timeutil import VIETNAM
from app.core.validation import clean_person_name
from app.extensions import db

logger = logging.getLogger(__name__)

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 10
# Compared against when the username is unknown, so that a wrong username
# takes as long to refuse as a wrong password.
_DUMMY_HASH = generate_password_hash("xaso-timing-equaliser")
# Touch a token's last use at most this often: each write costs an fsync.
_TOKEN_TOUCH_INTERVAL = timedelta(minutes=10)


class LoginRefused(Exception):
    """Sign-in refused; the message is safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def allowed_roles() -> tuple[str, ...]:
    """List the roles that this deployment (office or hub) knows."""
    if current_app.config["XASO_MODE"] == "hub":
        return HUB_ROLES
    return OFFICE_ROLES


def validate_password(password: str) -> None:
    """Refuse passwords that are too short or too plain."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.",
            {"password": "Mật khẩu quá ngắn."},
        )
    if password.isdigit() or len(set(password)) < 4:
        raise ValidationFailed(
            "Mật khẩu quá dễ đoán; vui lòng dùng cả chữ và số.",
            {"password": "Mật khẩu quá dễ đoán."},
        )


def create_user(
    username: str,
    role: str,
    password: str,
    full_name: str | None = None,
    by: User | None = None,
) -> User:
    """Add a staff account with a hashed password."""
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed(
            "Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ -, "
            "dài từ 3 đến 64 ký tự.",
            {"username": "Tên đăng nhập không hợp lệ."},
        )
    if role not in allowed_roles():
        choices = ", ".join(allowed_roles())
        raise ValidationFailed(
            f"Vai trò không hợp lệ; chọn một trong: {choices}.",
            {"role": "Vai trò không hợp lệ."},
        )
    validate_password(password)
    try:
        full_name = clean_person_name(full_name) if full_name else username
    except ValueError as error:
        raise ValidationFailed(str(error), {"full_name": str(error)}) from None

    with writing() as session:
        if session.scalar(select(User.id).where(User.username == username)):
            raise Conflict(f"Tên đăng nhập “{username}” đã có người dùng.")
        user = User(
            username=username,
            role=role,
            full_name=full_name,
            password_hash=generate_password_hash(password),
        )
        session.add(user)
        session.flush()
        record_event(
            "user_created", user=by, entity="user", entity_uuid=user.uuid, role=role
        )
    logger.info("User created", extra={"user_uuid": user.uuid, "role": role})
    return user


def authenticate(username: str, password: str) -> User:
    """Check a sign-in, counting failures and locking after too many."""
    username = (username or "").strip().lower()
    config = current_app.config
    now = utcnow()
    refusal = None

    # The failure is counted and committed before the refusal is raised.
    with writing() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            check_password_hash(_DUMMY_HASH, password or "")
            record_event("login_failed", reason="unknown_user")
            refusal = "Tên đăng nhập hoặc mật khẩu không đúng."
        elif user.locked_until is not None and user.locked_until > now:
            record_event("login_failed", user=user, reason="locked")
            # Only someone who knows the password learns that the account is
            # locked; a guesser gets the same answer as for any wrong pair.
            refusal = "Tên đăng nhập hoặc mật khẩu không đúng."
            if check_password_hash(user.password_hash, password or ""):
                until = user.locked_until.astimezone(VIETNAM).strftime("%H:%M")
                refusal = (
                    "Tài khoản đang tạm khóa do đăng nhập sai nhiều lần; "
                    f"vui lòng thử lại sau {until}."
                )
        elif not user.active or not check_password_hash(
            user.password_hash, password or ""
        ):
            user.failed_logins += 1
            if user.failed_logins >= config["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + timedelta(
                    minutes=config["LOGIN_LOCK_MINUTES"]
                )
                user.failed_logins = 0
            record_event("login_failed", user=user, reason="bad_password")
            refusal = "Tên đăng nhập hoặc mật khẩu không đúng."
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            record_event("login", user=user)

    if refusal is not None:
        raise LoginRefused(refusal)
    return user


def hash_token(token: str) -> str:
    """Return the stored form of an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(username: str) -> str:
    """Make a new API token for a user and return it, the only time it shows."""
    token = "xs_" + secrets.token_urlsafe(32)
    with writing() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"Không có người dùng “{username}”.")
        session.add(ApiToken(user=user, token_hash=hash_token(token), prefix=token[:8]))
        record_event("token_created", user=user, entity="user", entity_uuid=user.uuid)
    return token


def user_for_token(token: str) -> User | None:
    """Find the active user behind a bearer token, or None."""
    if not token or len(token) > 200:
        return None

    row = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None

    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _TOKEN_TOUCH_INTERVAL:
        token_id = row.id
        with writing() as session:
            session.get(ApiToken, token_id).last_used_at = now
        row = db.session.get(ApiToken, token_id)
    return row.user


def load_user(user_id: str) -> User | None:
    """Load the signed-in user for Flask-Login."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def list_users(role: str | None = None) -> list[User]:
    """Return the staff accounts, optionally of one role, by username."""
    query = select(User).order_by(User.username)
    if role:
        query = query.where(User.role == role)
    return list(db.session.scalars(query))


def get_user(user_id: int) -> User:
    """Return a user by id, or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản.")
    return user


def set_user_active(user_id: int, active: bool, by: User) -> User:
    """Lock or unlock an account; nobody can lock their own."""
    if user_id == by.id and not active:
        raise Conflict("Bạn không thể tự khóa tài khoản của mình.")

    with writing() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Không tìm thấy tài khoản.")
        user.active = active
        user.failed_logins = 0
        user.locked_until = None
        user.updated_at = utcnow()
        record_event(
            "user_changed",
            user=by,
            entity="user",
            entity_uuid=user.uuid,
            change="unlocked" if active else "locked",
        )
    return user


def reset_password(user_id: int, password: str, by: User) -> User:
    """Give an account a new password and lift any lockout."""
    validate_password(password)

    with writing() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Không tìm thấy tài khoản.")
        user.password_hash = generate_password_hash(password)
        user.failed_logins = 0
        user.locked_until = None
        user.updated_at = utcnow()
        record_event(
            "user_changed",
            user=by,
            entity="user",
            entity_uuid=user.uuid,
            change="password_reset",
        )
    return user


def revoke_tokens(username: str) -> int:
    """Revoke every active API token of a user; return how many."""
    with writing() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"Không có người dùng “{username}”.")
        now = utcnow()
        count = 0
        for token in user.tokens:
            if token.revoked_at is None:
                token.revoked_at = now
                count += 1
        record_event(
            "user_changed",
            entity="user",
            entity_uuid=user.uuid,
            change="tokens_revoked",
            count=count,
        )
    return count
