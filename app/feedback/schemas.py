"""The shapes of feedback on the JSON API, with their checks."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from app.core import validation

MAX_CONTENT = 20_000


class SubmitterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = None
    phone: str | None = None
    address: str | None = None
    id_number: str | None = None
    email: str | None = None

    @field_validator("full_name", mode="before")
    @classmethod
    def _name(cls, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return validation.clean_person_name(value)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value):
        return validation.clean_phone(value)

    @field_validator("address", mode="before")
    @classmethod
    def _address(cls, value):
        return validation.clean_text(value, "Địa chỉ", 255, required=False)

    @field_validator("id_number", mode="before")
    @classmethod
    def _id_number(cls, value):
        return validation.clean_citizen_id(value)

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value):
        return validation.clean_email(value)


class FeedbackIntake(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(description="counter, phone, letter, email, portal, ...")
    category_code: str | None = None
    title: str
    content: str
    submitter: SubmitterIn | None = None
    location: str | None = Field(None, description="Thôn, tổ dân phố hoặc địa chỉ")
    received_at: AwareDatetime | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)

    @field_validator("channel", "category_code", mode="before")
    @classmethod
    def _code(cls, value):
        return validation.clean_text(value, "Mã", 32, required=False)

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value):
        text = validation.clean_text(value, "Tiêu đề", 300, required=True)
        return validation.refuse_markup(text, "Tiêu đề")

    @field_validator("content", mode="before")
    @classmethod
    def _content(cls, value):
        text = validation.clean_text(
            value, "Nội dung", MAX_CONTENT, required=True, keep_lines=True
        )
        return validation.refuse_markup(text, "Nội dung")

    @field_validator("location", mode="before")
    @classmethod
    def _location(cls, value):
        text = validation.clean_text(value, "Địa điểm", 255, required=False)
        return validation.refuse_markup(text, "Địa điểm")

    @field_validator("received_at", mode="before")
    @classmethod
    def _received_at(cls, value):
        if value is not None and not isinstance(value, str):
            raise ValueError("Phải là thời điểm ISO 8601 dạng chuỗi, kèm múi giờ.")
        return value


class FeedbackTransitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(description="accept, reject, assign, respond, publish, close")
    note: str | None = None
    reason: str | None = Field(None, description="reject: lý do không thụ lý")
    assignee: str | None = Field(None, description="assign: tên đăng nhập")
    response: str | None = Field(None, description="respond: nội dung trả lời")
    into: str | None = Field(None, description="merge: mã phản ánh được gộp vào")

    @field_validator("action", mode="before")
    @classmethod
    def _action(cls, value):
        return validation.clean_text(value, "Thao tác", 40, required=True)

    @field_validator("note", "reason", mode="before")
    @classmethod
    def _text(cls, value):
        return validation.clean_text(value, "Nội dung", 2000, required=False)

    @field_validator("response", mode="before")
    @classmethod
    def _response(cls, value):
        text = validation.clean_text(
            value, "Nội dung trả lời", MAX_CONTENT, required=False, keep_lines=True
        )
        return validation.refuse_markup(text, "Nội dung trả lời")

    @field_validator("assignee", "into", mode="before")
    @classmethod
    def _short(cls, value):
        return validation.clean_text(value, "Giá trị", 64, required=False)


class FeedbackCategoryOut(BaseModel):
    code: str
    name: str


class FeedbackCreatedOut(BaseModel):
    code: str
    uuid: str
    status: str
    due_date: date
    possible_duplicates: list[str]


class FeedbackTransitionOut(BaseModel):
    action: str
    from_status: str | None
    to_status: str
    note: str | None
    data: dict
    actor: str | None
    at: datetime


class FeedbackOut(BaseModel):
    code: str
    uuid: str
    version: int
    status: str
    status_label: str
    channel: str
    category_code: str | None
    title: str
    content: str
    submitter: dict | None
    location: str | None
    received_at: datetime
    due_date: date
    assignee: str | None
    response: str | None
    responded_at: datetime | None
    published_at: datetime | None
    duplicate_of: str | None


class FeedbackDetailOut(FeedbackOut):
    transitions: list[FeedbackTransitionOut]
    possible_duplicates: list[str]


class FeedbackPage(BaseModel):
    items: list[FeedbackOut]
    total: int
    page: int
    page_size: int
