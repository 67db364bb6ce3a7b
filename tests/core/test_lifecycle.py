"""The lifecycle table, tested exhaustively: every state × action × role."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.lifecycle import (
    CITIZEN,
    CLERK,
    DEPUTY,
    DVCQG_STATUS,
    HEAD,
    LEADER,
    SPECIALIST,
    STATE_LABELS,
    TERMINAL,
    TRANSITIONS,
    Action,
    LifecycleError,
    State,
    available_actions,
    check_action,
)

ROLES = [CITIZEN, SPECIALIST, HEAD, DEPUTY, LEADER, CLERK, "overseer", "admin"]

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


def test_terminal_states_allow_nothing():
    for state in TERMINAL:
        assert available_actions(state, set(ROLES)) == []


def test_overseer_and_admin_cannot_move_dossiers():
    for state in State:
        assert available_actions(state, {"overseer", "admin"}) == []


@pytest.mark.parametrize("state, action, role", list(itertools.product(State, Action, ROLES)))
def test_exhaustive_table(state, action, role):
    rule = TRANSITIONS[action]
    allowed = state in rule.sources and role in rule.roles
    note = "lý do" if rule.note_required else ""
    if allowed:
        assert check_action(state, action, {role}, note) == (rule.target or state)
        assert action in available_actions(state, {role})
    else:
        with pytest.raises(LifecycleError) as caught:
            check_action(state, action, {role}, note)
        # the message is a Vietnamese sentence, and says whether the role is the reason
        assert str(caught.value)
        assert caught.value.forbidden == (state in rule.sources)
        assert action not in available_actions(state, {role})


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


@given(st.lists(st.tuples(st.sampled_from(list(Action)), st.sampled_from(ROLES)), max_size=30))
def test_random_walks_stay_inside_the_table(steps):
    state = State.DRAFT
    for action, role in steps:
        try:
            after = check_action(state, action, {role}, "ghi chú")
        except LifecycleError:
            continue
        rule = TRANSITIONS[action]
        assert state in rule.sources and role in rule.roles
        assert state not in TERMINAL
        state = after
