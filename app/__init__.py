"""Xã Số: the office suite of a commune People's Committee.

`create_app` is the table of contents of the application: defaults, the
instance configuration, one `init_app` line per extension, then blueprints,
error handlers and commands.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from app import config
from app.extensions import csrf, db, limiter, login_manager, migrate

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application for one office or for the province hub."""
    instance_path = Path(
        os.environ.get("XASO_INSTANCE") or REPOSITORY_ROOT / "instance"
    ).resolve()
    app = Flask(__name__, instance_path=str(instance_path))

    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    config.apply_environment(app)
    if test_config is not None:
        app.config.from_mapping(test_config)
    config.ensure_secret_key(app)
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from app import models  # noqa: F401  (all tables on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPOSITORY_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from app.core import web

    web.register_template_helpers(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Mount every feature's web pages and JSON API."""
    from app.api import api_bp
    from app.auth.views import auth_bp, users_bp
    from app.core.web import core_bp
    from app.dossiers.views import dossiers_bp
    from app.feedback.views import feedback_bp
    from app.lookup.views import lookup_bp
    from app.office.views import office_bp
    from app.open311.views import open311_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(office_bp)
    app.register_blueprint(dossiers_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(lookup_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(open311_bp)
    csrf.exempt(api_bp)


def register_error_handlers(app: Flask) -> None:
    """Translate domain errors and HTTP errors once, for pages and the API."""
    from app.core import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """Add the `flask` commands that CONTRACT.md names."""
    from app.auth.cli import tokens_cli, users_cli
    from app.core.cli import serve_command
    from app.office.cli import catalog_cli, office_cli, setup_command

    app.cli.add_command(setup_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(office_cli)
    app.cli.add_command(serve_command)
