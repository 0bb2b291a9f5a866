"""Sign-in and account forms."""

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app.core.forms import XasoForm


class LoginForm(XasoForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired("Vui lòng nhập tên đăng nhập."),
            Length(max=64, message="Tên đăng nhập quá dài."),
        ],
    )
    password = PasswordField(
        "Mật khẩu",
        validators=[
            DataRequired("Vui lòng nhập mật khẩu."),
            Length(max=256, message="Mật khẩu quá dài."),
        ],
    )
    remember = BooleanField("Ghi nhớ trên máy này")


ROLE_CHOICES = [
    SelectChoice("clerk", "Công chức một cửa"),
    SelectChoice("officer", "Công chức chuyên môn"),
    SelectChoice("leader", "Lãnh đạo UBND"),
    SelectChoice("admin", "Quản trị hệ thống"),
]


class UserForm(XasoForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired("Vui lòng nhập tên đăng nhập."),
            Length(max=64, message="Tên đăng nhập quá dài."),
        ],
    )
    full_name = StringField(
        "Họ và tên",
        validators=[
            DataRequired("Vui lòng nhập họ và tên."),
            Length(max=120, message="Họ và tên dài quá 120 ký tự."),
        ],
    )
    role = SelectField("Vai trò", choices=ROLE_CHOICES, default="clerk")
    password = PasswordField(
        "Mật khẩu (ít nhất 10 ký tự)",
        validators=[
            DataRequired("Vui lòng nhập mật khẩu."),
            Length(max=256, message="Mật khẩu quá dài."),
        ],
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu",
        validators=[EqualTo("password", "Hai lần nhập mật khẩu không khớp.")],
    )


class PasswordResetForm(XasoForm):
    password = PasswordField(
        "Mật khẩu mới (ít nhất 10 ký tự)",
        validators=[
            DataRequired("Vui lòng nhập mật khẩu mới."),
            Length(max=256, message="Mật khẩu quá dài."),
        ],
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[EqualTo("password", "Hai lần nhập mật khẩu không khớp.")],
    )
