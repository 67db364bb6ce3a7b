"""The lifecycle module's own promises: the seed's five steps, labels, reasons, unknown actions.

Who may do what in which state is tested against the rules written by hand, in
`tests/core/test_rules.py` (the table here used to be checked against itself).
"""

import pytest

from motcua.core.lifecycle import (
    CLERK,
    DVCQG_STATUS,
    LEADER,
    SPECIALIST,
    STATE_LABELS,
    TRANSITIONS,
    Action,
    LifecycleError,
    State,
    check_action,
)

# The five steps of the seed, by the five roles.
HAPPY_PATH = [
    (State.DRAFT, Action.RECEIVE, SPECIALIST, State.RECEIVED),
    (State.RECEIVED, Action.START_REVIEW, SPECIALIST, State.IN_REVIEW),
    (State.IN_REVIEW, Action.SUBMIT_FOR_APPROVAL, SPECIALIST, State.AWAITING_APPROVAL),
    (State.AWAITING_APPROVAL, Action.APPROVE, LEADER, State.AWAITING_ISSUE),
    (State.AWAITING_ISSUE, Action.ISSUE, CLERK, State.DONE),
    (State.DONE, Action.RETURN_RESULT, SPECIALIST, State.RETURNED),
]


@pytest.mark.parametrize("state, action, role, after", HAPPY_PATH)
def test_happy_path(state, action, role, after):
    assert check_action(state, action, {role}) == after


def test_every_state_has_a_label_and_every_action_a_rule():
    assert set(STATE_LABELS) == set(State) == set(DVCQG_STATUS)
    assert set(TRANSITIONS) == set(Action)


def test_note_required_where_the_form_needs_a_reason():
    with pytest.raises(LifecycleError, match="lý do trả lại"):
        check_action(State.AWAITING_APPROVAL, Action.SEND_BACK, {LEADER}, "  ")
    assert (
        check_action(State.AWAITING_APPROVAL, Action.SEND_BACK, {LEADER}, "Sai tên")
        == State.IN_REVIEW
    )


def test_unknown_action():
    with pytest.raises(LifecycleError, match="Không có thao tác"):
        check_action(State.RECEIVED, "delete", {SPECIALIST})
