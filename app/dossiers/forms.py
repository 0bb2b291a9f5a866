"""The dossier intake form of the web pages."""

from __future__ import annotations

from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import XasoForm
from app.dossiers.models import CHANNEL_LABELS


class DossierIntakeForm(XasoForm):
    procedure_code = SelectField(
        "Thủ tục hành chính",
        validators=[DataRequired("Vui lòng chọn thủ tục.")],
        validate_choice=False,
    )
    full_name = StringField(
        "Họ và tên người nộp",
        validators=[
            DataRequired("Vui lòng nhập họ và tên."),
            Length(max=120, message="Họ và tên dài quá 120 ký tự."),
        ],
    )
    id_number = StringField(
        "Số định danh cá nhân (12 số)",
        validators=[Optional(), Length(max=20, message="Số định danh quá dài.")],
    )
    phone = StringField(
        "Số điện thoại",
        validators=[Optional(), Length(max=20, message="Số điện thoại quá dài.")],
    )
    address = StringField(
        "Địa chỉ",
        validators=[Optional(), Length(max=255, message="Địa chỉ dài quá 255 ký tự.")],
    )
    channel = SelectField(
        "Hình thức nộp",
        choices=[SelectChoice(key, label) for key, label in CHANNEL_LABELS.items()],
        default="counter",
    )
    received_at = DateTimeLocalField(
        "Thời điểm tiếp nhận (bỏ trống là bây giờ)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    papers = TextAreaField(
        "Thành phần hồ sơ đã nhận (mỗi dòng một giấy tờ)",
        validators=[Optional(), Length(max=6000, message="Danh sách giấy tờ quá dài.")],
    )
    copies = IntegerField(
        "Số bộ hồ sơ",
        default=1,
        validators=[NumberRange(1, 20, "Số bộ hồ sơ từ 1 đến 20.")],
    )
    note = TextAreaField(
        "Ghi chú",
        validators=[
            Optional(),
            Length(max=2000, message="Ghi chú dài quá 2000 ký tự."),
        ],
    )

    def offer_procedures(self, procedures) -> None:
        """Offer the catalogue's procedures, grouped by field."""
        self.procedure_code.choices = [SelectChoice("", "— Chọn thủ tục —")] + [
            SelectChoice(
                p.code,
                f"{p.name} ({p.code})",
                render_kw={"data-papers": "\n".join(p.paper_list)},
                optgroup=p.field,
            )
            for p in procedures
        ]

    def intake_data(self, received_at_iso: str | None) -> dict:
        """Shape the form's data as the API's intake body."""
        papers = [
            line for line in (self.papers.data or "").splitlines() if line.strip()
        ]
        return {
            "procedure_code": self.procedure_code.data,
            "applicant": {
                "full_name": self.full_name.data,
                "id_number": self.id_number.data or None,
                "phone": self.phone.data or None,
                "address": self.address.data or None,
            },
            "received_at": received_at_iso,
            "channel": self.channel.data,
            "note": self.note.data or None,
            "papers": papers or None,
            "copies": self.copies.data,
        }
