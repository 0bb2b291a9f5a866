"""Input checks shared by web forms, the JSON API and the CLI.

Each check takes raw text and returns the clean value or raises ValueError
with a Vietnamese sentence that can be shown as it is. The pydantic models
of the API and the WTForms forms of the pages both call these.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import ValidationError

from app.core.errors import ValidationFailed
from app.core.text import has_surrogates, squeeze

# Province codes at the head of a 12-digit citizen ID (Circular 59/2021/TT-BCA,
# Annex I), as issued before the 2025 merger of provinces.
ID_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 "
    "030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 "
    "056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 "
    "086 087 089 091 092 093 094 095 096".split()
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$")
_NAME_PUNCTUATION = frozenset(" '-.")


# Emoji and other pictographs, private-use and unassigned code points: the
# bundled font cannot print them on an official form.
_UNPRINTABLE = frozenset({"So", "Co", "Cn", "Cs"})


def clean_text(
    value: Any, label: str, max_length: int, required: bool, keep_lines: bool = False
) -> str | None:
    """Return NFC text with collapsed spaces, or raise for empty or long text.

    With `keep_lines`, line breaks survive (at most one blank line in a row)
    for the long texts of letters and answers.
    """
    if value is None:
        text = ""
    elif isinstance(value, str):
        if has_surrogates(value):
            raise ValueError(f"{label} có ký tự không hợp lệ.")
        if keep_lines:
            lines = [squeeze(line) or "" for line in value.splitlines()]
            text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
        else:
            text = squeeze(value) or ""
    else:
        raise ValueError(f"{label} phải là chuỗi ký tự.")
    for char in text:
        if unicodedata.category(char) in _UNPRINTABLE:
            raise ValueError(
                f"{label} có ký tự không in được trên giấy tờ (“{char}”); "
                "vui lòng chỉ dùng chữ, số và dấu câu."
            )
    if not text:
        if required:
            raise ValueError(f"Vui lòng nhập {label.lower()}.")
        return None
    if len(text) > max_length:
        raise ValueError(f"{label} dài quá {max_length} ký tự.")
    return text


def clean_person_name(value: Any) -> str:
    """Return a person's full name, refusing markup and stray symbols."""
    name = clean_text(value, "Họ và tên", 120, required=True)
    previous = " "
    for char in name:
        category = unicodedata.category(char)
        if category.startswith("M"):
            # After NFC a Vietnamese letter carries its marks itself; a loose
            # mark may only follow a letter, once.
            if not unicodedata.category(previous).startswith("L"):
                raise ValueError("Họ và tên có dấu thanh hoặc dấu phụ đặt sai chỗ.")
        elif char not in _NAME_PUNCTUATION and not category.startswith("L"):
            raise ValueError(
                "Họ và tên chỉ được gồm chữ cái, dấu cách và các dấu ' - . "
                f"(có ký tự không hợp lệ: “{char}”)."
            )
        previous = char
    if not unicodedata.category(name[0]).startswith("L") or (
        sum(unicodedata.category(c).startswith("L") for c in name) < 2
    ):
        raise ValueError("Họ và tên phải bắt đầu bằng chữ cái và có ít nhất hai chữ.")
    return name


def clean_citizen_id(value: Any) -> str | None:
    """Return a 12-digit citizen ID (CCCD / số định danh cá nhân), or None."""
    text = clean_text(value, "Số định danh cá nhân", 20, required=False)
    if text is None:
        return None
    digits = text.replace(" ", "")
    if not digits.isascii() or not digits.isdigit() or len(digits) != 12:
        raise ValueError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if digits[:3] not in ID_PROVINCE_CODES:
        raise ValueError(
            "Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh hợp lệ."
        )
    return digits


def clean_phone(value: Any) -> str | None:
    """Return a Vietnamese phone number as 10 or 11 digits starting with 0."""
    text = clean_text(value, "Số điện thoại", 20, required=False)
    if text is None:
        return None
    digits = _PHONE_SEPARATORS.sub("", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isascii() or not re.fullmatch(r"0[1-9]\d{8,9}", digits):
        raise ValueError(
            "Số điện thoại phải gồm 10 chữ số (di động) hoặc 11 chữ số "
            "(cố định), bắt đầu bằng 0."
        )
    return digits


# A tag: "<" then an ASCII name, then a space, "/" or ">" ("<bị tắc>" is
# Vietnamese text, "<b>" or "<script src=...>" is markup); or a comment.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(\s|/|>)|<!--|<\?")


def refuse_markup(text: str | None, label: str) -> str | None:
    """Refuse text that carries HTML tags; nothing here is ever HTML."""
    if text and _MARKUP.search(text):
        raise ValueError(
            f"{label} không được chứa mã HTML (thẻ như <script>); "
            "vui lòng chỉ nhập văn bản."
        )
    return text


def clean_email(value: Any) -> str | None:
    """Return an e-mail address in a plain form, or None."""
    text = clean_text(value, "Thư điện tử", 254, required=False)
    if text is None:
        return None
    if not _EMAIL.match(text):
        raise ValueError("Địa chỉ thư điện tử không đúng dạng, ví dụ ten@example.vn.")
    return text


# How pydantic's error types read in Vietnamese.
_PYDANTIC_MESSAGES = {
    "missing": "Trường này là bắt buộc.",
    "extra_forbidden": "Trường này không được hỗ trợ.",
    "string_type": "Phải là chuỗi ký tự.",
    "int_type": "Phải là số nguyên.",
    "int_parsing": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "list_type": "Phải là một danh sách.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "datetime_type": "Phải là thời điểm theo ISO 8601, kèm múi giờ.",
    "datetime_parsing": "Phải là thời điểm theo ISO 8601, kèm múi giờ.",
    "datetime_from_date_parsing": "Phải là thời điểm theo ISO 8601, kèm múi giờ.",
    "timezone_aware": "Thiếu múi giờ; ví dụ: 2026-12-04T09:30:00+07:00.",
    "date_type": "Phải là ngày dạng YYYY-MM-DD.",
    "date_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "date_from_datetime_parsing": "Phải là ngày dạng YYYY-MM-DD.",
    "bool_type": "Phải là true hoặc false.",
    "bool_parsing": "Phải là true hoặc false.",
}


def translate_pydantic(error: ValidationError) -> ValidationFailed:
    """Turn pydantic's errors into one ValidationFailed with Vietnamese text."""
    fields: dict[str, str] = {}
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"]) or "body"
        kind = item["type"]
        if kind == "value_error":
            message = str(item.get("ctx", {}).get("error", "Giá trị không hợp lệ."))
        elif kind == "literal_error":
            expected = str(item.get("ctx", {}).get("expected", ""))
            message = f"Chọn một trong: {expected.replace(' or ', ', ')}."
        elif kind in ("greater_than_equal", "less_than_equal", "too_long"):
            message = "Giá trị nằm ngoài khoảng cho phép."
        else:
            message = _PYDANTIC_MESSAGES.get(kind, "Giá trị không hợp lệ.")
        fields.setdefault(location, message)
    return ValidationFailed(
        "Dữ liệu gửi lên chưa hợp lệ; vui lòng xem từng trường.", fields
    )


def parse_body(model, data: Any):
    """Check a JSON object against a pydantic model, in Vietnamese."""
    if not isinstance(data, dict):
        raise ValidationFailed("Nội dung gửi lên phải là một đối tượng JSON.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise translate_pydantic(error) from None


def parse_action(model, data: Any, actions):
    """Check a transition request and that its action is one of `actions`."""
    request = parse_body(model, data)
    if request.action not in actions:
        raise ValidationFailed(
            f"Không có thao tác “{request.action}”.",
            {"action": "Chọn một trong: " + ", ".join(actions) + "."},
        )
    return request
