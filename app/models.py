"""Every model of the application, imported once so that the metadata
(and so Alembic's autogenerate) sees all tables."""

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.dossiers.models import (
    Attachment,
    DailySequence,
    Dossier,
    DossierTransition,
)
from app.feedback.models import (
    FeedbackCategory,
    FeedbackChannel,
    FeedbackItem,
    FeedbackTransition,
)
from app.office.models import CalendarException, Office, Procedure
from offline_sync.models import OutboxEntry

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "CalendarException",
    "DailySequence",
    "Dossier",
    "DossierTransition",
    "FeedbackCategory",
    "FeedbackChannel",
    "FeedbackItem",
    "FeedbackTransition",
    "Office",
    "OutboxEntry",
    "Procedure",
    "User",
]
