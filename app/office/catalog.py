"""The procedure catalogue: reading and merging catalogue CSV files.

A catalogue CSV has the columns of CONTRACT.md (`code, name, field,
time_limit_days, fee_vnd`) and may add `cutoff`, `legal_basis` and `papers`.
Lines that start with "#" are comments. A file is merged whole or not at
all: one bad row and nothing changes.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from sqlalchemy import select
from sqlite_utils.utils import Format, RowError, rows_from_file

from app.audit.services import record_event
from app.core.database import utcnow, writing
from app.core.errors import ValidationFailed
from app.core.text import squeeze, vietnamese_collation_key
from app.extensions import db
from app.office.models import Procedure

BUNDLED_CATALOG = Path(__file__).parent / "data" / "procedures.csv"
REQUIRED_COLUMNS = ("code", "name", "field", "time_limit_days", "fee_vnd")
# Where a file says nothing, the one-stop practice of counting a request
# received after 15:00 from the next working day applies.
DEFAULT_CUTOFF = time(15, 0)
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
MAX_ROWS = 5000


@dataclass
class ImportResult:
    added: int
    updated: int


def read_catalog(data: bytes) -> list[dict]:
    """Parse and check catalogue rows; raise ValidationFailed listing faults."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("Tệp danh mục phải được lưu ở mã UTF-8.") from None

    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    content = "\n".join(lines).encode("utf-8")
    try:
        rows, _ = rows_from_file(io.BytesIO(content), Format.CSV)
        rows = list(rows)
    except RowError:
        raise ValidationFailed(
            "Tệp CSV có dòng nhiều giá trị hơn số cột của dòng tiêu đề; "
            "hãy kiểm tra các dấu phẩy và dấu ngoặc kép."
        ) from None
    except (csv.Error, ValueError) as error:
        raise ValidationFailed(f"Không đọc được tệp CSV ({error}).") from None

    if not rows:
        raise ValidationFailed("Tệp danh mục không có dòng dữ liệu nào.")
    missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
    if missing:
        raise ValidationFailed(
            "Tệp danh mục thiếu cột: " + ", ".join(missing) + ". Dòng tiêu đề "
            "phải có: code,name,field,time_limit_days,fee_vnd."
        )
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(f"Tệp danh mục quá {MAX_ROWS} dòng.")

    parsed, faults, seen = [], {}, set()
    for number, row in enumerate(rows, start=2):
        try:
            item = _parse_row(row)
        except ValueError as error:
            faults[f"dòng {number}"] = str(error)
            continue
        if item["code"] in seen:
            faults[f"dòng {number}"] = f"mã {item['code']} bị lặp."
            continue
        seen.add(item["code"])
        parsed.append(item)

    if faults:
        raise ValidationFailed(
            f"Tệp danh mục có {len(faults)} dòng không hợp lệ; chưa nhập dòng nào.",
            faults,
        )
    return parsed


def _parse_row(row: dict) -> dict:
    """Check one row; return only the columns the file actually has."""
    code = (row.get("code") or "").strip()
    if not CODE_PATTERN.match(code):
        raise ValueError(f"mã thủ tục “{code}” không hợp lệ.")
    name = squeeze(row.get("name") or "")
    if not name or len(name) > 500:
        raise ValueError("tên thủ tục trống hoặc dài quá 500 ký tự.")
    field = squeeze(row.get("field") or "")
    if not field or len(field) > 120:
        raise ValueError("lĩnh vực trống hoặc dài quá 120 ký tự.")

    item = {
        "code": code,
        "name": name,
        "field": field,
        "time_limit_days": _days(row.get("time_limit_days")),
        "fee_vnd": _amount(row.get("fee_vnd")),
    }
    if "cutoff" in row:
        item["cutoff"] = _parse_cutoff(row.get("cutoff"))
    for column, limit in (("legal_basis", 500), ("papers", 6000)):
        if column in row:
            text = squeeze(row.get(column) or "")
            if len(text) > limit:
                raise ValueError(f"cột {column} dài quá {limit} ký tự.")
            item[column] = text
    if "deciding_authority" in row:
        item["deciding_authority"] = squeeze(row.get("deciding_authority") or "")[:200]
    return item


def _days(value) -> int:
    text = (value or "").strip()
    if not re.fullmatch(r"[0-9]{1,3}", text) or int(text) > 365:
        shown = text or "trống"
        raise ValueError(
            f"thời hạn giải quyết “{shown}” phải là số ngày làm việc nguyên, "
            "từ 0 đến 365."
        )
    return int(text)


def _amount(value) -> int:
    text = (value or "").strip()
    # Plain digits, or thousands grouped by dots or commas: 10000, 10.000.
    if re.fullmatch(r"[0-9]{1,9}", text):
        return int(text)
    if re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3}){1,2}", text):
        return int(re.sub(r"[.,]", "", text))
    shown = text or "trống"
    raise ValueError(
        f"lệ phí “{shown}” phải là số đồng nguyên, ví dụ 10000 hoặc 10.000."
    )


def _parse_cutoff(value) -> time | None:
    text = (value or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,2}:[0-9]{2}", text):
        raise ValueError(f"giờ chốt “{text}” phải có dạng HH:MM, ví dụ 15:00.")
    hour, minute = (int(part) for part in text.split(":"))
    if hour > 23 or minute > 59:
        raise ValueError(f"giờ chốt “{text}” không phải một giờ trong ngày.")
    return time(hour, minute)


def merge_catalog(data: bytes, source: str, only_new: bool = False) -> ImportResult:
    """Merge a catalogue file into the procedures table, all or nothing.

    Columns the file does not have keep their stored values; with
    `only_new`, procedures already in the table are left as they are (the
    bundled list never overwrites what the province published).
    """
    items = read_catalog(data)
    added = updated = 0

    with writing() as session:
        existing = {
            p.code: p
            for p in session.scalars(
                select(Procedure).where(Procedure.code.in_([i["code"] for i in items]))
            )
        }
        for item in items:
            procedure = existing.get(item["code"])
            if procedure is None:
                item.setdefault("cutoff", DEFAULT_CUTOFF)
                session.add(Procedure(**item, active=True, updated_at=utcnow()))
                added += 1
                continue
            if only_new:
                continue
            changed = any(getattr(procedure, k) != v for k, v in item.items())
            if changed or not procedure.active:
                for key, value in item.items():
                    setattr(procedure, key, value)
                procedure.active = True
                procedure.updated_at = utcnow()
                updated += 1
        record_event(
            "catalog_imported",
            entity="catalog",
            source=source,
            added=added,
            updated=updated,
        )
    return ImportResult(added, updated)


def load_bundled_catalog() -> ImportResult:
    """Merge the catalogue that ships with the application."""
    return merge_catalog(BUNDLED_CATALOG.read_bytes(), source="bundled", only_new=True)


def list_procedures(active_only: bool = True) -> list[Procedure]:
    """Return the catalogue by field and name, in Vietnamese order."""
    query = select(Procedure)
    if active_only:
        query = query.where(Procedure.active.is_(True))
    return sorted(
        db.session.scalars(query),
        key=lambda p: (
            vietnamese_collation_key(p.field),
            vietnamese_collation_key(p.name),
        ),
    )
