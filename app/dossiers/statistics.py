"""Statistics of the one-stop office over a period, and their workbook.

For a period the province asks how many dossiers the office had on hand
(carried over from before, received in the period), how many it resolved
early, on time or late, how many were refused or withdrawn, and how many
are still pending, within or past their deadline, per procedure field and
per officer. One GROUP BY over the dossiers gives every figure: the rows
themselves never leave the database.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Date, and_, func, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.auth.models import User
from app.core.database import utcnow
from app.core.errors import ValidationFailed
from app.core.text import fold, vietnamese_sort_key
from app.core.timeutil import VIETNAM, local
from app.dossiers.models import Dossier
from app.extensions import db
from app.office.models import Procedure
from app.office.services import get_office

MAX_PERIOD_DAYS = 366
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
UNASSIGNED = "Chưa phân công"


@dataclass(frozen=True)
class Period:
    """Calendar days in Vietnam, from start to end, both included."""

    start: date
    end: date

    @property
    def opens_at(self) -> datetime:
        """Return the first moment of the period."""
        return datetime.combine(self.start, time.min, VIETNAM)

    @property
    def closes_at(self) -> datetime:
        """Return the first moment after the period."""
        day_after = self.end + timedelta(days=1)
        return datetime.combine(day_after, time.min, VIETNAM)

    def describe(self) -> str:
        """Say which days the period covers, in Vietnamese."""
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


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


class local_date(FunctionElement):
    """The calendar day in Vietnam of a UTC moment stored without its zone."""

    type = Date()
    inherit_cache = True


@compiles(local_date, "sqlite")
def _local_date_on_sqlite(element, compiler, **kw) -> str:
    # SQLite knows no time zones. Vietnam has kept UTC+07:00, with no summer
    # time, since 1975, so one fixed shift is right for every stored moment.
    offset = VIETNAM.utcoffset(datetime(2000, 1, 1))
    shift = f"{int(offset.total_seconds() // 60):+d} minutes"
    return f"date({compiler.process(element.clauses, **kw)}, '{shift}')"


@compiles(local_date, "postgresql")
def _local_date_on_postgresql(element, compiler, **kw) -> str:
    moment = compiler.process(element.clauses, **kw)
    local = f"timezone('{VIETNAM.key}', timezone('UTC', {moment}))"
    return f"CAST({local} AS DATE)"


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


def parse_period(start: str | date | None, end: str | date | None) -> Period:
    """Check the two ends of a period, or raise ValidationFailed."""
    faults: dict[str, str] = {}
    start_day = _parse_day(start, "start", "ngày bắt đầu", faults)
    end_day = _parse_day(end, "end", "ngày kết thúc", faults)
    if start_day and end_day:
        if start_day > end_day:
            faults["end"] = "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."
        elif (end_day - start_day).days + 1 > MAX_PERIOD_DAYS:
            faults["end"] = f"Kỳ thống kê dài tối đa {MAX_PERIOD_DAYS} ngày."
    if faults:
        raise ValidationFailed("Kỳ thống kê chưa hợp lệ.", faults)

    return Period(start_day, end_day)


def _parse_day(
    value: str | date | None, key: str, name: str, faults: dict[str, str]
) -> date | None:
    if value is None or isinstance(value, str) and not value.strip():
        faults[key] = f"Vui lòng chọn {name}."
        return None
    try:
        day = value if isinstance(value, date) else date.fromisoformat(value)
    except ValueError:
        faults[key] = f"{name.capitalize()} phải ghi theo dạng 2026-12-31."
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        years = f"{FIRST_DAY.year}–{LAST_DAY.year}"
        faults[key] = f"{name.capitalize()} phải trong các năm {years}."
        return None
    return day


def month_to_date(today: date) -> Period:
    """Return the period from the first of the month to the given day."""
    return Period(today.replace(day=1), today)


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
WORKBOOK_MEDIA_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
SHEET_TITLE = "THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 2
WIDTH = 2 + len(COLUMNS)

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="E6E9EC")
_BOLD = Font(bold=True)


def statistics_workbook(statistics: DossierStatistics) -> bytes:
    """Write the statistics as an Excel workbook, one sheet per grouping."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = (
        ("Theo lĩnh vực", "Lĩnh vực", statistics.by_field),
        ("Theo cán bộ", "Cán bộ xử lý", statistics.by_officer),
    )
    for title, label_heading, rows in sheets:
        sheet = workbook.create_sheet(title)
        _write_sheet(sheet, label_heading, rows, statistics)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_filename(statistics: DossierStatistics) -> str:
    """Name the workbook file after its period, in ASCII."""
    period = statistics.period
    return f"thong-ke-ho-so-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def _write_sheet(
    sheet: Worksheet,
    label_heading: str,
    rows: Iterable[StatisticsRow],
    statistics: DossierStatistics,
) -> None:
    titles = (
        (statistics.authority_name, Font(bold=True, size=12)),
        (SHEET_TITLE, Font(bold=True, size=13)),
        (f"Kỳ thống kê: {statistics.period.describe()}", Font(italic=True)),
    )
    for number, (text, font) in enumerate(titles, start=1):
        cell = sheet.cell(number, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
        _merge(sheet, number, 1, number, WIDTH)

    _write_header(sheet, label_heading)
    number = FIRST_DATA_ROW
    for index, row in enumerate(rows, start=1):
        _write_line(sheet, number, index, row.label, row.counts)
        number += 1
    _write_line(sheet, number, None, "Tổng cộng", statistics.total, bold=True)

    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3).coordinate
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 34
    for column in range(3, WIDTH + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.row_dimensions[HEADER_ROW + 1].height = 32
    # Printed on A4 landscape, one page wide, the headings on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"


def _write_header(sheet: Worksheet, label_heading: str) -> None:
    top, bottom = HEADER_ROW, HEADER_ROW + 1
    for column in range(1, WIDTH + 1):
        for number in (top, bottom):
            cell = sheet.cell(number, column)
            cell.font = _BOLD
            cell.alignment = _CENTERED
            cell.border = _BOX
            cell.fill = _HEADER_FILL

    sheet.cell(top, 1, "STT")
    sheet.cell(top, 2, label_heading)
    _merge(sheet, top, 1, bottom, 1)
    _merge(sheet, top, 2, bottom, 2)
    first = 3
    for group, members in groupby(COLUMNS, key=lambda column: column[0]):
        headings = [heading for _, heading, _ in members]
        last = first + len(headings) - 1
        sheet.cell(top, first, group)
        if headings == [None]:
            _merge(sheet, top, first, bottom, last)
        else:
            for column, heading in enumerate(headings, start=first):
                sheet.cell(bottom, column, heading)
            _merge(sheet, top, first, top, last)
        first = last + 1


def _write_line(
    sheet: Worksheet,
    number: int,
    index: int | None,
    label: str,
    counts: Counts,
    bold: bool = False,
) -> None:
    figures = [getattr(counts, name) for _, _, name in COLUMNS]
    for column, value in enumerate([index, label, *figures], start=1):
        cell = sheet.cell(number, column, value)
        cell.border = _BOX
        if bold:
            cell.font = _BOLD
        if column == 1:
            cell.alignment = Alignment(horizontal="center")
        elif column > 2:
            cell.number_format = "#,##0"


def _merge(sheet: Worksheet, top: int, left: int, bottom: int, right: int) -> None:
    sheet.merge_cells(
        start_row=top, start_column=left, end_row=bottom, end_column=right
    )
