"""Periods of a report and the statistics workbook layout shared by features.

The statistics of each feature (dossiers, feedback) count what happened over
a period of calendar days in Vietnam, checked here, and are sent as a
workbook whose sheets all look alike: the authority, the title and the
period on top, two rows of grouped headings, a numbered line per label and
a total line. What a feature counts, and its columns, stay in its own
`statistics` module.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.core.errors import ValidationFailed
from app.core.timeutil import VIETNAM

MAX_PERIOD_DAYS = 366
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


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


WORKBOOK_MEDIA_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 2

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_FILL = PatternFill("solid", fgColor="E6E9EC")
_BOLD = Font(bold=True)

# A workbook column as (group, heading, figure): the columns of one group
# share a heading above their own, and a group of one column has no heading
# of its own (None). The figure names the attribute of a line's counts.
Column = tuple[str, str | None, str]
# A line of a sheet as (label, counts), and a sheet as its name, the heading
# of its labels and its lines.
Line = tuple[str, object]
Sheet = tuple[str, str, Iterable[Line]]


def write_statistics_workbook(
    *,
    authority_name: str,
    title: str,
    period: Period,
    columns: Sequence[Column],
    label_width: int,
    sheets: Iterable[Sheet],
    total: object,
) -> bytes:
    """Write an Excel workbook of statistics, one sheet per grouping."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, label_heading, lines in sheets:
        write_statistics_sheet(
            workbook.create_sheet(name),
            authority_name=authority_name,
            title=title,
            period=period,
            columns=columns,
            label_heading=label_heading,
            label_width=label_width,
            lines=lines,
            total=total,
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_statistics_sheet(
    sheet: Worksheet,
    *,
    authority_name: str,
    title: str,
    period: Period,
    columns: Sequence[Column],
    label_heading: str,
    label_width: int,
    lines: Iterable[Line],
    total: object,
) -> None:
    """Write a statistics sheet: titles, headings, numbered lines, total."""
    width = 2 + len(columns)
    titles = (
        (authority_name, Font(bold=True, size=12)),
        (title, Font(bold=True, size=13)),
        (f"Kỳ thống kê: {period.describe()}", Font(italic=True)),
    )
    for number, (text, font) in enumerate(titles, start=1):
        cell = sheet.cell(number, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
        _merge(sheet, number, 1, number, width)

    _write_header(sheet, columns, label_heading)
    number = FIRST_DATA_ROW
    for index, (label, counts) in enumerate(lines, start=1):
        _write_line(sheet, columns, number, index, label, counts)
        number += 1
    _write_line(sheet, columns, number, None, "Tổng cộng", total, bold=True)

    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 3).coordinate
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = label_width
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    for number in (HEADER_ROW, HEADER_ROW + 1):
        sheet.row_dimensions[number].height = 32
    # Printed on A4 landscape, one page wide, the headings on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"


def _write_header(
    sheet: Worksheet, columns: Sequence[Column], label_heading: str
) -> None:
    top, bottom = HEADER_ROW, HEADER_ROW + 1
    for column in range(1, 2 + len(columns) + 1):
        for number in (top, bottom):
            cell = sheet.cell(number, column)
            cell.font = _BOLD
            cell.alignment = _CENTERED
            cell.border = _BOX
            cell.fill = _HEADER_FILL

    for column, heading in ((1, "STT"), (2, label_heading)):
        sheet.cell(top, column, heading)
        _merge(sheet, top, column, bottom, column)
    first = 3
    for group, members in groupby(columns, key=lambda column: column[0]):
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
    columns: Sequence[Column],
    number: int,
    index: int | None,
    label: str,
    counts: object,
    bold: bool = False,
) -> None:
    figures = [getattr(counts, name) for _, _, name in columns]
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
