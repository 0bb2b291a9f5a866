"""`flask setup`, `flask catalog import`, `flask users` and `flask tokens`."""

from sqlalchemy import func, select

from app.extensions import db
from app.office.models import Office, Procedure


def count_procedures() -> int:
    return db.session.scalar(select(func.count()).select_from(Procedure))


def test_setup_makes_the_office_of_phuong_vinh_yen(runner):
    result = runner.invoke(args=["setup", "--commune", "8707"])

    assert result.exit_code == 0, result.output
    office = db.session.scalar(select(Office))
    assert office.commune_code == "08707"
    assert office.authority_name == "UBND PHƯỜNG VĨNH YÊN"
    assert office.province_name == "Phú Thọ"
    assert office.place_name == "Vĩnh Yên"
    assert office.name_in_text == "phường Vĩnh Yên"


def test_setup_is_safe_to_run_again(runner):
    before = count_procedures()

    first = runner.invoke(args=["setup", "--commune", "8707"])
    second = runner.invoke(args=["setup", "--commune", "8707"])

    assert first.exit_code == second.exit_code == 0
    assert "thêm 0, cập nhật 0" in second.output
    assert count_procedures() == before
    assert db.session.scalar(select(func.count()).select_from(Office)) == 1


def test_an_unknown_commune_code_is_refused_with_a_way_to_look_it_up(runner):
    result = runner.invoke(args=["setup", "--commune", "99999"])

    assert result.exit_code == 1
    assert "Không có xã, phường hay đặc khu nào mang mã 99999" in result.output
    assert "--find" in result.output


def test_communes_can_be_found_by_name_without_diacritics(runner):
    plain = runner.invoke(args=["setup", "--find", "vinh yen"])
    marked = runner.invoke(args=["setup", "--find", "Vĩnh Yên"])

    assert "08707\tPhường Vĩnh Yên\tPhú Thọ" in plain.output
    assert plain.output == marked.output


def test_catalog_import_merges_new_and_changed_rows(runner, tmp_path):
    csv_file = tmp_path / "danh-muc.csv"
    csv_file.write_text(
        "code,name,field,time_limit_days,fee_vnd\n"
        "1.001193,Đăng ký khai sinh,Hộ tịch,0,0\n"
        '9.000001,"Thủ tục thử, có dấu phẩy",Thử nghiệm,5,20000\n',
        encoding="utf-8",
    )
    before = count_procedures()

    result = runner.invoke(args=["catalog", "import", str(csv_file)])

    assert result.exit_code == 0, result.output
    assert "thêm 1" in result.output
    assert count_procedures() == before + 1
    added = db.session.get(Procedure, "9.000001")
    assert added.name == "Thủ tục thử, có dấu phẩy"
    assert added.time_limit_days == 5
    assert added.fee_vnd == 20000


def test_a_catalog_with_one_bad_row_changes_nothing(runner, tmp_path):
    csv_file = tmp_path / "hong.csv"
    csv_file.write_text(
        "code,name,field,time_limit_days,fee_vnd\n"
        "9.000002,Thủ tục tốt,Thử nghiệm,5,0\n"
        "9.000003,Thủ tục hỏng,Thử nghiệm,năm,0\n",
        encoding="utf-8",
    )
    before = count_procedures()

    result = runner.invoke(args=["catalog", "import", str(csv_file)])

    assert result.exit_code == 1
    assert "dòng 3" in result.output
    assert count_procedures() == before


def test_a_catalog_missing_columns_is_refused(runner, tmp_path):
    csv_file = tmp_path / "thieu.csv"
    csv_file.write_text("code,name\n1.1,Tên\n", encoding="utf-8")

    result = runner.invoke(args=["catalog", "import", str(csv_file)])

    assert result.exit_code == 1
    assert "thiếu cột" in result.output


def test_users_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "hoa",
            "--role",
            "officer",
            "--full-name",
            "Lê Thị Hoà",
            "--password-stdin",
        ],
        input="mot-mat-khau-dai-1\n",
    )

    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["users", "list", "--role", "officer"])
    assert "hoa\tofficer\tLê Thị Hoà" in listed.output


def test_users_create_refuses_a_short_password_and_an_unknown_role(runner):
    short = runner.invoke(
        args=["users", "create", "hoa", "--role", "clerk", "--password-stdin"],
        input="ngan\n",
    )
    role = runner.invoke(
        args=["users", "create", "hoa", "--role", "king", "--password-stdin"],
        input="mot-mat-khau-dai-1\n",
    )

    assert short.exit_code == 1 and "ít nhất 10 ký tự" in short.output
    assert role.exit_code == 1 and "Vai trò không hợp lệ" in role.output


def test_tokens_create_prints_the_token_alone_on_one_line(runner, clerk):
    result = runner.invoke(args=["tokens", "create", "thuy"])

    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert len(lines) == 1
    assert lines[0].startswith("xs_") and len(lines[0]) > 40


def test_every_command_has_help_text(app):
    import click

    def walk(group, prefix=""):
        for name, command in group.commands.items():
            yield prefix + name, command
            if isinstance(command, click.Group):
                yield from walk(command, prefix + name + " ")

    own = ("setup", "users", "tokens", "catalog", "office", "serve")
    for name, command in walk(app.cli):
        if name.split()[0] in own:
            assert command.help, name
