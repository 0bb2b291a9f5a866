"""`flask users` and `flask tokens`."""

from __future__ import annotations

import sys

import click

from app.auth import services
from app.core.errors import DomainError

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
    else:
        password = click.prompt("Mật khẩu", hide_input=True, confirmation_prompt=True)

    try:
        user = services.create_user(username, role, password, full_name)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Đã tạo tài khoản {user.username} ({user.role_label}).")


@tokens_cli.command("create")
@click.argument("username")
def create_token_command(username):
    """Print a new API token for a user, alone on one line."""
    try:
        token = services.create_token(username.strip().lower())
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(token)


@users_cli.command("list")
@click.option("--role", default=None, help="Only users with this role.")
def list_users_command(role):
    """Print the staff accounts, one a line: username, role, full name."""
    for user in services.list_users(role):
        state = "" if user.active else "\t(đã khóa)"
        click.echo(f"{user.username}\t{user.role}\t{user.full_name}{state}")
