"""Feedback at 100,000 items: duplicates and search agree with a full scan.

The speed is measured by the benchmark (python -m benchmarks); here the
index-backed answers are checked against brute force at that size.
"""

import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.core.text import fold
from app.extensions import db, limiter
from app.feedback.models import FeedbackItem
from app.feedback.services import DUPLICATE_WINDOW, SIMILARITY
from tests.conftest import ApiClient

pytestmark = pytest.mark.slow
SCALE = 100_000


@pytest.fixture(scope="module")
def big_api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big-feedback")
    database = (folder / "xaso.sqlite3").as_posix()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        }
    )
    limiter.reset()
    with app.app_context():
        upgrade()
        from app.auth.services import create_token, create_user
        from app.feedback.reference import load_bundled_reference
        from app.office.catalog import load_bundled_catalog
        from app.office.services import set_up_office
        from benchmarks.generate import generate_feedback

        set_up_office("8707")
        load_bundled_catalog()
        load_bundled_reference()
        create_user("thuy", "clerk", "mat-khau-dai-1234", "Nguyễn Thị Thuỷ")
        token = create_token("thuy")
        generate_feedback(SCALE)
        yield ApiClient(app.test_client(), token)
        db.session.remove()
        db.engine.dispose()


def brute_force_duplicates(item: FeedbackItem) -> set[str]:
    words = set(item.words.split())
    since = item.received_at - DUPLICATE_WINDOW
    found = set()
    for other in db.session.scalars(select(FeedbackItem)):
        if other.id == item.id or other.received_at < since:
            continue
        if (
            other.category_code != item.category_code
            or other.place_key != item.place_key
        ):
            continue
        theirs = set(other.words.split())
        if len(words & theirs) / max(1, min(len(words), len(theirs))) >= SIMILARITY:
            found.add(other.code)
    return found


def test_the_duplicate_check_finds_what_a_full_scan_finds(big_api):
    body = {
        "channel": "counter",
        "category_code": "MOI_TRUONG",
        "title": "Rác thải ùn ứ ở Tổ 5",
        "content": "Tại Tổ 5, rác thải sinh hoạt không được thu gom, bốc mùi, kéo dài.",
        "location": "Tổ 5",
        "submitter": {"full_name": "Lê Văn Hải", "address": "Tổ 5"},
    }

    answer = big_api.post("/feedback", json=body).json

    item = db.session.scalar(
        select(FeedbackItem).where(FeedbackItem.code == answer["code"])
    )
    expected = brute_force_duplicates(item)
    assert expected
    assert set(answer["possible_duplicates"]) <= expected
    assert len(answer["possible_duplicates"]) == min(10, len(expected))


@pytest.mark.parametrize("query", ["rac thai", "RÁC THẢI", "den duong", "Đồng Tâm"])
def test_search_counts_what_a_full_scan_counts(big_api, query):
    wanted = re.findall(r"\w+", fold(query))
    expected = 0
    for (folded,) in db.session.execute(select(FeedbackItem.search_folded)):
        words = folded.split()
        if all(any(word.startswith(w) for word in words) for w in wanted):
            expected += 1

    body = big_api.get("/feedback", query_string={"q": query}).json

    assert body["total"] == expected
    assert len(body["items"]) == min(25, expected)
