"""`flask setup`, `flask catalog import`, `flask users` and `flask tokens`."""

import pytest
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


@pytest.mark.parametrize(
    ("value", "column"),
    [("3.5", "time_limit_days"), ("३", "time_limit_days"), ("10,5", "fee_vnd")],
)
def test_catalog_numbers_that_are_not_whole_are_refused(
    runner, tmp_path, value, column
):
    row = {"time_limit_days": "3", "fee_vnd": "0", column: value}
    csv_file = tmp_path / "so.csv"
    csv_file.write_text(
        "code,name,field,time_limit_days,fee_vnd\n"
        f'9.000004,Thủ tục,Thử,"{row["time_limit_days"]}","{row["fee_vnd"]}"\n',
        encoding="utf-8",
    )

    result = runner.invoke(args=["catalog", "import", str(csv_file)])

    assert result.exit_code == 1
    assert db.session.get(Procedure, "9.000004") is None


def test_thousands_separators_in_fees_are_read(runner, tmp_path):
    csv_file = tmp_path / "phi.csv"
    csv_file.write_text(
        'code,name,field,time_limit_days,fee_vnd\n9.000005,Thủ tục,Thử,3,"10.000"\n',
        encoding="utf-8",
    )

    runner.invoke(args=["catalog", "import", str(csv_file)])

    assert db.session.get(Procedure, "9.000005").fee_vnd == 10000


def test_a_row_with_too_many_values_gets_a_vietnamese_message(runner, tmp_path):
    csv_file = tmp_path / "thua.csv"
    csv_file.write_text(
        "code,name,field,time_limit_days,fee_vnd\n9.000006,Tên,Thử,3,0,thừa\n",
        encoding="utf-8",
    )

    result = runner.invoke(args=["catalog", "import", str(csv_file)])

    assert result.exit_code == 1
    assert "nhiều giá trị hơn số cột" in result.output
    assert "Traceback" not in result.output


def test_a_partial_catalogue_keeps_the_columns_it_does_not_have(runner, tmp_path):
    before = db.session.get(Procedure, "1.004873")
    papers, basis = before.papers, before.legal_basis
    csv_file = tmp_path / "phi-moi.csv"
    csv_file.write_text(
        "code,name,field,time_limit_days,fee_vnd\n"
        f"1.004873,{before.name},{before.field},{before.time_limit_days},7000\n",
        encoding="utf-8",
    )

    runner.invoke(args=["catalog", "import", str(csv_file)])
    runner.invoke(args=["setup", "--commune", "8707"])

    after = db.session.get(Procedure, "1.004873")
    db.session.refresh(after)
    assert after.fee_vnd == 7000
    assert after.papers == papers and papers
    assert after.legal_basis == basis


@pytest.mark.parametrize("code", ["abc", "-1", "８７０７", "vinh yen"])
def test_setup_refuses_a_commune_code_that_is_not_digits(runner, code):
    result = runner.invoke(args=["setup", "--commune", code])

    assert result.exit_code == 1
    assert "phải là số" in result.output


def test_find_matches_whole_word_beginnings_and_ignores_commas(runner):
    result = runner.invoke(args=["setup", "--find", "Vĩnh Yên, Phú Thọ"])

    assert result.output.splitlines() == ["08707\tPhường Vĩnh Yên\tPhú Thọ"]


def test_a_revoked_token_no_longer_opens_the_api(runner, client, clerk):
    token = runner.invoke(args=["tokens", "create", "thuy"]).output.strip()
    headers = {"Authorization": f"Bearer {token}"}
    before = client.get("/api/v1/dossiers", headers=headers).status_code

    result = runner.invoke(args=["tokens", "revoke", "thuy"])

    assert before == 200
    assert "Đã thu hồi 1 mã truy cập" in result.output
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 401


def test_command_errors_are_prefixed_in_vietnamese(runner):
    result = runner.invoke(args=["tokens", "create", "khongco"])

    assert result.exit_code == 1
    assert "Lỗi: Không có người dùng" in result.output
