"""The shapes of dossier data on the JSON API, with their checks.

The web form builds the same `DossierIntake`, so one set of rules guards
every way in.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from app.core import validation

Channel = Literal["counter", "post", "online"]


class ApplicantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(description="Họ và tên người nộp hồ sơ")
    id_number: str | None = Field(None, description="Số định danh cá nhân, 12 chữ số")
    phone: str | None = None
    address: str | None = None

    @field_validator("full_name", mode="before")
    @classmethod
    def _name(cls, value):
        return validation.clean_person_name(value)

    @field_validator("id_number", mode="before")
    @classmethod
    def _id_number(cls, value):
        return validation.clean_citizen_id(value)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value):
        return validation.clean_phone(value)

    @field_validator("address", mode="before")
    @classmethod
    def _address(cls, value):
        return validation.clean_text(value, "Địa chỉ", 255, required=False)


class DossierIntake(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure_code: str = Field(description="Mã thủ tục hành chính, ví dụ 1.001193")
    applicant: ApplicantIn
    received_at: AwareDatetime | None = Field(
        None, description="ISO 8601 kèm múi giờ; bỏ trống là thời điểm hiện tại"
    )
    channel: Channel = "counter"
    note: str | None = None
    papers: list[str] | None = Field(
        None, description="Thành phần hồ sơ đã nhận; bỏ trống là theo danh mục"
    )
    copies: int = Field(1, ge=1, le=20, description="Số bộ hồ sơ")

    @field_validator("received_at", mode="before")
    @classmethod
    def _received_at(cls, value):
        if value is not None and not isinstance(value, str):
            raise ValueError("Phải là thời điểm ISO 8601 dạng chuỗi, kèm múi giờ.")
        return value

    @field_validator("procedure_code", mode="before")
    @classmethod
    def _procedure_code(cls, value):
        return validation.clean_text(value, "Mã thủ tục", 32, required=True)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value):
        return validation.clean_text(value, "Ghi chú", 2000, required=False)

    @field_validator("papers", mode="before")
    @classmethod
    def _papers(cls, value):
        if value is None:
            return None
        if not isinstance(value, list):
            raise ValueError("Thành phần hồ sơ phải là một danh sách.")
        if len(value) > 30:
            raise ValueError("Thành phần hồ sơ có quá 30 mục.")
        cleaned = [
            validation.clean_text(item, "Tên giấy tờ", 300, required=False)
            for item in value
        ]
        return [item for item in cleaned if item]


class ApplicantOut(BaseModel):
    full_name: str
    id_number: str | None
    phone: str | None
    address: str | None


class TransitionOut(BaseModel):
    action: str
    from_status: str | None
    to_status: str
    note: str | None
    data: dict
    actor: str
    at: datetime


class DossierOut(BaseModel):
    code: str
    uuid: str
    version: int
    status: str
    status_label: str
    procedure_code: str
    procedure_name: str
    channel: str
    received_at: datetime
    due_date: date
    applicant: ApplicantOut
    papers: list[str]
    copies: int
    note: str | None
    received_by: str
    assignee: str | None
    receiving_office: str
    deciding_authority: str
    missing_papers: list[str]
    original_due_date: date | None
    resolved_at: datetime | None
    finished_at: datetime | None


class AttachmentOut(BaseModel):
    uuid: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    url: str


class DossierDetailOut(DossierOut):
    transitions: list[TransitionOut]
    attachments: list[AttachmentOut]


class DossierPage(BaseModel):
    items: list[DossierOut]
    total: int
    page: int
    page_size: int


class ProcedureOut(BaseModel):
    code: str
    name: str
    field: str
    time_limit_days: int
    fee_vnd: int


class TransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(description="start, assign, request_supplement, ...")
    note: str | None = None
    assignee: str | None = Field(None, description="Tên đăng nhập người xử lý")
    missing_papers: list[str] | None = Field(
        None, description="request_supplement: toàn bộ giấy tờ cần bổ sung"
    )
    reason: str | None = Field(None, description="reject, reschedule: lý do")
    new_due_date: date | None = Field(None, description="reschedule: YYYY-MM-DD")

    @field_validator("action", mode="before")
    @classmethod
    def _action(cls, value):
        return validation.clean_text(value, "Thao tác", 40, required=True)

    @field_validator("note", "reason", mode="before")
    @classmethod
    def _long_text(cls, value):
        return validation.clean_text(value, "Nội dung", 2000, required=False)

    @field_validator("new_due_date", mode="before")
    @classmethod
    def _new_due_date(cls, value):
        if value is not None and not isinstance(value, str):
            raise ValueError("Phải là ngày dạng chuỗi YYYY-MM-DD.")
        return value

    @field_validator("assignee", mode="before")
    @classmethod
    def _assignee(cls, value):
        return validation.clean_text(value, "Người xử lý", 64, required=False)

    @field_validator("missing_papers", mode="before")
    @classmethod
    def _missing_papers(cls, value):
        if value is None:
            return None
        if not isinstance(value, list):
            raise ValueError("Danh sách giấy tờ cần bổ sung phải là một danh sách.")
        if len(value) > 30:
            raise ValueError("Danh sách giấy tờ cần bổ sung có quá 30 mục.")
        cleaned = [
            validation.clean_text(item, "Tên giấy tờ", 300, required=False)
            for item in value
        ]
        return [item for item in cleaned if item]


class ResolvedCountsOut(BaseModel):
    total: int
    early: int
    on_time: int
    late: int


class PendingCountsOut(BaseModel):
    total: int
    within_deadline: int
    overdue: int


class StatisticsCountsOut(BaseModel):
    on_hand: int = Field(description="Kỳ trước chuyển sang và tiếp nhận trong kỳ")
    carried_over: int
    received: int
    resolved: ResolvedCountsOut
    rejected: int
    withdrawn: int
    pending: PendingCountsOut = Field(description="Đang giải quyết cuối kỳ")


class FieldStatisticsOut(StatisticsCountsOut):
    field: str


class OfficerStatisticsOut(StatisticsCountsOut):
    officer: str
    username: str | None = Field(description="null: hồ sơ chưa phân công")


class StatisticsPeriodOut(BaseModel):
    start: date
    end: date


class DossierStatisticsOut(BaseModel):
    period: StatisticsPeriodOut
    authority_name: str
    total: StatisticsCountsOut
    by_field: list[FieldStatisticsOut]
    by_officer: list[OfficerStatisticsOut]
