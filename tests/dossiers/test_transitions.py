"""The life of a dossier: every transition, its rules and its record."""

import time_machine
from sqlalchemy import func, select

from app.dossiers.models import Dossier
from app.extensions import db
from offline_sync.models import OutboxEntry
from tests.conftest import ApiClient, intake

# Thursday 3 December 2026, 09:00 in Hà Nội.
THURSDAY_MORNING = "2026-12-03T02:00:00+00:00"


def receive(api, procedure="1.004873", **overrides):
    """Receive a dossier (a 3-day procedure by default) and return its code."""
    body = intake(procedure_code=procedure, received_at="2026-12-03T08:30:00+07:00")
    body.update(overrides)
    response = api.post("/dossiers", json=body)
    assert response.status_code == 201, response.json
    return response.json["code"]


def act(api, code, action, **data):
    return api.post(f"/dossiers/{code}/transitions", json={"action": action, **data})


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_dossier_goes_from_receipt_to_returned_result(api, create_user):
    officer = create_user("officer", username="hung", full_name="Trần Văn Hùng")
    code = receive(api)

    started = act(api, code, "start", assignee="hung", note="Chuyển công chức tư pháp")
    resolved = act(api, code, "resolve", note="Đã cấp giấy xác nhận")
    returned = act(api, code, "return_result")

    assert started.status_code == 200
    assert started.json["status"] == "in_progress"
    assert started.json["assignee"] == officer.username
    assert resolved.json["status"] == "resolved"
    assert returned.json["status"] == "returned"
    assert returned.json["finished_at"].startswith("2026-12-03T09:00")
    steps = [
        (t["action"], t["from_status"], t["to_status"])
        for t in returned.json["transitions"]
    ]
    assert steps == [
        ("receive", None, "received"),
        ("start", "received", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("return_result", "resolved", "returned"),
    ]
    assert returned.json["transitions"][1]["note"] == "Chuyển công chức tư pháp"


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_each_transition_raises_the_version_and_queues_it(api):
    code = receive(api)

    act(api, code, "start")
    act(api, code, "resolve")

    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    versions = db.session.scalars(
        select(OutboxEntry.version)
        .where(OutboxEntry.entity_uuid == dossier.uuid)
        .order_by(OutboxEntry.seq)
    ).all()
    assert dossier.version == 3
    assert versions == [1, 2, 3]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_an_impossible_transition_answers_409_saying_what_is_possible(api):
    code = receive(api)

    response = act(api, code, "return_result")

    assert response.status_code == 409
    message = response.json["error"]["message"]
    assert "Không thể “trả kết quả”" in message
    assert "bắt đầu giải quyết" in message
    assert db.session.scalar(select(Dossier.status)) == "received"


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_finished_dossier_allows_nothing_more(api):
    code = receive(api)
    act(api, code, "withdraw", note="Công dân xin rút")

    response = act(api, code, "start")

    assert response.status_code == 409
    assert "không còn thao tác nào" in response.json["error"]["message"]


def test_an_unknown_action_answers_422(api):
    code = receive(api)

    response = act(api, code, "teleport")

    assert response.status_code == 422
    assert "start" in response.json["error"]["fields"]["action"]


def test_a_supplement_request_needs_the_full_list_of_papers(api):
    code = receive(api)

    response = act(api, code, "request_supplement", missing_papers=[])

    assert response.status_code == 422
    assert "missing_papers" in response.json["error"]["fields"]


def test_the_clock_restarts_when_the_missing_papers_arrive(api):
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)
        asked = act(
            api,
            code,
            "request_supplement",
            missing_papers=["Bản sao giấy chứng tử của chồng", "Tờ khai có chữ ký"],
        )
    assert asked.json["status"] == "awaiting_supplement"
    assert asked.json["due_date"] == "2026-12-08"
    assert asked.json["missing_papers"] == [
        "Bản sao giấy chứng tử của chồng",
        "Tờ khai có chữ ký",
    ]

    # The papers come on Wednesday 9 December at 10:00: three working days
    # from then is Monday 14 December.
    with time_machine.travel("2026-12-09T03:00:00+00:00", tick=False):
        arrived = act(api, code, "supplement_received")

    # Asked at the counter, the dossier goes back to "received".
    assert arrived.json["status"] == "received"
    assert arrived.json["due_date"] == "2026-12-14"
    assert arrived.json["original_due_date"] == "2026-12-08"
    assert arrived.json["missing_papers"] == []


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_refusal_needs_a_reason(api):
    code = receive(api)

    without = act(api, code, "reject")
    with_reason = act(api, code, "reject", reason="Không thuộc thẩm quyền của xã")

    assert without.status_code == 422
    assert with_reason.json["status"] == "rejected"
    assert with_reason.json["transitions"][-1]["data"]["reason"] == (
        "Không thuộc thẩm quyền của xã"
    )


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_reschedule_moves_the_appointment_to_a_later_working_day(
    client, create_user, token_for, api
):
    code = receive(api)
    leader = ApiClient(client, token_for(create_user("leader")))

    past = act(leader, code, "reschedule", new_due_date="2026-12-01", reason="Chậm")
    earlier = act(leader, code, "reschedule", new_due_date="2026-12-07", reason="x")
    sunday = act(leader, code, "reschedule", new_due_date="2026-12-13", reason="x")
    no_reason = act(leader, code, "reschedule", new_due_date="2026-12-15")
    good = act(
        leader,
        code,
        "reschedule",
        new_due_date="2026-12-15",
        reason="Cần xác minh thêm tại nơi cư trú trước đây",
    )

    assert past.status_code == 422 and "quá khứ" in past.json["error"]["message"]
    assert earlier.status_code == 422
    assert (
        sunday.status_code == 422 and "ngày làm việc" in sunday.json["error"]["message"]
    )
    assert no_reason.status_code == 422
    assert good.status_code == 200
    assert good.json["due_date"] == "2026-12-15"
    assert good.json["original_due_date"] == "2026-12-08"
    assert good.json["status"] == "received"


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_a_bad_new_due_date_answers_422(api, client, create_user, token_for):
    code = receive(api)
    leader = ApiClient(client, token_for(create_user("leader")))

    response = act(leader, code, "reschedule", new_due_date="15/12/2026", reason="x")

    assert response.status_code == 422
    assert "new_due_date" in response.json["error"]["fields"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_roles_are_checked_per_action(api, client, create_user, token_for):
    code = receive(api)
    admin = ApiClient(client, token_for(create_user("admin")))
    clerk_reschedule = act(
        api, code, "reschedule", new_due_date="2026-12-15", reason="x"
    )

    response = act(admin, code, "start")

    assert response.status_code == 403
    assert clerk_reschedule.status_code == 403
    assert db.session.scalar(select(func.max(Dossier.version))) == 1


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_assigning_to_an_unknown_or_admin_user_is_refused(api, create_user):
    code = receive(api)
    create_user("admin", username="quantri")

    unknown = act(api, code, "assign", assignee="khongco")
    admin = act(api, code, "assign", assignee="quantri")

    assert unknown.status_code == 422
    assert admin.status_code == 422
    assert "assignee" in admin.json["error"]["fields"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_missing_papers_are_asked_for_only_once(api):
    code = receive(api)
    act(api, code, "request_supplement", missing_papers=["Tờ khai"])
    act(api, code, "supplement_received")

    again = act(api, code, "request_supplement", missing_papers=["Giấy khác"])

    assert again.status_code == 409
    assert "một lần" in again.json["error"]["message"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_an_appointment_more_than_a_year_away_is_refused(
    api, client, create_user, token_for
):
    code = receive(api)
    leader = ApiClient(client, token_for(create_user("leader")))

    response = act(leader, code, "reschedule", new_due_date="9999-12-31", reason="x")

    assert response.status_code == 422
    assert "quá một năm" in response.json["error"]["message"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_an_officer_cannot_act_on_another_officers_dossier(
    api, client, create_user, token_for
):
    create_user("officer", username="hung", full_name="Trần Văn Hùng")
    other = ApiClient(client, token_for(create_user("officer", username="lan")))
    code = receive(api)
    act(api, code, "start", assignee="hung")

    response = act(other, code, "resolve")

    assert response.status_code == 403
    assert "Trần Văn Hùng" in response.json["error"]["message"]


@time_machine.travel(THURSDAY_MORNING, tick=False)
def test_dossiers_are_assigned_to_officers_only(api, create_user):
    create_user("clerk", username="mai", full_name="Phạm Thị Mai")
    code = receive(api)

    response = act(api, code, "assign", assignee="mai")

    assert response.status_code == 422


def test_an_apology_does_not_make_a_late_dossier_on_time(
    api, client, create_user, token_for
):
    from app.dossiers.statistics import compile_statistics, parse_period

    leader = ApiClient(client, token_for(create_user("leader")))
    with time_machine.travel(THURSDAY_MORNING, tick=False):
        code = receive(api)  # due Tuesday 8 December
        act(api, code, "start")
        act(leader, code, "reschedule", new_due_date="2026-12-15", reason="Xác minh")
    with time_machine.travel("2026-12-14T03:00:00+00:00", tick=False):
        resolved = act(api, code, "resolve")
        totals = compile_statistics(parse_period("2026-12-01", "2026-12-14")).total

    assert resolved.json["due_date"] == "2026-12-15"
    assert totals.resolved_late == 1
    assert totals.resolved_on_time == totals.resolved_early == 0
