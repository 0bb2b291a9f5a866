"""Search on 100,000 generated dossiers: the index finds what a scan finds.

Speed is the benchmark's business (python -m benchmarks); this file checks
that the full-text index gives the right answers at that size.
"""

import unicodedata

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.core.text import fold
from app.dossiers.models import Dossier
from app.extensions import db, limiter
from tests.conftest import ApiClient, intake

pytestmark = pytest.mark.slow
SCALE = 100_000


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big-office")
    database = (folder / "xaso.sqlite3").as_posix()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "INSTANCE_FOLDER": str(folder),
        }
    )
    limiter.reset()
    with app.app_context():
        upgrade()
        from app.auth.services import create_token, create_user
        from app.office.catalog import load_bundled_catalog
        from app.office.services import set_up_office
        from benchmarks.generate import generate_dossiers

        set_up_office("8707")
        load_bundled_catalog()
        create_user("thuy", "clerk", "mat-khau-dai-1234", "Nguyễn Thị Thuỷ")
        app.config["TOKEN"] = create_token("thuy")
        generate_dossiers(SCALE)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def big_api(big_app):
    api = ApiClient(big_app.test_client(), big_app.config["TOKEN"])
    for name in ("Nguyễn Thị Thúy", "Đặng Văn Đức Anh"):
        response = api.post("/dossiers", json=intake(applicant={"full_name": name}))
        assert response.status_code == 201
    return api


def names_folding_to(words: str) -> set[int]:
    """Find by brute force the dossiers whose name holds every folded word."""
    wanted = fold(words).split()
    hits = set()
    for dossier_id, name in db.session.execute(
        select(Dossier.id, Dossier.applicant_name)
    ):
        folded = fold(name).split()
        if all(any(part.startswith(w) for part in folded) for w in wanted):
            hits.add(dossier_id)
    return hits


def all_ids(api, query: str) -> set[str]:
    codes, page = set(), 1
    while True:
        body = api.get("/dossiers", query_string={"q": query, "page": page}).json
        codes.update(item["code"] for item in body["items"])
        if page * body["page_size"] >= body["total"]:
            return codes
        page += 1


def test_the_database_holds_the_generated_dossiers(big_api):
    assert db.session.query(Dossier).count() == SCALE + 2


@pytest.mark.parametrize(
    "query",
    [
        "nguyen thi thuy",
        "Nguyễn Thị Thuỷ",
        "Nguyễn Thị Thủy",
        "NGUYEN THI THUY",
        unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ"),
    ],
)
def test_every_spelling_finds_the_same_dossiers_as_a_full_scan(big_api, query):
    expected = {
        code
        for (code,) in db.session.execute(
            select(Dossier.code).where(Dossier.id.in_(names_folding_to(query)))
        )
    }

    found = all_ids(big_api, query)

    assert expected
    assert found == expected


def test_the_exact_spelling_ranks_first(big_api):
    body = big_api.get("/dossiers", query_string={"q": "Thúy"}).json

    assert body["total"] > 1
    assert body["items"][0]["applicant"]["full_name"] == "Nguyễn Thị Thúy"


def test_d_with_stroke_is_found_from_plain_d(big_api):
    body = big_api.get("/dossiers", query_string={"q": "dang van duc anh"}).json

    names = [item["applicant"]["full_name"] for item in body["items"]]
    assert "Đặng Văn Đức Anh" in names


def test_the_search_uses_the_full_text_index(big_app):
    plan = db.session.execute(
        db.text(
            "EXPLAIN QUERY PLAN SELECT id FROM dossiers WHERE id IN "
            "(SELECT rowid FROM dossier_search WHERE dossier_search MATCH :m)"
        ),
        {"m": '"thuy"*'},
    ).all()

    assert any("VIRTUAL TABLE" in row[-1] for row in plan)
