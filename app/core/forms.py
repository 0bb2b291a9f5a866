"""The base of every web form: Vietnamese messages and NFC text.

WTForms ships no Vietnamese catalogue, so the few built-in messages a clerk
can meet are translated here; and text fields are normalised to NFC before
any length check, so that a name typed in NFD is measured like the same
name in NFC.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from app.core.text import nfc

# WTForms' own messages, as a clerk should read them.
MESSAGES = {
    "Not a valid integer value.": "Vui lòng nhập một số nguyên.",
    "Not a valid decimal value.": "Vui lòng nhập một số.",
    "Not a valid float value.": "Vui lòng nhập một số.",
    "Not a valid datetime value.": "Thời điểm không hợp lệ; chọn ngày và giờ, phút.",
    "Not a valid date value.": "Ngày không hợp lệ; chọn ngày theo lịch.",
    "Not a valid time value.": "Giờ không hợp lệ.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "This field is required.": "Trường này là bắt buộc.",
    "Invalid input.": "Giá trị không hợp lệ.",
}
SESSION_EXPIRED = "Phiên làm việc đã hết hạn; vui lòng tải lại trang rồi thử lại."
MESSAGES.update(
    dict.fromkeys(
        (
            "The CSRF token is missing.",
            "The CSRF token is invalid.",
            "The CSRF token has expired.",
            "The CSRF tokens do not match.",
        ),
        SESSION_EXPIRED,
    )
)


class VietnameseMessages:
    """A gettext-like object that WTForms asks for its messages."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def _nfc_filter(value):
    return nfc(value) if isinstance(value, str) else value


class XasoForm(FlaskForm):
    """A FlaskForm with Vietnamese messages and NFC text fields."""

    class Meta:
        def get_translations(self, form):
            return VietnameseMessages()

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            # Passwords are compared as typed, never rewritten.
            if issubclass(field_class, StringField) and not issubclass(
                field_class, PasswordField
            ):
                filters = tuple(options.get("filters", ())) + tuple(
                    unbound_field.kwargs.get("filters", ())
                )
                options["filters"] = (_nfc_filter, *filters)
            return unbound_field.bind(form=form, **options)
