"""Lifecycle behaviour the exhaustive table test cannot see: the history's event kinds and the
wording of a refusal (the action named as the button says it)."""

from __future__ import annotations

import pytest

from motcua.core.lifecycle import (
    LEADER,
    SPECIALIST,
    Action,
    EventKind,
    LifecycleError,
    State,
    check_action,
    event_kind,
)
from tests.core.sentences import assert_sentence


def test_event_kind_reads_both_actions_and_file_events():
    assert event_kind("receive") is Action.RECEIVE
    assert event_kind("issue") is Action.ISSUE
    assert event_kind("create") is EventKind.CREATE
    assert event_kind("seal_result") is EventKind.SEAL_RESULT
    with pytest.raises(ValueError):
        event_kind("delete")


def test_a_role_refusal_names_the_action_in_lower_case():
    # A specialist may not sign: only the leader approves (DOMAIN.md step 3).
    with pytest.raises(LifecycleError) as caught:
        check_action(State.AWAITING_APPROVAL, Action.APPROVE, {SPECIALIST})
    assert caught.value.forbidden
    message = str(caught.value)
    assert_sentence(message)
    assert "“phê duyệt, ký”" in message


def test_a_state_refusal_names_the_action_and_the_state():
    # Returning a result needs a result: a dossier still in review has none.
    with pytest.raises(LifecycleError) as caught:
        check_action(State.IN_REVIEW, Action.RETURN_RESULT, {SPECIALIST})
    assert not caught.value.forbidden
    message = str(caught.value)
    assert_sentence(message)
    assert "“trả kết quả”" in message and "“đang xử lý (thẩm định)”" in message


def test_a_missing_reason_names_the_field_to_fill():
    # Mẫu 03 (refusal) states its reasons: the leader must write them.
    with pytest.raises(LifecycleError) as caught:
        check_action(State.IN_REVIEW, Action.REFUSE, {LEADER}, " ")
    assert not caught.value.forbidden
    assert_sentence(str(caught.value))
    assert "“lý do từ chối”" in str(caught.value)


def test_an_unknown_action_is_refused_in_a_sentence():
    with pytest.raises(LifecycleError) as caught:
        check_action(State.RECEIVED, "xoa_ho_so", {SPECIALIST})
    assert_sentence(str(caught.value))
    assert "“xoa_ho_so”" in str(caught.value)


def test_a_note_is_required_even_when_none_is_passed():
    # Sending a draft back needs the leader's reason (the form's "Lý do trả lại").
    with pytest.raises(LifecycleError, match="lý do trả lại"):
        check_action(State.AWAITING_APPROVAL, Action.SEND_BACK, {LEADER})
    assert check_action(State.AWAITING_APPROVAL, Action.APPROVE, {LEADER}) == State.AWAITING_ISSUE
