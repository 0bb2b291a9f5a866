"""`flask setup` and `flask catalog`."""

from __future__ import annotations

import re
from pathlib import Path

import click

from app.core.cli import CommandFailed
from app.core.errors import DomainError
from app.feedback.reference import load_bundled_reference
from app.office import catalog, services


@click.command("setup")
@click.option("--commune", "code", help="Official code of the commune, e.g. 8707.")
@click.option("--find", "query", help='Look a commune up by name, e.g. "vinh yen".')
def setup_command(code, query):
    """Make this installation the office of a commune and load reference data."""
    if query:
        _print_matches(query)
        return
    if not code:
        raise click.UsageError("Cần --commune MÃ hoặc --find TÊN.")
    if not re.fullmatch(r"[0-9]{1,5}", code.strip()):
        matches, total = services.find_communes(code)
        hint = "".join(f"\n  {c.code}\t{c.name}\t{c.province_name}" for c in matches)
        raise CommandFailed(
            f"Mã xã/phường phải là số (ví dụ 8707), không phải “{code}”."
            + (f" Các đơn vị có tên khớp:{hint}" if matches else "")
        )

    try:
        office, created = services.set_up_office(code)
        result = catalog.load_bundled_catalog()
        channels, categories = load_bundled_reference()
    except DomainError as error:
        raise CommandFailed(error.message) from None

    verb = "Đã thiết lập" if created else "Đã cập nhật"
    click.echo(f"{verb} văn phòng: {office.authority_name} ({office.province_name}).")
    click.echo(f"Danh mục thủ tục: thêm {result.added}, cập nhật {result.updated}.")
    click.echo(f"Phản ánh, kiến nghị: thêm {channels} kênh, {categories} loại.")


def _print_matches(query: str) -> None:
    matches, total = services.find_communes(query)
    if not matches:
        raise CommandFailed(f"Không tìm thấy xã/phường nào khớp “{query}”.")
    for choice in matches:
        click.echo(f"{choice.code}\t{choice.name}\t{choice.province_name}")
    if total > len(matches):
        click.echo(
            f"(Còn {total - len(matches)} đơn vị khác; hãy gõ cụ thể hơn, "
            "ví dụ thêm tên tỉnh.)"
        )


catalog_cli = click.Group("catalog", help="Manage the procedure catalogue.")


@catalog_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_catalog_command(file: Path):
    """Merge a procedure catalogue CSV (code,name,field,time_limit_days,fee_vnd)."""
    try:
        result = catalog.merge_catalog(file.read_bytes(), source=file.name)
    except DomainError as error:
        lines = [error.message] + [f"  {k}: {v}" for k, v in error.fields.items()]
        raise CommandFailed("\n".join(lines)) from None
    click.echo(f"Đã nhập danh mục: thêm {result.added}, cập nhật {result.updated}.")


office_cli = click.Group("office", help="Show this installation's office.")


@office_cli.command("show")
def show_office_command():
    """Print the commune this installation serves; fail before set-up."""
    office = services.get_office()
    if office is None:
        raise CommandFailed("Máy này chưa được thiết lập; chạy lệnh setup.")
    click.echo(
        f"{office.commune_code}\t{office.authority_name}\t{office.province_name}"
    )
