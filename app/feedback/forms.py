"""The feedback intake form of the web pages."""

from __future__ import annotations

from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import XasoForm


class FeedbackIntakeForm(XasoForm):
    channel = SelectField("Kênh tiếp nhận", validate_choice=False)
    category_code = SelectField("Loại phản ánh", validate_choice=False)
    title = StringField(
        "Tiêu đề",
        validators=[
            DataRequired("Vui lòng nhập tiêu đề."),
            Length(max=300, message="Tiêu đề dài quá 300 ký tự."),
        ],
    )
    content = TextAreaField(
        "Nội dung phản ánh, kiến nghị",
        validators=[
            DataRequired("Vui lòng nhập nội dung."),
            Length(max=20_000, message="Nội dung dài quá 20.000 ký tự."),
        ],
    )
    location = StringField(
        "Địa điểm (thôn, tổ dân phố, địa chỉ)",
        validators=[Optional(), Length(max=255, message="Địa điểm quá dài.")],
    )
    full_name = StringField(
        "Họ và tên người gửi",
        validators=[Optional(), Length(max=120, message="Họ và tên quá dài.")],
    )
    phone = StringField(
        "Số điện thoại", validators=[Optional(), Length(max=20, message="Quá dài.")]
    )
    address = StringField(
        "Địa chỉ người gửi",
        validators=[Optional(), Length(max=255, message="Địa chỉ quá dài.")],
    )
    id_number = StringField(
        "Số định danh cá nhân (nếu có)",
        validators=[Optional(), Length(max=20, message="Quá dài.")],
    )
    email = StringField(
        "Thư điện tử (nếu có)",
        validators=[Optional(), Length(max=254, message="Quá dài.")],
    )
    received_at = DateTimeLocalField(
        "Thời điểm tiếp nhận (bỏ trống là bây giờ)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )

    def offer(self, channels, categories) -> None:
        """Offer the active channels and categories."""
        self.channel.choices = [SelectChoice(c.code, c.name) for c in channels]
        self.category_code.choices = [SelectChoice("", "— Chưa phân loại —")] + [
            SelectChoice(c.code, c.name) for c in categories
        ]

    def intake_data(self, received_at_iso: str | None) -> dict:
        """Shape the form's data as the API's intake body."""
        submitter = {
            "full_name": self.full_name.data or None,
            "phone": self.phone.data or None,
            "address": self.address.data or None,
            "id_number": self.id_number.data or None,
            "email": self.email.data or None,
        }
        return {
            "channel": self.channel.data,
            "category_code": self.category_code.data or None,
            "title": self.title.data,
            "content": self.content.data,
            "location": self.location.data or None,
            "submitter": submitter if any(submitter.values()) else None,
            "received_at": received_at_iso,
        }
