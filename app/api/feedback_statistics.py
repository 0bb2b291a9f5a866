"""The JSON endpoint of feedback statistics, and the shapes of its answer."""

from __future__ import annotations

from flask import jsonify, request
from pydantic import BaseModel, Field

from app.api import endpoint
from app.auth.permissions import api_require
from app.core.reporting import parse_period
from app.dossiers.schemas import StatisticsPeriodOut
from app.feedback import statistics as feedback_statistics


class FeedbackAnsweredOut(BaseModel):
    total: int
    on_time: int = Field(description="Trả lời đến hết ngày hẹn")
    late: int


class FeedbackPendingOut(BaseModel):
    total: int
    within_deadline: int
    overdue: int = Field(description="Hạn xử lý trước ngày cuối kỳ")


class FeedbackCountsOut(BaseModel):
    on_hand: int = Field(description="Kỳ trước chuyển sang và tiếp nhận trong kỳ")
    carried_over: int
    received: int
    answered: FeedbackAnsweredOut = Field(description="Đã trả lời trong kỳ")
    rejected: int = Field(description="Không thụ lý trong kỳ")
    merged: int = Field(description="Gộp vào phản ánh trùng trong kỳ")
    pending: FeedbackPendingOut = Field(description="Đang xử lý cuối kỳ")


class ChannelStatisticsOut(FeedbackCountsOut):
    channel: str = Field(description="Mã kênh tiếp nhận")
    name: str


class CategoryStatisticsOut(FeedbackCountsOut):
    category_code: str | None = Field(description="null: phản ánh chưa phân loại")
    name: str


class FeedbackStatisticsOut(BaseModel):
    period: StatisticsPeriodOut
    authority_name: str
    total: FeedbackCountsOut
    by_channel: list[ChannelStatisticsOut]
    by_category: list[CategoryStatisticsOut]


@endpoint(
    "/feedback-statistics",
    summary="Thống kê tiếp nhận, xử lý phản ánh, kiến nghị trong một kỳ",
    answer=FeedbackStatisticsOut,
    query={
        "start": "ngày đầu kỳ, YYYY-MM-DD (bắt buộc)",
        "end": "ngày cuối kỳ, YYYY-MM-DD (bắt buộc; kỳ dài tối đa 366 ngày)",
    },
)
@api_require("feedback.view")
def feedback_statistics_show():
    """Count a period's feedback by channel, by category and in total."""
    args = request.args
    period = parse_period(args.get("start"), args.get("end"))
    result = feedback_statistics.compile_feedback_statistics(period)
    return jsonify(feedback_statistics.feedback_statistics_out(result))
