"""The feedback JSON API as CONTRACT.md describes it."""

import re

import pytest
import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.feedback.models import FeedbackItem
from offline_sync.models import OutboxEntry

NOW = "2026-12-03T03:00:00+00:00"  # Thursday 10:00 in Hà Nội


def feedback(**overrides) -> dict:
    body = {
        "channel": "counter",
        "category_code": "MOI_TRUONG",
        "title": "Rác thải đổ trộm ven đường Lý Bôn",
        "content": "Nhiều ngày nay có người đổ trộm rác thải xây dựng ven đường "
        "Lý Bôn, đoạn gần cầu Oai, gây mất vệ sinh và cản trở đi lại.",
        "submitter": {
            "full_name": "Trần Thị Mai",
            "phone": "0912000111",
            "address": "Tổ 4, phường Vĩnh Yên",
        },
        "location": "Tổ dân phố Đồng Tâm",
    }
    if "submitter" in overrides:
        submitter = overrides.pop("submitter")
        if isinstance(submitter, dict):
            submitter = {**body["submitter"], **submitter}
        body["submitter"] = submitter
    body.update(overrides)
    return body


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(FeedbackItem))


def test_categories_are_listed(api):
    response = api.get("/feedback-categories")

    codes = {c["code"] for c in response.json}
    assert response.status_code == 200
    assert {"MOI_TRUONG", "DAT_DAI", "KHAC"} <= codes


@time_machine.travel(NOW, tick=False)
def test_receiving_feedback_answers_201_with_code_and_due_date(api):
    response = api.post("/feedback", json=feedback())

    body = response.json
    assert response.status_code == 201
    assert re.fullmatch(r"PA-25\.08707-261203-0001", body["code"])
    assert body["status"] == "received"
    # Ten working days from Thursday 3 December.
    assert body["due_date"] == "2026-12-17"
    assert body["possible_duplicates"] == []
    assert db.session.scalar(select(func.count()).select_from(OutboxEntry)) == 1


@time_machine.travel(NOW, tick=False)
def test_the_same_person_again_is_flagged_as_a_possible_duplicate(api):
    first = api.post("/feedback", json=feedback()).json["code"]

    again = api.post(
        "/feedback",
        json=feedback(title="Vẫn còn rác", content="Chưa ai dọn, xin xử lý sớm."),
    ).json

    assert again["possible_duplicates"] == [first]


@time_machine.travel(NOW, tick=False)
def test_similar_text_in_the_same_category_and_place_is_flagged(api):
    first = api.post("/feedback", json=feedback()).json["code"]
    other_person = {"full_name": "Lê Văn Hải", "phone": "0988000222"}

    similar = api.post(
        "/feedback",
        json=feedback(
            submitter=other_person,
            title="Đổ trộm rác thải ven đường Lý Bôn",
            content="Có người đổ trộm rác thải xây dựng ven đường Lý Bôn gần cầu "
            "Oai, mất vệ sinh.",
        ),
    ).json
    elsewhere = api.post(
        "/feedback",
        json=feedback(submitter=other_person, location="Thôn Bảo Sơn"),
    ).json

    assert similar["possible_duplicates"] == [first]
    assert first not in elsewhere["possible_duplicates"]


@time_machine.travel(NOW, tick=False)
def test_the_whole_life_of_an_item(api, client, create_user, token_for):
    from tests.conftest import ApiClient

    leader = ApiClient(client, token_for(create_user("leader")))
    create_user("officer", username="hung", full_name="Trần Văn Hùng")
    code = api.post("/feedback", json=feedback()).json["code"]

    steps = [
        (api, {"action": "accept"}),
        (api, {"action": "assign", "assignee": "hung"}),
        (api, {"action": "respond", "response": "UBND phường đã chỉ đạo dọn rác."}),
        (leader, {"action": "publish"}),
        (api, {"action": "close"}),
    ]
    answers = [
        who.post(f"/feedback/{code}/transitions", json=body) for who, body in steps
    ]

    assert [a.status_code for a in answers] == [200] * 5
    final = answers[-1].json
    assert final["status"] == "closed"
    assert final["response"] == "UBND phường đã chỉ đạo dọn rác."
    assert [t["action"] for t in final["transitions"]] == [
        "receive",
        "accept",
        "assign",
        "respond",
        "publish",
        "close",
    ]


@time_machine.travel(NOW, tick=False)
def test_an_impossible_transition_answers_409(api):
    code = api.post("/feedback", json=feedback()).json["code"]

    response = api.post(
        f"/feedback/{code}/transitions", json={"action": "respond", "response": "Có"}
    )

    assert response.status_code == 409
    assert "tiếp nhận xử lý" in response.json["error"]["message"]


@time_machine.travel(NOW, tick=False)
def test_reject_needs_a_reason_and_merge_links_both_items(api):
    first = api.post("/feedback", json=feedback()).json["code"]
    second = api.post("/feedback", json=feedback()).json["code"]

    no_reason = api.post(f"/feedback/{first}/transitions", json={"action": "reject"})
    merged = api.post(
        f"/feedback/{second}/transitions", json={"action": "merge", "into": first}
    )

    assert no_reason.status_code == 422
    assert merged.status_code == 200
    assert merged.json["duplicate_of"] == first
    assert merged.json["status"] == "closed"
    assert count() == 2


BAD = [
    ({"content": ""}, "content"),
    ({"content": "x" * 100_001}, None),
    ({"title": "   "}, "title"),
    ({"submitter": {"phone": "12345"}}, "submitter.phone"),
    ({"category_code": "KHONG_CO"}, "category_code"),
    ({"channel": "pigeon"}, "channel"),
    ({"submitter": None}, "submitter"),
    ({"submitter": {"full_name": "<script>alert(1)</script>"}}, "submitter.full_name"),
    ({"received_at": "2026-12-03T09:00:00"}, "received_at"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
@time_machine.travel(NOW, tick=False)
def test_bad_feedback_is_refused_and_saves_nothing(api, change, field):
    response = api.post("/feedback", json=feedback(**change))

    assert 400 <= response.status_code < 500
    if field:
        assert field in response.json["error"]["fields"]
    assert count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_channel_that_allows_anonymous_tips_takes_them(api):
    response = api.post("/feedback", json=feedback(channel="province", submitter=None))

    assert response.status_code == 201


@time_machine.travel(NOW, tick=False)
def test_search_finds_feedback_without_diacritics(api):
    code = api.post("/feedback", json=feedback()).json["code"]

    found = api.get("/feedback", query_string={"q": "rac thai ly bon"}).json
    by_code = api.get("/feedback", query_string={"q": code}).json

    assert [i["code"] for i in found["items"]] == [code]
    assert [i["code"] for i in by_code["items"]] == [code]
    assert "0912000111" not in str(found)


@time_machine.travel(NOW, tick=False)
def test_merging_into_a_closed_or_merged_item_is_refused(api):
    first = api.post("/feedback", json=feedback()).json["code"]
    second = api.post("/feedback", json=feedback()).json["code"]
    third = api.post("/feedback", json=feedback()).json["code"]
    api.post(f"/feedback/{second}/transitions", json={"action": "merge", "into": first})

    loop = api.post(
        f"/feedback/{first}/transitions", json={"action": "merge", "into": second}
    )
    chain = api.post(
        f"/feedback/{third}/transitions", json={"action": "merge", "into": second}
    )

    assert loop.status_code == 409
    assert chain.status_code == 409
    assert (
        db.session.scalar(select(FeedbackItem.status).where(FeedbackItem.code == first))
        == "received"
    )


@time_machine.travel(NOW, tick=False)
def test_an_answer_naming_the_sender_or_a_phone_is_not_published(
    api, client, create_user, token_for
):
    from tests.conftest import ApiClient

    leader = ApiClient(client, token_for(create_user("leader")))
    code = api.post("/feedback", json=feedback()).json["code"]
    api.post(f"/feedback/{code}/transitions", json={"action": "accept"})
    api.post(
        f"/feedback/{code}/transitions",
        json={"action": "respond", "response": "Cảm ơn bà Trần Thị Mai, 0912 000 111."},
    )

    refused = leader.post(f"/feedback/{code}/transitions", json={"action": "publish"})

    assert refused.status_code == 422
    assert "họ tên người gửi" in refused.json["error"]["message"]
    assert "số điện thoại" in refused.json["error"]["message"]


@pytest.mark.parametrize("field", ["title", "content", "location"])
@time_machine.travel(NOW, tick=False)
def test_script_tags_are_refused(api, field):
    response = api.post("/feedback", json=feedback(**{field: "<script>x()</script>"}))

    assert response.status_code == 422
    assert "mã HTML" in response.json["error"]["fields"][field]
    assert count() == 0
