"""The dossier's rules written out by hand, from the law and DOMAIN.md, not from the code.

This table is the tests' own statement of who may do what in which state. It is deliberately
written with plain strings and without importing ``motcua.core.lifecycle.TRANSITIONS``: a test
whose expectation is read from the table under test cannot catch a wrong entry in it.

Sources, per rule (NĐ = Nghị định 118/2025/NĐ-CP, TT = Thông tư 03/2025/TT-VPCP; DOMAIN.md
"A dossier's life"; LEGAL-NOTES.md §2-4; docs/dossiers.md "Decisions where the law is silent"):

- Receive, ask for completion, refuse reception: the one-stop desk (Bộ phận Một cửa: hướng dẫn,
  tiếp nhận, kiểm tra hồ sơ; từ chối tiếp nhận hồ sơ chưa đúng quy định), i.e. its officials
  (specialist, head, deputy), on a dossier not yet received (a desk draft or an online
  submission waiting). Completion request: TT form 02, the draft is kept; refusal: form 03,
  with reasons. An online dossier is "submitted" by the applicant or by an official for them
  (nộp giúp, DOMAIN.md pain point 1).
- Review (step 2): the specialist takes the dossier, may ask for a supplement (form 02, with
  its content) while it is received or being reviewed, and submits it to the leader. The
  supplement's arrival is recorded by the desk and review resumes.
- Approve (step 3): the leader signs, or sends it back to review with a reason.
- Issue (step 4): only the clerk numbers, seals and issues: the dossier is then done
  (Đã xử lý xong).
- Return (step 5): the desk returns the result of a done dossier, or records that nobody came
  for it; not before the result exists.
- Late (NĐ, LEGAL-NOTES §4): the apology with a new appointment (form 04), while the dossier is
  being processed, by the desk or the leader (signed by the head of the late agency).
- Refuse after receipt: a leader's decision, with reasons, before the result is signed.
- Stop (NĐ Điều 21, TT Điều 7, form 05): a leader's notice, with reasons, only while no
  decision or result exists yet (so not once approved); e.g. when the applicant does not
  supplement.
- Withdraw (rút hồ sơ): recorded by the desk on the applicant's request, with its content,
  from the online submission until the result is issued.
- Transfer (liên thông): the desk sends a received or reviewed dossier to another agency, naming
  it.
- A finished dossier (returned, refused, stopped, withdrawn, transferred) allows nothing.
- The province overseer only reads; the administrator manages accounts, not dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass

SPECIALIST, HEAD, DEPUTY, LEADER, CLERK = "specialist", "head", "deputy", "leader", "clerk"
CITIZEN, OVERSEER, ADMIN = "citizen", "overseer", "admin"
ROLES = (CITIZEN, SPECIALIST, HEAD, DEPUTY, LEADER, CLERK, OVERSEER, ADMIN)
DESK = frozenset({SPECIALIST, HEAD, DEPUTY})

STATES = (
    "draft",
    "awaiting_reception",
    "received",
    "in_review",
    "awaiting_supplement",
    "awaiting_approval",
    "awaiting_issue",
    "done",
    "returned",
    "refused",
    "stopped",
    "withdrawn",
    "transferred",
)
FINISHED = ("returned", "refused", "stopped", "withdrawn", "transferred")

ACTIONS = (
    "submit_online",
    "receive",
    "request_completion",
    "refuse_reception",
    "start_review",
    "request_supplement",
    "receive_supplement",
    "submit_for_approval",
    "send_back",
    "approve",
    "issue",
    "return_result",
    "mark_not_collected",
    "apologize",
    "refuse",
    "stop",
    "withdraw",
    "transfer",
)

# Actions whose form needs a written reason or content (the field the form has).
NOTE_REQUIRED = frozenset(
    {
        "request_completion",  # form 02: what to complete
        "refuse_reception",  # form 03: the reasons
        "request_supplement",  # form 02: what to supplement
        "send_back",  # the leader's reason
        "mark_not_collected",  # what happened
        "apologize",  # form 04: why it is late
        "refuse",  # the reasons
        "stop",  # form 05: the reasons
        "withdraw",  # the applicant's request
        "transfer",  # the receiving agency
    }
)


@dataclass(frozen=True)
class Move:
    roles: frozenset[str]
    after: str  # the state that follows (the same state for a step that does not move it)


def _m(roles, after: str) -> Move:
    return Move(frozenset(roles), after)


LATE = DESK | {LEADER}  # who may apologise and set the new appointment

# For every state, every allowed action: who may take it and the state that follows.
# Anything not written here is refused.
RULES: dict[str, dict[str, Move]] = {
    "draft": {
        "submit_online": _m({CITIZEN, *DESK}, "awaiting_reception"),
        "receive": _m(DESK, "received"),
        "request_completion": _m(DESK, "draft"),
        "refuse_reception": _m(DESK, "refused"),
    },
    "awaiting_reception": {
        "receive": _m(DESK, "received"),
        "request_completion": _m(DESK, "awaiting_reception"),
        "refuse_reception": _m(DESK, "refused"),
        "withdraw": _m(DESK, "withdrawn"),
    },
    "received": {
        "start_review": _m({SPECIALIST}, "in_review"),
        "request_supplement": _m({SPECIALIST}, "awaiting_supplement"),
        "apologize": _m(LATE, "received"),
        "refuse": _m({LEADER}, "refused"),
        "stop": _m({LEADER}, "stopped"),
        "withdraw": _m(DESK, "withdrawn"),
        "transfer": _m(DESK, "transferred"),
    },
    "in_review": {
        "request_supplement": _m({SPECIALIST}, "awaiting_supplement"),
        "submit_for_approval": _m({SPECIALIST}, "awaiting_approval"),
        "apologize": _m(LATE, "in_review"),
        "refuse": _m({LEADER}, "refused"),
        "stop": _m({LEADER}, "stopped"),
        "withdraw": _m(DESK, "withdrawn"),
        "transfer": _m(DESK, "transferred"),
    },
    "awaiting_supplement": {
        "receive_supplement": _m(DESK, "in_review"),
        "apologize": _m(LATE, "awaiting_supplement"),
        "stop": _m({LEADER}, "stopped"),
        "withdraw": _m(DESK, "withdrawn"),
    },
    "awaiting_approval": {
        "send_back": _m({LEADER}, "in_review"),
        "approve": _m({LEADER}, "awaiting_issue"),
        "apologize": _m(LATE, "awaiting_approval"),
        "refuse": _m({LEADER}, "refused"),
        "stop": _m({LEADER}, "stopped"),
        "withdraw": _m(DESK, "withdrawn"),
    },
    "awaiting_issue": {
        "issue": _m({CLERK}, "done"),
        "apologize": _m(LATE, "awaiting_issue"),
        "withdraw": _m(DESK, "withdrawn"),
    },
    "done": {
        "return_result": _m(DESK, "returned"),
        "mark_not_collected": _m(DESK, "done"),
    },
    **{state: {} for state in FINISHED},
}

# The Vietnamese state names as GLOSSARY.md "States" writes them (messages quote them).
STATE_NAMES = {
    "draft": "đang soạn (chưa tiếp nhận)",
    "awaiting_reception": "chờ tiếp nhận (nộp trực tuyến)",
    "received": "mới tiếp nhận",
    "in_review": "đang xử lý (thẩm định)",
    "awaiting_supplement": "chờ bổ sung hồ sơ",
    "awaiting_approval": "chờ lãnh đạo phê duyệt",
    "awaiting_issue": "chờ văn thư ban hành",
    "done": "đã có kết quả",
    "returned": "đã trả kết quả",
    "refused": "từ chối giải quyết",
    "stopped": "dừng giải quyết",
    "withdrawn": "công dân rút hồ sơ",
    "transferred": "đã chuyển liên thông",
}


def allowed(state: str, action: str, role: str) -> bool:
    move = RULES[state].get(action)
    return move is not None and role in move.roles


def after(state: str, action: str) -> str:
    return RULES[state][action].after


def state_allows(state: str, action: str) -> bool:
    """Someone may take ``action`` in ``state`` (so a refusal there is about the role)."""
    return action in RULES[state]


def moves_for(state: str, role: str) -> set[str]:
    return {action for action, move in RULES[state].items() if role in move.roles}
