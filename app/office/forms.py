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


class OfficeSettingsForm(XasoForm):
    one_stop_unit = StringField(
        "Tên bộ phận một cửa (in trên phiếu)",
        validators=[
            DataRequired("Vui lòng nhập tên bộ phận một cửa."),
            Length(max=160, message="Tên dài quá 160 ký tự."),
        ],
    )
    agency_code = StringField(
        "Mã định danh cơ quan (đầu mã hồ sơ)",
        validators=[
            DataRequired("Vui lòng nhập mã định danh."),
            Length(max=32, message="Mã dài quá 32 ký tự."),
        ],
    )
    address = StringField(
        "Địa chỉ trụ sở",
        validators=[Optional(), Length(max=255, message="Địa chỉ dài quá 255 ký tự.")],
    )
    phone = StringField(
        "Điện thoại bộ phận một cửa",
        validators=[Optional(), Length(max=20, message="Số điện thoại quá dài.")],
    )
    head_name = StringField(
        "Họ và tên Chủ tịch UBND (ký văn bản)",
        validators=[Optional(), Length(max=120, message="Họ và tên quá dài.")],
    )
