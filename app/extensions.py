"""The Flask extensions, made once and bound to an app in `create_app`."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The declarative base of every model."""


db = SQLAlchemy(model_class=Base)


def include_name(name, type_, parent_names) -> bool:
    """Leave the FTS5 search tables (made by raw SQL) out of autogenerate."""
    return not (
        type_ == "table"
        and name
        and name.startswith(("dossier_search", "feedback_search"))
    )


migrate = Migrate(render_as_batch=True, compare_type=True, include_name=include_name)
login_manager = LoginManager()
csrf = CSRFProtect()
# One office server process: counters in memory are enough (DESIGN.md).
limiter = Limiter(get_remote_address, storage_uri="memory://", headers_enabled=True)
