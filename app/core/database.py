"""The data boundary: SQLite pragmas, write transactions, shared columns.

SQLite serialises writers. A transaction that reads first and writes later
can fail at once with SQLITE_BUSY when another writer committed in between
(https://sqlite.org/wal.html#busy), so every write runs in a transaction
that takes the write lock up front (BEGIN IMMEDIATE) and waits for it up to
the busy timeout.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from app.extensions import db

_write_intent: ContextVar[bool] = ContextVar("xaso_write_intent", default=False)


def utcnow() -> datetime:
    """Return the current time in UTC, aware."""
    return datetime.now(UTC)


def new_uuid() -> str:
    """Make a random UUID on this machine, as text."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC and give them back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class SyncedMixin:
    """Columns of every row that travels to the province (DESIGN.md)."""

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def touch(self) -> None:
        """Count one more change to this row."""
        self.version = (self.version or 0) + 1
        self.updated_at = utcnow()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """Set the durability pragmas on every new SQLite connection."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return

    # Let SQLAlchemy's "begin" event decide how each transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # A clerk who saw "saved" must find the record after a power cut.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection) -> None:
    """Start SQLite transactions, immediate when the caller means to write."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


@contextmanager
def writing() -> Iterator[Session]:
    """Run a unit of work that commits on success and rolls back on error."""
    session = db.session()
    if session.in_transaction():
        # Close the read snapshot so the write starts from the newest state.
        session.commit()

    token = _write_intent.set(True)
    try:
        with session.begin():
            yield session
    finally:
        _write_intent.reset(token)


def refresh_statistics() -> None:
    """Let SQLite's planner know the tables' sizes again (bounded, a few ms).

    Without statistics SQLite may sort fifty thousand rows for a page of
    twenty-five; with them it walks the right index.
    """
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
