"""Forms of the office's own pages."""

from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import XasoForm


class CalendarExceptionForm(XasoForm):
    day = DateField(
        "Ngày", validators=[DataRequired("Vui lòng chọn ngày (dạng ngày/tháng/năm).")]
    )
    kind = SelectField(
        "Loại ngày",
        choices=[
            SelectChoice("off", "Ngày nghỉ do tỉnh công bố"),
            SelectChoice("work", "Ngày làm bù (thứ Bảy, Chủ nhật đi làm)"),
        ],
        default="off",
    )
    note = StringField(
        "Ghi chú (văn bản công bố)",
        validators=[Optional(), Length(max=255, message="Ghi chú dài quá 255 ký tự.")],
    )
