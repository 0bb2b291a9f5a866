"""Fixtures: a real SQLite file per test, built by the real migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db

PASSWORD = "mat-khau-thu-nghiem-9"
STAFF_NAMES = ("An", "Bình", "Cúc", "Dũng", "Đào", "Giang", "Hạnh", "Khoa", "Lan")


@pytest.fixture(scope="session")
def template_instance(tmp_path_factory) -> Path:
    """Migrate and set up one office database that every test copies."""
    instance = tmp_path_factory.mktemp("template-instance")
    app = create_app(_test_config(instance))
    with app.app_context():
        upgrade()
        from app.feedback.reference import load_bundled_reference
        from app.office.catalog import load_bundled_catalog
        from app.office.services import set_up_office

        set_up_office("8707")
        load_bundled_catalog()
        load_bundled_reference()
        db.session.remove()
        db.engine.dispose()
    return instance


def _test_config(instance: Path) -> dict:
    database = (instance / "xaso.sqlite3").as_posix()
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def instance(tmp_path, template_instance, monkeypatch) -> Path:
    """Give the test its own instance folder with a copy of the database."""
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copy(template_instance / "xaso.sqlite3", folder / "xaso.sqlite3")
    monkeypatch.setenv("XASO_INSTANCE", str(folder))
    monkeypatch.delenv("XASO_DATABASE_URL", raising=False)
    monkeypatch.delenv("XASO_MODE", raising=False)
    return folder


@pytest.fixture
def app(instance):
    from app.extensions import limiter

    app = create_app(_test_config(instance))
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def create_user(app):
    """Make users: create_user(role="clerk", username=..., full_name=...)."""
    from app.auth.services import create_user as make

    counter = {"n": 0}

    def factory(role: str = "clerk", **overrides):
        counter["n"] += 1
        username = overrides.pop("username", f"{role}{counter['n']}")
        given = STAFF_NAMES[counter["n"] % len(STAFF_NAMES)]
        full_name = overrides.pop("full_name", f"Cán bộ {given}")
        return make(username, role, overrides.pop("password", PASSWORD), full_name)

    return factory


@pytest.fixture
def clerk(create_user):
    return create_user("clerk", username="thuy", full_name="Nguyễn Thị Thuỷ")


@pytest.fixture
def token_for(app):
    from app.auth.services import create_token

    return lambda user: create_token(user.username)


@pytest.fixture
def api(client, clerk, token_for):
    """A JSON client signed with the clerk's bearer token."""
    return ApiClient(client, token_for(clerk))


class ApiClient:
    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **kwargs):
        return self.client.get("/api/v1" + path, headers=self._headers(), **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(
            "/api/v1" + path, json=json, headers=self._headers(), **kwargs
        )


@pytest.fixture
def login(client):
    """Sign a user in through the real login form."""

    def sign_in(user, password: str = PASSWORD):
        return client.post(
            "/login", data={"username": user.username, "password": password}
        )

    return sign_in


def intake(**overrides) -> dict:
    """Build a valid dossier intake body, with overrides."""
    body = {
        "procedure_code": "1.001193",
        "applicant": {
            "full_name": "Nguyễn Văn An",
            "id_number": "025090001234",
            "phone": "0912345678",
            "address": "Tổ dân phố Đồng Tâm, phường Vĩnh Yên",
        },
        "received_at": "2026-12-03T09:30:00+07:00",
    }
    applicant = overrides.pop("applicant", None)
    if isinstance(applicant, dict):
        body["applicant"] = {**body["applicant"], **applicant}
    elif applicant is not None:
        body["applicant"] = applicant
    body.update(overrides)
    return body
