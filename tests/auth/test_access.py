"""Sign-in, lockout, API tokens and the role check on every endpoint."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.extensions import db
from tests.conftest import PASSWORD, ApiClient, intake

WEB_PAGES = [
    ("GET", "/dossiers/", "dossiers.view"),
    ("GET", "/dossiers/new", "dossiers.receive"),
    ("GET", "/office/procedures", "procedures.view"),
    ("GET", "/users/", "users.manage"),
    ("GET", "/users/new", "users.manage"),
    ("GET", "/office/settings", "office.manage"),
    ("GET", "/office/calendar", "office.manage"),
    ("GET", "/dossiers/book", "dossiers.print"),
]
API_CALLS = [
    ("GET", "/procedures", "procedures.view"),
    ("GET", "/dossiers", "dossiers.view"),
    ("POST", "/dossiers", "dossiers.receive"),
]
ROLES = ["admin", "leader", "clerk", "officer"]


def test_sign_in_with_the_right_password_opens_the_dossier_list(client, clerk, login):
    response = login(clerk)

    assert response.status_code == 302
    assert client.get("/dossiers/").status_code == 200


def test_a_wrong_password_is_refused_in_vietnamese_and_counted(client, clerk, login):
    response = login(clerk, password="sai-mat-khau-roi")

    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert db.session.get(User, clerk.id).failed_logins == 1


def test_five_failures_lock_the_account_even_for_the_right_password(
    client, clerk, login
):
    for _ in range(5):
        login(clerk, password="sai-mat-khau-roi")

    response = login(clerk)

    assert response.status_code == 401
    assert "tạm khóa" in response.get_data(as_text=True)
    assert client.get("/dossiers/").status_code == 302


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post("/login", data={"username": "khongco", "password": "x" * 12})

    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_sign_in_and_failures_are_in_the_audit_trail(client, clerk, login):
    login(clerk, password="sai-mat-khau-roi")
    login(clerk)

    kinds = db.session.scalars(
        select(AuditEvent.kind).where(AuditEvent.user_id == clerk.id)
    ).all()
    assert "login_failed" in kinds
    assert "login" in kinds
    details = db.session.scalars(select(AuditEvent.detail)).all()
    assert PASSWORD not in str(details)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil"]
)
def test_sign_in_never_redirects_to_another_site(client, clerk, target):
    response = client.post(
        "/login?next=" + target, data={"username": "thuy", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_out_needs_a_post(client, clerk, login):
    login(clerk)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/dossiers/").status_code == 302


def test_forms_refuse_a_post_without_csrf_token(instance):
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        response = app.test_client().post(
            "/login", data={"username": "thuy", "password": PASSWORD}
        )
        db.session.remove()
        db.engine.dispose()

    assert response.status_code == 400


@pytest.mark.parametrize(("method", "path", "permission"), WEB_PAGES)
def test_pages_send_anonymous_visitors_to_sign_in(client, method, path, permission):
    response = client.open(path, method=method)

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "permission"), WEB_PAGES)
def test_pages_answer_each_role_as_the_permission_table_says(
    client, create_user, login, role, method, path, permission
):
    from app.auth.permissions import PERMISSIONS

    login(create_user(role))

    response = client.open(path, method=method)

    expected = 200 if role in PERMISSIONS[permission] else 403
    assert response.status_code == expected


@pytest.mark.parametrize(("method", "path", "permission"), API_CALLS)
def test_api_refuses_missing_or_wrong_tokens_with_401(client, method, path, permission):
    for headers in (
        {},
        {"Authorization": "Bearer xs_not-a-real-token"},
        {"Authorization": "Basic dGh1eTp4"},
    ):
        response = client.open(
            "/api/v1" + path, method=method, headers=headers, json=intake()
        )

        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "permission"), API_CALLS)
def test_api_answers_each_role_as_the_permission_table_says(
    client, create_user, token_for, role, method, path, permission
):
    from app.auth.permissions import PERMISSIONS

    api = ApiClient(client, token_for(create_user(role)))

    response = api.client.open(
        "/api/v1" + path,
        method=method,
        json=intake() if method == "POST" else None,
        headers={"Authorization": f"Bearer {api.token}"},
    )

    if role in PERMISSIONS[permission]:
        assert response.status_code in (200, 201)
    else:
        assert response.status_code == 403
        assert response.json["error"]["message"].startswith("Tài khoản của bạn")


def test_tokens_are_stored_only_as_hashes(clerk, token_for):
    token = token_for(clerk)

    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored
    assert len(stored[0]) == 64


def test_a_deactivated_user_loses_api_access(client, clerk, token_for):
    token = token_for(clerk)
    db.session.get(User, clerk.id).active = False
    db.session.commit()

    response = client.get(
        "/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 401


def test_healthz_answers_without_a_token(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_a_locked_account_tells_a_guesser_nothing(client, clerk, login):
    for _ in range(5):
        login(clerk, password="sai-mat-khau-roi")

    guess = login(clerk, password="van-sai-mat-khau")

    page = guess.get_data(as_text=True)
    assert "tạm khóa" not in page
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page


def test_an_expired_form_says_so_in_vietnamese(instance):
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": True})
    with app.app_context():
        response = app.test_client().post("/login", data={"username": "thuy"})
        db.session.remove()
        db.engine.dispose()

    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
