"""The public pages: a feedback item by its code, and the published answers."""

import pytest
import time_machine

from tests.conftest import ApiClient
from tests.feedback.test_printing import act, create_feedback

RECEIVED = "2026-12-03T03:00:00+00:00"  # Thursday 10:00 in Hà Nội
RESPONSE = "Ủy ban nhân dân phường đã cho thu gom rác và lắp biển cấm đổ rác."
PERSONAL = (
    "Trần Thị Mai",
    "0912000111",
    "025190004567",
    "mai.tran@example.com",
    "Tổ 4, phường Vĩnh Yên",
    # The content and the place are not reviewed for publication either.
    "đoạn gần cầu Oai",
    "Tổ dân phố Đồng Tâm",
)


@pytest.fixture
def leader_api(client, create_user, token_for):
    leader = create_user("leader", username="chinh", full_name="Lê Văn Chính")
    return ApiClient(client, token_for(leader))


@pytest.fixture
def visitor(app):
    """A citizen's browser: no sign-in, no token."""
    return app.test_client()


def receive(api, **overrides) -> str:
    submitter = {
        "full_name": "Trần Thị Mai",
        "phone": "0912000111",
        "id_number": "025190004567",
        "email": "mai.tran@example.com",
        "address": "Tổ 4, phường Vĩnh Yên",
    }
    return create_feedback(api, submitter=submitter, **overrides)


def publish(api, leader_api, code, response=RESPONSE):
    act(api, code, "accept")
    act(api, code, "respond", response=response)
    act(leader_api, code, "publish")


def look_up(visitor, code):
    return visitor.get("/lookup/", query_string={"code": code})


def assert_nothing_personal(page: str):
    for personal in PERSONAL:
        assert personal not in page, personal


@time_machine.travel(RECEIVED, tick=False)
def test_an_open_item_shows_its_state_and_due_date_and_nothing_personal(api, visitor):
    code = receive(api)

    response = look_up(visitor, code)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for expected in (
        code,
        "Môi trường, vệ sinh",
        "Đã tiếp nhận",
        "03/12/2026",
        "Thứ Năm, 17/12/2026",
    ):
        assert expected in page, expected
    # The title is free text: it waits for the published answer.
    assert "Rác thải đổ trộm ven đường Lý Bôn" not in page
    assert_nothing_personal(page)


@time_machine.travel(RECEIVED, tick=False)
def test_an_answer_stays_private_until_a_leader_publishes_it(api, leader_api, visitor):
    code = receive(api)
    act(api, code, "accept")
    act(api, code, "respond", response=RESPONSE)

    before = look_up(visitor, code).get_data(as_text=True)
    act(leader_api, code, "publish")
    after = look_up(visitor, code).get_data(as_text=True)

    assert RESPONSE not in before
    assert "Đã có trả lời" in before
    assert "Thứ Năm, 17/12/2026" not in before
    assert RESPONSE in after
    assert "Công khai ngày 03/12/2026" in after
    assert_nothing_personal(after)


@time_machine.travel(RECEIVED, tick=False)
def test_a_published_answer_stays_public_after_the_item_is_closed(
    api, leader_api, visitor
):
    code = receive(api)
    publish(api, leader_api, code)
    act(api, code, "close")

    page = look_up(visitor, code).get_data(as_text=True)

    assert "Đã kết thúc" in page
    assert RESPONSE in page


@time_machine.travel(RECEIVED, tick=False)
def test_a_merged_item_points_to_the_item_it_repeats(api, visitor):
    first = receive(api)
    second = receive(api)
    act(api, second, "merge", into=first)

    page = look_up(visitor, second).get_data(as_text=True)

    assert f"/lookup/?code={first}" in page
    assert_nothing_personal(page)


@time_machine.travel(RECEIVED, tick=False)
def test_a_code_typed_in_lower_case_is_found(api, visitor):
    code = receive(api)

    response = look_up(visitor, code.lower())

    assert response.status_code == 200
    assert "Đã tiếp nhận" in response.get_data(as_text=True)


def test_an_unknown_feedback_code_gets_a_clear_404(visitor):
    response = look_up(visitor, "PA-25.08707-261203-9999")

    assert response.status_code == 404
    assert "Không tìm thấy phản ánh có mã này" in response.get_data(as_text=True)


def test_guessing_feedback_codes_in_a_loop_is_stopped_with_429(visitor):
    answers = [look_up(visitor, f"PA-25.08707-261203-{n:04d}") for n in range(1, 13)]

    statuses = [answer.status_code for answer in answers]
    assert statuses == [404] * 10 + [429, 429]


@time_machine.travel(RECEIVED, tick=False)
def test_the_public_list_shows_published_answers_only_and_nothing_personal(
    api, leader_api, visitor
):
    published = receive(api)
    publish(api, leader_api, published)
    unpublished = receive(api, title="Đèn chiếu sáng ngõ 12 bị hỏng")
    act(api, unpublished, "accept")
    act(api, unpublished, "respond", response="Đã báo điện lực thay bóng đèn.")

    response = visitor.get("/lookup/answers")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert published in page
    assert "Rác thải đổ trộm ven đường Lý Bôn" in page
    assert RESPONSE in page
    assert "Môi trường, vệ sinh" in page
    assert unpublished not in page
    assert "Đèn chiếu sáng ngõ 12" not in page
    assert "Đã báo điện lực" not in page
    assert_nothing_personal(page)


@time_machine.travel(RECEIVED, tick=False)
def test_the_public_list_searches_titles_without_diacritics(api, leader_api, visitor):
    rubbish = receive(api)
    lights = receive(api, title="Đèn chiếu sáng ngõ 12 bị hỏng", content="Tối om.")
    for code in (rubbish, lights):
        publish(api, leader_api, code)

    page = visitor.get("/lookup/answers", query_string={"q": "den chieu"}).get_data(
        as_text=True
    )

    assert lights in page
    assert rubbish not in page


@pytest.mark.parametrize(
    "query", ["Trần Thị Mai", "tran thi mai", "0912000111", "cầu Oai", "Đồng Tâm"]
)
@time_machine.travel(RECEIVED, tick=False)
def test_the_public_search_cannot_find_an_answer_by_its_submitter_or_content(
    api, leader_api, visitor, query
):
    code = receive(api)
    publish(api, leader_api, code)

    response = visitor.get("/lookup/answers", query_string={"q": query})

    assert response.status_code == 200
    assert code not in response.get_data(as_text=True)


@time_machine.travel(RECEIVED, tick=False)
def test_the_public_list_finds_an_answer_by_its_code(api, leader_api, visitor):
    code = receive(api)
    publish(api, leader_api, code)

    page = visitor.get("/lookup/answers", query_string={"q": code}).get_data(
        as_text=True
    )

    assert "Tìm thấy 1 câu trả lời" in page
    assert RESPONSE in page


def test_the_public_list_pages_ten_answers_newest_first(api, leader_api, visitor):
    codes = []
    for day in range(1, 13):
        with time_machine.travel(f"2026-11-{day:02d}T03:00:00+00:00", tick=False):
            code = receive(api, title=f"Phản ánh số {day:02d}", content="Nội dung.")
            publish(api, leader_api, code)
            codes.append(code)

    first = visitor.get("/lookup/answers").get_data(as_text=True)
    second = visitor.get("/lookup/answers", query_string={"page": 2}).get_data(
        as_text=True
    )

    assert "Trang 1 / 2" in first
    assert first.index("Phản ánh số 12") < first.index("Phản ánh số 03")
    assert "Phản ánh số 02" not in first
    assert "Phản ánh số 02" in second and "Phản ánh số 01" in second
    assert "Phản ánh số 12" not in second


def test_an_answer_published_then_closed_stays_on_the_public_list(
    api, client, create_user, token_for
):
    import time_machine

    from tests.conftest import ApiClient

    leader = ApiClient(client, token_for(create_user("leader")))
    body = {
        "channel": "counter",
        "category_code": "GIAO_THONG",
        "title": "Ổ gà trên đường Kim Ngọc",
        "content": "Ổ gà lớn gây nguy hiểm.",
        "submitter": {"full_name": "Bùi Văn Tâm", "address": "Tổ 2"},
    }
    with time_machine.travel("2026-12-03T03:00:00+00:00", tick=False):
        code = api.post("/feedback", json=body).json["code"]
        api.post(f"/feedback/{code}/transitions", json={"action": "accept"})
        api.post(
            f"/feedback/{code}/transitions",
            json={"action": "respond", "response": "Đã vá ổ gà ngày 04/12."},
        )
        leader.post(f"/feedback/{code}/transitions", json={"action": "publish"})
        api.post(f"/feedback/{code}/transitions", json={"action": "close"})

    page = client.get("/lookup/answers").get_data(as_text=True)

    assert "Ổ gà trên đường Kim Ngọc" in page
    assert "Bùi Văn Tâm" not in page
