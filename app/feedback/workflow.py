"""The states of a feedback item and the actions that move it.

Decree 20/2008/NĐ-CP: feedback is received, accepted for handling or
refused with a reason, handled by whoever it is assigned to, answered, and
the answer made public; then the item is closed.
"""

from __future__ import annotations

from app.dossiers.workflow import Action

_STAFF = frozenset({"leader", "clerk", "officer"})
_ALL_OPEN = frozenset({"received", "accepted", "assigned"})

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action(
            "accept", "Tiếp nhận xử lý", frozenset({"received"}), "accepted", _STAFF
        ),
        Action("reject", "Không thụ lý", _ALL_OPEN, "rejected", _STAFF),
        Action(
            "assign",
            "Giao xử lý",
            frozenset({"accepted", "assigned"}),
            "assigned",
            frozenset({"leader", "clerk"}),
        ),
        Action(
            "respond",
            "Trả lời",
            frozenset({"accepted", "assigned"}),
            "responded",
            _STAFF,
        ),
        Action(
            "publish",
            "Công khai trả lời",
            frozenset({"responded"}),
            "published",
            frozenset({"leader"}),
        ),
        Action(
            "close",
            "Kết thúc",
            frozenset({"responded", "published"}),
            "closed",
            frozenset({"leader", "clerk"}),
        ),
        Action(
            "merge",
            "Gộp vào phản ánh trùng",
            _ALL_OPEN,
            "closed",
            frozenset({"leader", "clerk"}),
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
