"""Put a dossier in any state of its life, the way the desk would: one place for the set-up.

Every test that needs "a dossier awaiting approval" (or any other state) asks here, so the
workflow module the set-up goes through is imported in this one file only.
"""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.workflow import actions

COMPONENTS = ["Dự thảo hợp đồng", "Giấy tờ tùy thân"]
REASON = "Lý do cụ thể"
COLLECTOR = "Nguyễn Văn An"
AGENCY = "Chi nhánh Văn phòng đăng ký đất đai"

# How each state is reached: the state before it and the step (who, what) that leads there.
# Who: an attribute of the ``staff`` fixture, or None for the applicant online.
PATH: dict[str, tuple[str | None, str | None, str]] = {
    "awaiting_reception": ("draft", None, "submit_online"),
    "received": ("draft", "specialist", "receive"),
    "in_review": ("received", "specialist", "start_review"),
    "awaiting_supplement": ("in_review", "specialist", "request_supplement"),
    "awaiting_approval": ("in_review", "specialist", "submit_for_approval"),
    "awaiting_issue": ("awaiting_approval", "leader", "approve"),
    "done": ("awaiting_issue", "clerk", "issue"),
    "returned": ("done", "specialist", "return_result"),
    "refused": ("received", "leader", "refuse"),
    "stopped": ("received", "leader", "stop"),
    "withdrawn": ("received", "specialist", "withdraw"),
    "transferred": ("received", "specialist", "transfer"),
}


def applicant(**overrides) -> actions.ApplicantData:
    values = {
        "name": "Nguyễn Văn An",
        "id_number": "019085001234",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "Thôn Nà Lẹng, xã Bình Thành",
    }
    values.update(overrides)
    return actions.ApplicantData(**values)


def draft(staff, channel: str = "direct", procedure: str = "2.001035") -> Dossier:
    """A dossier typed in at Bình Thành's desk (or online by the applicant), not received."""
    data = actions.IntakeData(
        procedure_code=procedure,
        channel=channel,
        applicant=applicant(),
        components=list(COMPONENTS),
    )
    user = None if channel == "online" else staff.specialist
    return actions.create_draft(user, staff.binh_thanh.desk, data)


def step_input(action: str, **overrides) -> actions.ActionInput:
    """What the form of ``action`` asks for, filled in (a reason, who collected the paper…)."""
    values = {
        "note": REASON,
        "collected_by": COLLECTOR,
        "transferred_to": AGENCY,
    }
    values.update(overrides)
    return actions.ActionInput(**values)


def act(dossier: Dossier, user, action: str, **overrides) -> Dossier:
    """Take ``action`` on ``dossier`` as ``user`` (None: the applicant online)."""
    return actions.perform(dossier.pk, user, action, step_input(action, **overrides))


def dossier_in(state: str, staff, channel: str | None = None) -> Dossier:
    """A dossier of Bình Thành in ``state``, reached by the ordinary steps.

    Dossiers waiting for reception were submitted online; the others came to the desk.
    """
    if channel is None:
        channel = "online" if state == "awaiting_reception" else "direct"
    if state == "draft":
        return draft(staff, channel)
    before, who, action = PATH[state]
    dossier = dossier_in(before, staff, channel)
    user = getattr(staff, who) if who else None
    dossier = act(dossier, user, action)
    # the set-up itself must not go astray (a wrong next state in the code shows here first)
    assert dossier.state == state, f"{action} led to {dossier.state}, not {state}"
    return dossier
