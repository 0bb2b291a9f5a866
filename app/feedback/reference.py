"""The bundled channels and categories of feedback, loaded by `setup`."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select
from sqlite_utils.utils import Format, rows_from_file

from app.core.database import utcnow, writing
from app.core.text import squeeze
from app.feedback.models import FeedbackCategory, FeedbackChannel

BUNDLED_CATEGORIES = Path(__file__).parent / "data" / "categories.csv"

# (code, name, requires_name). Decree 20/2008/NĐ-CP wants the sender's name
# and address; a province may accept anonymous tips on some channels.
CHANNELS = (
    ("counter", "Trực tiếp tại bộ phận một cửa", True),
    ("phone", "Điện thoại, đường dây nóng", True),
    ("letter", "Văn bản, thư gửi qua bưu chính", True),
    ("email", "Thư điện tử", True),
    ("portal", "Cổng Dịch vụ công quốc gia", True),
    ("province", "Do tỉnh chuyển đến", False),
    ("open311", "Ứng dụng (giao diện Open311)", True),
)


def load_bundled_reference() -> tuple[int, int]:
    """Add the bundled channels and categories that are missing; keep edits."""
    text = BUNDLED_CATEGORIES.read_text(encoding="utf-8")
    lines = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    rows, _ = rows_from_file(io.BytesIO(lines.encode("utf-8")), Format.CSV)

    added_channels = added_categories = 0
    with writing() as session:
        known = set(session.scalars(select(FeedbackChannel.code)))
        for code, name, requires_name in CHANNELS:
            if code not in known:
                session.add(
                    FeedbackChannel(code=code, name=name, requires_name=requires_name)
                )
                added_channels += 1
        known = set(session.scalars(select(FeedbackCategory.code)))
        for row in rows:
            if row["code"] in known:
                continue
            session.add(
                FeedbackCategory(
                    code=row["code"],
                    name=squeeze(row["name"]),
                    description=squeeze(row.get("description") or ""),
                    time_limit_days=int(row["time_limit_days"]),
                    updated_at=utcnow(),
                )
            )
            added_categories += 1
    return added_channels, added_categories
