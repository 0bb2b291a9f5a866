"""The data boundary: durability pragmas, migrations, the secret key."""

import os
import stat

from sqlalchemy import text

from app import create_app
from app.extensions import db


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(app):
    with db.engine.connect() as connection:
        journal = connection.execute(text("PRAGMA journal_mode")).scalar()
        synchronous = connection.execute(text("PRAGMA synchronous")).scalar()
        foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar()
        busy = connection.execute(text("PRAGMA busy_timeout")).scalar()

    assert journal == "wal"
    assert synchronous == 2  # FULL
    assert foreign_keys == 1
    assert busy >= 5000


def test_migrations_build_exactly_the_models_schema(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        from app.extensions import include_name

        context = MigrationContext.configure(
            connection, opts={"include_name": include_name}
        )
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def test_the_secret_key_is_made_once_and_kept_private(tmp_path, monkeypatch):
    folder = tmp_path / "moi"
    monkeypatch.setenv("XASO_INSTANCE", str(folder))

    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]

    key_file = folder / "secret_key"
    assert first == second
    assert len(first) == 64
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_database_url_variable_wins_over_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("XASO_INSTANCE", str(tmp_path))
    monkeypatch.setenv("XASO_DATABASE_URL", f"sqlite:///{tmp_path / 'khac.db'}")

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("khac.db")
    assert app.config["XASO_MODE"] == "office"
