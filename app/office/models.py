"""The office's identity, its working calendar and the procedure catalogue."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import UTCDateTime, utcnow
from app.extensions import db


class Office(db.Model):
    """The one commune this installation serves (one row)."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), unique=True)
    commune_name: Mapped[str] = mapped_column(String(120))
    division_type: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(2))
    province_name: Mapped[str] = mapped_column(String(120))
    # The issuing body as forms print it, e.g. "UBND PHƯỜNG VĨNH YÊN".
    authority_name: Mapped[str] = mapped_column(String(160))
    # The one-stop unit that signs the slips (Decree 118/2025 and Circular
    # 03/2025/TT-VPCP: the commune's public administrative service centre).
    one_stop_unit: Mapped[str] = mapped_column(
        String(160), default="Trung tâm Phục vụ hành chính công"
    )
    # Place name of the date line ("Vĩnh Yên, ngày ...").
    place_name: Mapped[str] = mapped_column(String(120))
    # Prefix of dossier codes, unique in the country.
    agency_code: Mapped[str] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The chairperson who signs letters on behalf of the committee.
    head_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def name_in_text(self) -> str:
        """Name the commune inside a sentence ("phường Vĩnh Yên")."""
        return f"{self.division_type.lower()} {self.place_name}"

    @property
    def display_name(self) -> str:
        return f"{self.commune_name}, {self.province_name}"


class CalendarException(db.Model):
    """A day the province declared off, or a weekend made a working day."""

    __tablename__ = "calendar_exceptions"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(255), default="")


class Procedure(db.Model):
    """An administrative procedure of the catalogue (province data)."""

    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    field: Mapped[str] = mapped_column(String(120), index=True)
    time_limit_days: Mapped[int] = mapped_column(Integer)
    fee_vnd: Mapped[int] = mapped_column(Integer, default=0)
    # Requests received after this time count from the next working day
    # (Luật Hộ tịch 2014 art. 5; Decree 23/2015 art. 7); None: no such rule.
    cutoff: Mapped[time | None] = mapped_column(Time, nullable=True)
    legal_basis: Mapped[str] = mapped_column(String(500), default="")
    papers: Mapped[str] = mapped_column(Text, default="")
    # Who decides: empty means this commune's People's Committee; otherwise
    # the body of the province the commune centre forwards the dossier to.
    deciding_authority: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def paper_list(self) -> list[str]:
        return [p.strip() for p in self.papers.split("|") if p.strip()]
