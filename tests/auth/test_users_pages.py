"""The admin's account pages: create, lock, unlock, reset a password."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db

NEW_CLERK = {
    "username": "lan.nt",
    "full_name": "Nguyễn Thị Lan",
    "role": "clerk",
    "password": "mat-khau-moi-2026",
    "confirm": "mat-khau-moi-2026",
}


def sign_in(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_the_admin_creates_a_clerk_who_can_then_sign_in(client, create_user, login):
    admin = create_user("admin")
    login(admin)

    response = client.post("/users/new", data=NEW_CLERK)
    client.post("/logout")

    assert response.status_code == 302
    assert sign_in(client, "lan.nt", "mat-khau-moi-2026").status_code == 302
    lan = db.session.scalar(select(User).where(User.username == "lan.nt"))
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.kind == "user_created", AuditEvent.entity_uuid == lan.uuid
        )
    )
    assert event.user_id == admin.id
    assert lan.role == "clerk"


def test_mismatched_or_short_passwords_are_refused(client, create_user, login):
    login(create_user("admin"))

    mismatch = client.post(
        "/users/new", data={**NEW_CLERK, "confirm": "khac-han-roi-1"}
    )
    short = client.post(
        "/users/new", data={**NEW_CLERK, "password": "ngan", "confirm": "ngan"}
    )

    assert mismatch.status_code == 422
    assert "Hai lần nhập mật khẩu không khớp." in mismatch.get_data(as_text=True)
    assert short.status_code == 422
    assert "ít nhất 10 ký tự" in short.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "lan.nt")) is None


def test_a_taken_username_is_refused(client, create_user, login, clerk):
    login(create_user("admin"))

    response = client.post("/users/new", data={**NEW_CLERK, "username": "thuy"})

    assert response.status_code == 409
    assert "đã có người dùng" in response.get_data(as_text=True)


def test_a_locked_account_cannot_sign_in_until_unlocked(
    client, create_user, login, clerk
):
    from tests.conftest import PASSWORD

    login(create_user("admin"))
    client.post(f"/users/{clerk.id}/active", data={"active": "0"})
    client.post("/logout")

    refused = sign_in(client, "thuy", PASSWORD)
    login(db.session.scalar(select(User).where(User.role == "admin")))
    client.post(f"/users/{clerk.id}/active", data={"active": "1"})
    client.post("/logout")
    accepted = sign_in(client, "thuy", PASSWORD)

    assert refused.status_code == 401
    assert accepted.status_code == 302


def test_the_admin_cannot_lock_their_own_account(client, create_user, login):
    admin = create_user("admin")
    login(admin)

    response = client.post(f"/users/{admin.id}/active", data={"active": "0"})

    assert response.status_code == 409
    assert db.session.get(User, admin.id).active


def test_a_reset_password_replaces_the_old_one_and_lifts_the_lockout(
    client, create_user, login, clerk
):
    from tests.conftest import PASSWORD

    for _ in range(5):
        sign_in(client, "thuy", "sai-mat-khau-roi")
    login(create_user("admin"))

    response = client.post(
        f"/users/{clerk.id}/password",
        data={"password": "mat-khau-thay-2026", "confirm": "mat-khau-thay-2026"},
    )
    client.post("/logout")

    assert response.status_code == 302
    assert sign_in(client, "thuy", PASSWORD).status_code == 401
    assert sign_in(client, "thuy", "mat-khau-thay-2026").status_code == 302
