"""The states of a dossier and the actions that move it between them.

One table says, for each action, which states it starts from, where it
leads and which roles may take it. Everything else (the API's 409 message,
the buttons on the page) is read from that table.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_STATES = frozenset({"received", "in_progress", "awaiting_supplement"})
FINAL_STATES = frozenset({"returned", "rejected", "withdrawn"})


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset[str]
    # None: the dossier keeps its state (assign, reschedule).
    target: str | None
    roles: frozenset[str]


_STAFF = frozenset({"leader", "clerk", "officer"})

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "start",
            "Bắt đầu giải quyết",
            frozenset({"received"}),
            "in_progress",
            _STAFF,
        ),
        Action(
            "assign",
            "Phân công xử lý",
            OPEN_STATES,
            None,
            frozenset({"leader", "clerk"}),
        ),
        Action(
            "request_supplement",
            "Yêu cầu bổ sung hồ sơ",
            frozenset({"received", "in_progress"}),
            "awaiting_supplement",
            _STAFF,
        ),
        # Back to the state the papers were asked in (app.dossiers.transitions).
        Action(
            "supplement_received",
            "Nhận hồ sơ bổ sung",
            frozenset({"awaiting_supplement"}),
            None,
            _STAFF,
        ),
        # A one-stop clerk also settles the simple same-day procedures
        # (certifications), so the clerk may resolve too.
        Action("resolve", "Có kết quả", frozenset({"in_progress"}), "resolved", _STAFF),
        Action(
            "return_result",
            "Trả kết quả",
            frozenset({"resolved"}),
            "returned",
            frozenset({"clerk", "leader"}),
        ),
        Action("reject", "Từ chối giải quyết", OPEN_STATES, "rejected", _STAFF),
        Action(
            "withdraw",
            "Công dân rút hồ sơ",
            OPEN_STATES,
            "withdrawn",
            frozenset({"clerk", "leader"}),
        ),
        Action(
            "reschedule",
            "Xin lỗi và hẹn lại ngày trả",
            OPEN_STATES,
            None,
            frozenset({"leader", "officer"}),
        ),
    )
}


def allowed_actions(status: str, role: str | None = None) -> list[Action]:
    """List the actions possible from a state, for a role if one is given."""
    return [
        action
        for action in ACTIONS.values()
        if status in action.sources and (role is None or role in action.roles)
    ]
