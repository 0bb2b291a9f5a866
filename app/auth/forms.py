"""Sign-in form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
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
