"""`flask serve`: the production server (waitress, also on Windows)."""

from __future__ import annotations

import logging

import click
from flask import current_app

from app.core.database import refresh_statistics


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 32),
    help="Worker threads.",
)
def serve_command(host: str, port: int, threads: int):
    """Serve the application with waitress."""
    from waitress import serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # WeasyPrint narrates every layout step at INFO.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    app = current_app._get_current_object()
    refresh_statistics()
    click.echo(f"Xã Số đang phục vụ tại http://{host}:{port}/ (Ctrl+C để dừng)")
    serve(app, host=host, port=port, threads=threads, ident="xaso")


class CommandFailed(click.ClickException):
    """A command that stops with a Vietnamese message and exit status 1."""

    def show(self, file=None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True, file=file)
