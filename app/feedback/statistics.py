"""Statistics of citizen feedback over a period, their workbook, reminders.

For a period the province asks how much feedback the office had on hand
(carried over from before, received in the period), how much it answered
on time or late, how much it refused to handle (không thụ lý) or merged
into an earlier report, and how much is still pending at the end, within
or past its deadline, per channel and per category. One GROUP BY over the
feedback gives every figure: the rows themselves never leave the database.

The period, its checks, the local day of a stored moment and the sheet's
layout are the same as for dossiers, and come from `app.core.reporting`.
The reminders of the staff dashboard, open feedback past or near its
deadline, live here too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, union_all

# FIRST_DATA_ROW is re-exported for the tests that read the workbook back.
from app.core.reporting import (
    FIRST_DATA_ROW,  # noqa: F401
    Line,
    Period,
    local_date,
    write_statistics_workbook,
)
from app.core.text import fold
from app.extensions import db
from app.feedback.models import (
    OPEN_STATES,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackItem,
)
from app.office.services import get_office

UNCLASSIFIED = "Chưa phân loại"
REMINDER_LIMIT = 20


@dataclass
class FeedbackCounts:
    """The figures of one line of the feedback statistics."""

    carried_over: int = 0
    received: int = 0
    answered_on_time: int = 0
    answered_late: int = 0
    rejected: int = 0
    merged: int = 0
    pending_within: int = 0
    pending_over: int = 0

    @property
    def on_hand(self) -> int:
        return self.carried_over + self.received

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_over

    @property
    def timely_share(self) -> float | None:
        """Return the share of answered feedback answered by its due day."""
        if not self.answered:
            return None
        return self.answered_on_time / self.answered

    def add(self, other: FeedbackCounts) -> None:
        """Add another line's figures to these."""
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNT_NAMES = tuple(f.name for f in fields(FeedbackCounts))


@dataclass(frozen=True)
class FeedbackGroup:
    """The figures of the feedback of one channel and one category."""

    channel: str
    channel_name: str
    category_code: str | None
    category_name: str | None
    counts: FeedbackCounts


@dataclass
class FeedbackStatisticsRow:
    """One line of a statistics table: what it counts, and the figures."""

    label: str
    # The channel's or the category's code (None when unclassified).
    key: str | None
    counts: FeedbackCounts


@dataclass
class FeedbackStatistics:
    """A period's feedback statistics: by channel, by category, in total."""

    period: Period
    authority_name: str
    by_channel: list[FeedbackStatisticsRow]
    by_category: list[FeedbackStatisticsRow]
    total: FeedbackCounts


def count_feedback_outcomes(period: Period) -> list[FeedbackGroup]:
    """Count the period's feedback per channel and category."""
    opens, closes = period.opens_at, period.closes_at
    received_at = FeedbackItem.received_at
    responded_at = FeedbackItem.responded_at
    closed_at = FeedbackItem.closed_at
    due = FeedbackItem.due_date

    def during(column):
        return and_(column >= opens, column < closes)

    def open_at(moment: datetime):
        # Feedback stops being pending when it is answered (publishing and
        # closing come later), refused, or merged into another item.
        return and_(
            received_at < moment,
            or_(responded_at.is_(None), responded_at >= moment),
            or_(closed_at.is_(None), closed_at >= moment),
        )

    carried_over = open_at(opens)
    received = during(received_at)
    answered = during(responded_at)
    answered_on = local_date(responded_at)
    closed = during(closed_at)
    pending = open_at(closes)

    # Whatever happens in the period happens to feedback on hand. The first
    # two branches read index ranges. The third, what was open then and has
    # been answered or closed since, reads every item received before the
    # period (0.1 s at 100,000 items), as neither responded_at nor closed_at
    # is indexed; with those indexes it would become two range branches.
    # An item found twice is counted once: the branches only feed the IN.
    on_hand = union_all(
        select(FeedbackItem.id).where(received),
        select(FeedbackItem.id).where(
            FeedbackItem.status.in_(OPEN_STATES), carried_over
        ),
        select(FeedbackItem.id).where(
            or_(responded_at >= opens, closed_at >= opens), carried_over
        ),
    )

    def tally(*conditions):
        return func.count().filter(*conditions)

    merged = FeedbackItem.duplicate_of_id.is_not(None)
    query = (
        select(
            FeedbackItem.channel,
            FeedbackChannel.name.label("channel_name"),
            FeedbackItem.category_code,
            FeedbackCategory.name.label("category_name"),
            tally(carried_over).label("carried_over"),
            tally(received).label("received"),
            tally(answered, answered_on <= due).label("answered_on_time"),
            tally(answered, answered_on > due).label("answered_late"),
            tally(closed, FeedbackItem.status == "rejected").label("rejected"),
            tally(closed, merged).label("merged"),
            # Due on the last day of the period, it is not late yet.
            tally(pending, due >= period.end).label("pending_within"),
            tally(pending, due < period.end).label("pending_over"),
        )
        .select_from(FeedbackItem)
        .join(FeedbackChannel, FeedbackChannel.code == FeedbackItem.channel)
        .outerjoin(
            FeedbackCategory, FeedbackCategory.code == FeedbackItem.category_code
        )
        .where(FeedbackItem.id.in_(on_hand))
        .group_by(FeedbackItem.channel, FeedbackChannel.name)
        .group_by(FeedbackItem.category_code, FeedbackCategory.name)
    )
    groups = []
    for row in db.session.execute(query):
        counts = {name: getattr(row, name) for name in COUNT_NAMES}
        groups.append(
            FeedbackGroup(
                channel=row.channel,
                channel_name=row.channel_name,
                category_code=row.category_code,
                category_name=row.category_name,
                counts=FeedbackCounts(**counts),
            )
        )
    return groups


def compile_feedback_statistics(period: Period) -> FeedbackStatistics:
    """Count the feedback of a period by channel, by category and in total."""
    groups = count_feedback_outcomes(period)

    by_channel: dict[str, FeedbackStatisticsRow] = {}
    by_category: dict[str | None, FeedbackStatisticsRow] = {}
    total = FeedbackCounts()
    for group in groups:
        if group.channel not in by_channel:
            by_channel[group.channel] = FeedbackStatisticsRow(
                group.channel_name, group.channel, FeedbackCounts()
            )
        if group.category_code not in by_category:
            by_category[group.category_code] = FeedbackStatisticsRow(
                group.category_name or UNCLASSIFIED,
                group.category_code,
                FeedbackCounts(),
            )
        by_channel[group.channel].counts.add(group.counts)
        by_category[group.category_code].counts.add(group.counts)
        total.add(group.counts)

    office = get_office()
    return FeedbackStatistics(
        period=period,
        authority_name=office.authority_name if office else "",
        by_channel=sorted(by_channel.values(), key=_line_order),
        by_category=sorted(by_category.values(), key=_line_order),
        total=total,
    )


def _line_order(row: FeedbackStatisticsRow) -> tuple:
    # By name without marks; the unclassified line comes last.
    return (row.key is None, fold(row.label), row.label)


def feedback_statistics_out(statistics: FeedbackStatistics) -> dict[str, Any]:
    """Describe the feedback statistics for the JSON API."""
    period = statistics.period
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "authority_name": statistics.authority_name,
        "total": _counts_out(statistics.total),
        "by_channel": [
            {"channel": row.key, "name": row.label, **_counts_out(row.counts)}
            for row in statistics.by_channel
        ],
        "by_category": [
            {
                "category_code": row.key,
                "name": row.label,
                **_counts_out(row.counts),
            }
            for row in statistics.by_category
        ],
    }


def _counts_out(counts: FeedbackCounts) -> dict[str, Any]:
    return {
        "on_hand": counts.on_hand,
        "carried_over": counts.carried_over,
        "received": counts.received,
        "answered": {
            "total": counts.answered,
            "on_time": counts.answered_on_time,
            "late": counts.answered_late,
        },
        "rejected": counts.rejected,
        "merged": counts.merged,
        "pending": {
            "total": counts.pending,
            "within_deadline": counts.pending_within,
            "overdue": counts.pending_over,
        },
    }


_ON_HAND = "Số phản ánh, kiến nghị phải xử lý"
_ANSWERED = "Đã trả lời trong kỳ"
_PENDING = "Đang xử lý cuối kỳ"

# The workbook's columns as (group, heading, figure); a group of one column
# has no heading of its own.
COLUMNS = (
    (_ON_HAND, "Tổng số", "on_hand"),
    (_ON_HAND, "Kỳ trước chuyển sang", "carried_over"),
    (_ON_HAND, "Tiếp nhận trong kỳ", "received"),
    (_ANSWERED, "Tổng số", "answered"),
    (_ANSWERED, "Đúng hạn", "answered_on_time"),
    (_ANSWERED, "Quá hạn", "answered_late"),
    ("Không thụ lý", None, "rejected"),
    ("Gộp vào phản ánh trùng", None, "merged"),
    (_PENDING, "Tổng số", "pending"),
    (_PENDING, "Trong hạn", "pending_within"),
    (_PENDING, "Quá hạn", "pending_over"),
)
SHEET_TITLE = "THỐNG KÊ TÌNH HÌNH TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ"


def feedback_statistics_workbook(statistics: FeedbackStatistics) -> bytes:
    """Write the feedback statistics as a workbook, one sheet per grouping."""
    sheets = (
        ("Theo kênh", "Kênh tiếp nhận", _lines(statistics.by_channel)),
        ("Theo loại", "Loại phản ánh, kiến nghị", _lines(statistics.by_category)),
    )
    return write_statistics_workbook(
        authority_name=statistics.authority_name,
        title=SHEET_TITLE,
        period=statistics.period,
        columns=COLUMNS,
        label_width=36,
        sheets=sheets,
        total=statistics.total,
    )


def _lines(rows: list[FeedbackStatisticsRow]) -> list[Line]:
    return [(row.label, row.counts) for row in rows]


def feedback_workbook_filename(statistics: FeedbackStatistics) -> str:
    """Name the workbook file after its period, in ASCII."""
    period = statistics.period
    return f"thong-ke-phan-anh-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
