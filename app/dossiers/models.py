"""Dossiers, their recorded transitions and the daily code sequences."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.database import SyncedMixin, UTCDateTime, new_uuid, utcnow
from app.extensions import db
from app.office.models import Procedure

STATUS_LABELS = {
    "received": "Đã tiếp nhận",
    "in_progress": "Đang giải quyết",
    "awaiting_supplement": "Chờ bổ sung",
    "resolved": "Đã có kết quả",
    "returned": "Đã trả kết quả",
    "rejected": "Từ chối giải quyết",
    "withdrawn": "Công dân rút hồ sơ",
}

ACTION_LABELS = {
    "receive": "Tiếp nhận",
    "start": "Bắt đầu giải quyết",
    "request_supplement": "Yêu cầu bổ sung",
    "supplement_received": "Nhận hồ sơ bổ sung",
    "resolve": "Có kết quả",
    "return_result": "Trả kết quả",
    "reject": "Từ chối",
    "withdraw": "Rút hồ sơ",
    "reschedule": "Hẹn lại ngày trả",
}

CHANNEL_LABELS = {
    "counter": "Trực tiếp",
    "post": "Qua dịch vụ bưu chính",
    "online": "Trực tuyến",
}


class Dossier(SyncedMixin, db.Model):
    __tablename__ = "dossiers"
    # Lists filter by state and sort by receipt or deadline (issue #3).
    __table_args__ = (
        Index("ix_dossiers_status_received_at", "status", "received_at"),
        Index("ix_dossiers_status_due_date", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    procedure_code: Mapped[str] = mapped_column(
        ForeignKey("procedures.code"), index=True
    )
    status: Mapped[str] = mapped_column(String(24), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="counter")
    applicant_name: Mapped[str] = mapped_column(String(120))
    applicant_id_number: Mapped[str | None] = mapped_column(
        String(12), nullable=True, index=True
    )
    applicant_phone: Mapped[str | None] = mapped_column(String(15), nullable=True)
    applicant_address: Mapped[str | None] = mapped_column(String(255), nullable=True)
    papers: Mapped[list] = mapped_column(JSON, default=list)
    copies: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, index=True
    )
    # Since 2025 a commune centre also accepts dossiers that another body
    # of the province decides (Decree 118/2025): both are recorded.
    receiving_office: Mapped[str] = mapped_column(String(200), default="")
    deciding_authority: Mapped[str] = mapped_column(String(200), default="")
    # The legal deadline: set at intake, restarted when missing papers
    # arrive, never moved by an apology (which moves only due_date).
    legal_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The first appointment, kept when a supplement or an apology moves it.
    original_due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Papers asked for by the open supplement request, all in one list.
    missing_papers: Mapped[list] = mapped_column(JSON, default=list)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, nullable=True, index=True
    )
    # Search keys (app.core.text): folded and exact forms of name and code,
    # and the Vietnamese collation key of the name (given name first).
    search_folded: Mapped[str] = mapped_column(Text, default="")
    search_exact: Mapped[str] = mapped_column(Text, default="")
    sort_name: Mapped[str] = mapped_column(String(400), default="", index=True)

    procedure: Mapped[Procedure] = relationship(lazy="joined")
    received_by: Mapped[User] = relationship(
        lazy="joined", foreign_keys=[received_by_id]
    )
    assignee: Mapped[User | None] = relationship(
        lazy="joined", foreign_keys=[assignee_id]
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", order_by="Attachment.id"
    )
    transitions: Mapped[list[DossierTransition]] = relationship(
        back_populates="dossier", order_by="DossierTransition.id"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)


class DossierTransition(db.Model):
    """One recorded change of a dossier's state (append-only)."""

    __tablename__ = "dossier_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the action carried: missing papers, a new date, an assignee.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship(lazy="joined")


class Attachment(db.Model):
    """A scanned paper of a dossier, stored by content hash."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User] = relationship(lazy="joined")


class DailySequence(db.Model):
    """The last number handed out for one agency on one day."""

    __tablename__ = "daily_sequences"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
