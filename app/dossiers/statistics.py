"""Statistics of the one-stop office over a period, and their workbook.

For a period the province asks how many dossiers the office had on hand
(carried over from before, received in the period), how many it resolved
early, on time or late, how many were refused or withdrawn, and how many
are still pending, within or past their deadline, per procedure field and
per officer. One GROUP BY over the dossiers gives every figure: the rows
themselves never leave the database.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, union_all

from app.auth.models import User
from app.core.database import utcnow

# Also re-exported, for the dossier pages, the API and the tests that take
# the period's checks and the workbook's layout from this module.
from app.core.reporting import (
    FIRST_DATA_ROW,  # noqa: F401
    WORKBOOK_MEDIA_TYPE,  # noqa: F401
    Line,
    Period,
    local_date,
    month_to_date,  # noqa: F401
    parse_period,  # noqa: F401
    write_statistics_workbook,
)
from app.core.text import fold, vietnamese_sort_key
from app.core.timeutil import local
from app.dossiers.models import Dossier
from app.extensions import db
from app.office.models import Procedure
from app.office.services import get_office

UNASSIGNED = "Chưa phân công"


@dataclass
class Counts:
    """The figures of one line of the statistics."""

    carried_over: int = 0
    received: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    rejected: int = 0
    withdrawn: int = 0
    pending_within: int = 0
    pending_over: int = 0

    @property
    def on_hand(self) -> int:
        return self.carried_over + self.received

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_over

    @property
    def timely_share(self) -> float | None:
        """Return the share of resolved dossiers resolved by their due day."""
        if not self.resolved:
            return None
        return (self.resolved_early + self.resolved_on_time) / self.resolved

    def add(self, other: Counts) -> None:
        """Add another line's figures to these."""
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNT_NAMES = tuple(f.name for f in fields(Counts))


@dataclass(frozen=True)
class OutcomeGroup:
    """The figures of the dossiers of one procedure field and one assignee."""

    field: str
    assignee_id: int | None
    assignee_username: str | None
    assignee_name: str | None
    counts: Counts


@dataclass
class StatisticsRow:
    """One line of a statistics table: what it counts, and the figures."""

    label: str
    # The field's name, or the officer's username (None when unassigned).
    key: str | None
    counts: Counts


@dataclass
class DossierStatistics:
    """The statistics of a period, by field, by officer and in total."""

    period: Period
    authority_name: str
    by_field: list[StatisticsRow]
    by_officer: list[StatisticsRow]
    total: Counts


def count_dossier_outcomes(period: Period) -> list[OutcomeGroup]:
    """Count the period's dossiers per procedure field and assignee."""
    opens, closes = period.opens_at, period.closes_at

    def during(column):
        return and_(column >= opens, column < closes)

    def open_at(moment: datetime):
        # A dossier stops being pending when it is resolved (its result
        # may be handed over later) or closed without one.
        return and_(
            Dossier.received_at < moment,
            or_(Dossier.resolved_at.is_(None), Dossier.resolved_at >= moment),
            or_(Dossier.finished_at.is_(None), Dossier.finished_at >= moment),
        )

    carried_over = open_at(opens)
    received = during(Dossier.received_at)
    resolved = during(Dossier.resolved_at)
    resolved_on = local_date(Dossier.resolved_at)
    closed = during(Dossier.finished_at)
    pending = open_at(closes)
    # The legal deadline counts: a supplement restarts it lawfully, but an
    # apology with a new appointment does not make a late dossier on time.
    due = func.coalesce(Dossier.legal_due_date, Dossier.due_date)
    # A period that ends in the future is judged as of today.
    judged_on = min(period.end, local(utcnow()).date())

    # Whatever happens in the period happens to a dossier on hand: carried
    # over or received. Each branch here reads one index range, so a month
    # of a large office counts thousands of rows, not the whole table.
    on_hand = union_all(
        select(Dossier.id).where(received),
        select(Dossier.id).where(Dossier.finished_at.is_(None), carried_over),
        select(Dossier.id).where(Dossier.finished_at >= opens, carried_over),
    )

    def tally(*conditions):
        return func.count().filter(*conditions)

    query = (
        select(
            Procedure.field,
            Dossier.assignee_id,
            User.username,
            User.full_name,
            tally(carried_over).label("carried_over"),
            tally(received).label("received"),
            tally(resolved, resolved_on < due).label("resolved_early"),
            tally(resolved, resolved_on == due).label("resolved_on_time"),
            tally(resolved, resolved_on > due).label("resolved_late"),
            tally(closed, Dossier.status == "rejected").label("rejected"),
            tally(closed, Dossier.status == "withdrawn").label("withdrawn"),
            # Due on the day it is judged, it is not late yet.
            tally(pending, due >= judged_on).label("pending_within"),
            tally(pending, due < judged_on).label("pending_over"),
        )
        .select_from(Dossier)
        .join(Procedure, Procedure.code == Dossier.procedure_code)
        .outerjoin(User, User.id == Dossier.assignee_id)
        .where(Dossier.id.in_(on_hand))
        .group_by(Procedure.field, Dossier.assignee_id)
        .group_by(User.username, User.full_name)
    )
    return [
        OutcomeGroup(
            field=row.field,
            assignee_id=row.assignee_id,
            assignee_username=row.username,
            assignee_name=row.full_name,
            counts=Counts(**{name: getattr(row, name) for name in COUNT_NAMES}),
        )
        for row in db.session.execute(query)
    ]


def compile_statistics(period: Period) -> DossierStatistics:
    """Count the dossiers of a period by field, by officer and in total."""
    groups = count_dossier_outcomes(period)

    by_field: dict[str, StatisticsRow] = {}
    by_officer: dict[int | None, StatisticsRow] = {}
    total = Counts()
    for group in groups:
        if group.field not in by_field:
            by_field[group.field] = StatisticsRow(group.field, group.field, Counts())
        if group.assignee_id not in by_officer:
            name = group.assignee_name or UNASSIGNED
            by_officer[group.assignee_id] = StatisticsRow(
                name, group.assignee_username, Counts()
            )
        by_field[group.field].counts.add(group.counts)
        by_officer[group.assignee_id].counts.add(group.counts)
        total.add(group.counts)

    office = get_office()
    return DossierStatistics(
        period=period,
        authority_name=office.authority_name if office else "",
        by_field=sorted(by_field.values(), key=_field_order),
        by_officer=sorted(by_officer.values(), key=_officer_order),
        total=total,
    )


def _field_order(row: StatisticsRow) -> tuple:
    return (fold(row.label), row.label)


def _officer_order(row: StatisticsRow) -> tuple:
    # Vietnamese lists go by given name; the unassigned line comes last.
    return (row.key is None, vietnamese_sort_key(row.label), row.key or "")


def statistics_out(statistics: DossierStatistics) -> dict[str, Any]:
    """Describe the statistics for the JSON API."""
    period = statistics.period
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "authority_name": statistics.authority_name,
        "total": _counts_out(statistics.total),
        "by_field": [
            {"field": row.label, **_counts_out(row.counts)}
            for row in statistics.by_field
        ],
        "by_officer": [
            {
                "officer": row.label,
                "username": row.key,
                **_counts_out(row.counts),
            }
            for row in statistics.by_officer
        ],
    }


def _counts_out(counts: Counts) -> dict[str, Any]:
    return {
        "on_hand": counts.on_hand,
        "carried_over": counts.carried_over,
        "received": counts.received,
        "resolved": {
            "total": counts.resolved,
            "early": counts.resolved_early,
            "on_time": counts.resolved_on_time,
            "late": counts.resolved_late,
        },
        "rejected": counts.rejected,
        "withdrawn": counts.withdrawn,
        "pending": {
            "total": counts.pending,
            "within_deadline": counts.pending_within,
            "overdue": counts.pending_over,
        },
    }


_ON_HAND = "Số hồ sơ nhận giải quyết"
_RESOLVED = "Đã giải quyết trong kỳ"
_PENDING = "Đang giải quyết cuối kỳ"

# The workbook's columns as (group, heading, figure), grouped the way the
# province's report forms group them; a group of one column has no heading
# of its own.
COLUMNS = (
    (_ON_HAND, "Tổng số", "on_hand"),
    (_ON_HAND, "Kỳ trước chuyển sang", "carried_over"),
    (_ON_HAND, "Tiếp nhận trong kỳ", "received"),
    (_RESOLVED, "Tổng số", "resolved"),
    (_RESOLVED, "Trước hạn", "resolved_early"),
    (_RESOLVED, "Đúng hạn", "resolved_on_time"),
    (_RESOLVED, "Quá hạn", "resolved_late"),
    ("Từ chối giải quyết", None, "rejected"),
    ("Công dân rút hồ sơ", None, "withdrawn"),
    (_PENDING, "Tổng số", "pending"),
    (_PENDING, "Trong hạn", "pending_within"),
    (_PENDING, "Quá hạn", "pending_over"),
)
SHEET_TITLE = "THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"


def statistics_workbook(statistics: DossierStatistics) -> bytes:
    """Write the statistics as an Excel workbook, one sheet per grouping."""
    sheets = (
        ("Theo lĩnh vực", "Lĩnh vực", _lines(statistics.by_field)),
        ("Theo cán bộ", "Cán bộ xử lý", _lines(statistics.by_officer)),
    )
    return write_statistics_workbook(
        authority_name=statistics.authority_name,
        title=SHEET_TITLE,
        period=statistics.period,
        columns=COLUMNS,
        label_width=34,
        sheets=sheets,
        total=statistics.total,
    )


def _lines(rows: list[StatisticsRow]) -> list[Line]:
    return [(row.label, row.counts) for row in rows]


def workbook_filename(statistics: DossierStatistics) -> str:
    """Name the workbook file after its period, in ASCII."""
    period = statistics.period
    return f"thong-ke-ho-so-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
