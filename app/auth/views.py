"""Sign-in and sign-out pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.audit.services import record_event
from app.auth import services
from app.auth.forms import LoginForm
from app.core.database import writing
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
