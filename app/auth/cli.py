"""`flask users` and `flask tokens`."""

from __future__ import annotations

import sys

import click

from app.auth import services
from app.core.cli import CommandFailed
from app.core.errors import DomainError, ValidationFailed

users_cli = click.Group("users", help="Manage staff accounts.")
tokens_cli = click.Group("tokens", help="Manage API tokens.")


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role", required=True, help="admin, leader, clerk or officer (hub: province)."
)
@click.option("--full-name", default=None, help="Full name, as the forms print it.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
def create_user_command(username, role, full_name, password_stdin):
    """Create a staff account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        try:
            user = services.create_user(username, role, password, full_name)
        except DomainError as error:
            raise CommandFailed(error.message) from None
    else:
        user = _create_asking_for_password(username, role, full_name)
    click.echo(f"Đã tạo tài khoản {user.username} ({user.role_label}).")


def _create_asking_for_password(username, role, full_name):
    # At a terminal a weak password is asked again, not a reason to stop.
    for _ in range(5):
        password = click.prompt("Mật khẩu (ít nhất 10 ký tự)", hide_input=True)
        again = click.prompt("Nhập lại mật khẩu", hide_input=True)
        if password != again:
            click.echo("Hai lần nhập không khớp; vui lòng nhập lại.", err=True)
            continue
        try:
            return services.create_user(username, role, password, full_name)
        except ValidationFailed as error:
            if "password" not in error.fields:
                raise CommandFailed(error.message) from None
            click.echo(error.message, err=True)
        except DomainError as error:
            raise CommandFailed(error.message) from None
    raise CommandFailed("Đã thử năm lần; chưa tạo tài khoản.")


@tokens_cli.command("create")
@click.argument("username")
def create_token_command(username):
    """Print a new API token for a user, alone on one line."""
    try:
        token = services.create_token(username.strip().lower())
    except DomainError as error:
        raise CommandFailed(error.message) from None
    click.echo(token)


@users_cli.command("list")
@click.option("--role", default=None, help="Only users with this role.")
def list_users_command(role):
    """Print the staff accounts, one a line: username, role, full name."""
    for user in services.list_users(role):
        state = "" if user.active else "\t(đã khóa)"
        click.echo(f"{user.username}\t{user.role}\t{user.full_name}{state}")


@tokens_cli.command("revoke")
@click.argument("username")
def revoke_tokens_command(username):
    """Revoke every API token of a user (for a lost or leaked token)."""
    try:
        count = services.revoke_tokens(username.strip().lower())
    except DomainError as error:
        raise CommandFailed(error.message) from None
    click.echo(f"Đã thu hồi {count} mã truy cập của {username}.")
