"""Configuration defaults and the environment variables of CONTRACT.md."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask


class Defaults:
    """Settings that hold unless the instance config or environment says else."""

    XASO_MODE = "office"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)
    REMEMBER_COOKIE_DURATION = timedelta(days=7)
    WTF_CSRF_TIME_LIMIT = None
    # Uploads of scanned papers set the ceiling; JSON bodies have their own.
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    MAX_JSON_BYTES = 1024 * 1024
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    TIMEZONE = "Asia/Ho_Chi_Minh"
    # Failed logins before a username is locked, and for how long.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    PAGE_SIZE = 25
    # The office's address on its LAN, for the QR codes citizens scan.
    PUBLIC_BASE_URL = None


def apply_environment(app: Flask) -> None:
    """Read XASO_DATABASE_URL and XASO_MODE and fill the database default."""
    instance = Path(app.instance_path)
    url = os.environ.get("XASO_DATABASE_URL") or app.config.get(
        "SQLALCHEMY_DATABASE_URI"
    )
    if not url:
        url = f"sqlite:///{(instance / 'xaso.sqlite3').as_posix()}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config["XASO_MODE"] = os.environ.get("XASO_MODE", app.config["XASO_MODE"])
    if os.environ.get("XASO_PUBLIC_URL"):
        app.config["PUBLIC_BASE_URL"] = os.environ["XASO_PUBLIC_URL"]


def ensure_secret_key(app: Flask) -> None:
    """Load the instance's secret key, making it on the very first start.

    The instance folder holds citizens' records, so on POSIX it is made
    private to its owner; the database files inside inherit nothing from
    the umask that way.
    """
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if os.name == "posix" and instance.stat().st_mode & 0o077:
        try:
            os.chmod(instance, 0o700)
        except OSError:  # a folder we do not own: the operator decides
            pass
    if app.config.get("SECRET_KEY"):
        return

    key_file = instance / "secret_key"
    if not key_file.exists():
        temporary = key_file.with_suffix(".tmp")
        temporary.write_text(secrets.token_hex(32), encoding="ascii")
        try:
            os.chmod(temporary, 0o600)
        except OSError:  # Windows keeps its own ACLs.
            pass
        os.replace(temporary, key_file)

    app.config["SECRET_KEY"] = key_file.read_text(encoding="ascii").strip()
