"""Sign-in and sign-out pages, and the admin's account pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from app.audit.services import record_event
from app.auth import services
from app.auth.forms import ROLE_CHOICES, LoginForm, PasswordResetForm, UserForm
from app.auth.permissions import require
from app.core.database import writing
from app.core.errors import Conflict, ValidationFailed
from app.extensions import login_manager

auth_bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"
login_manager.user_loader(services.load_user)


def safe_next(target: str | None) -> str:
    """Return a local redirect target, never another site's."""
    if not target:
        return url_for("core.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return url_for("core.home")
    if target.startswith("//") or "\\" in target:
        return url_for("core.home")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return url_for("core.home")
    return target


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))

    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except services.LoginRefused as refusal:
            form.password.errors.append(refusal.message)
            status = 401
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400

    return render_template("auth/login.html", form=form), status


@auth_bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out."""
    with writing():
        record_event("logout", user=current_user)
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


users_bp = Blueprint("users", __name__, url_prefix="/users")


@users_bp.get("/")
@require("users.manage")
def index():
    """List the staff accounts of the office."""
    return render_template("auth/users.html", users=services.list_users())


@users_bp.route("/new", methods=["GET", "POST"])
@require("users.manage")
def new():
    """Show the new-account form and create the account."""
    form = UserForm()
    form.role.choices = [c for c in ROLE_CHOICES if c.value in services.allowed_roles()]
    status = 200
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.username.data,
                form.role.data,
                form.password.data,
                form.full_name.data,
                by=current_user,
            )
        except ValidationFailed as failure:
            _attach(form, failure)
            status = 422
        except Conflict as conflict:
            form.username.errors = [*form.username.errors, conflict.message]
            status = 409
        else:
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect(url_for("users.index"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/user_new.html", form=form), status


@users_bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@require("users.manage")
def password(user_id: int):
    """Set a new password for an account."""
    user = services.get_user(user_id)
    form = PasswordResetForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.reset_password(user.id, form.password.data, by=current_user)
        except ValidationFailed as failure:
            _attach(form, failure)
            status = 422
        else:
            flash(f"Đã đặt mật khẩu mới cho {user.username}.", "success")
            return redirect(url_for("users.index"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/user_password.html", form=form, user=user), status


@users_bp.post("/<int:user_id>/active")
@require("users.manage")
def toggle_active(user_id: int):
    """Lock or unlock an account."""
    form = FlaskForm()
    if not form.validate_on_submit():
        raise ValidationFailed("Phiên làm việc đã hết hạn; vui lòng thử lại.")
    active = request.form.get("active") == "1"
    user = services.set_user_active(user_id, active, by=current_user)
    verb = "Đã mở khóa" if active else "Đã khóa"
    flash(f"{verb} tài khoản {user.username}.", "success")
    return redirect(url_for("users.index"))


def _attach(form, failure: ValidationFailed) -> None:
    for name, message in failure.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, message]
    if not failure.fields or not any(name in form for name in failure.fields):
        form.form_errors.append(failure.message)
