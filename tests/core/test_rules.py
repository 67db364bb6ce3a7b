"""The state machine against the rules written out by hand (tests/rules_by_hand.py).

Every expectation here comes from the hand table (the law and DOMAIN.md), never from
``TRANSITIONS``: a wrong entry in the code's table makes one of these fail.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.core.lifecycle import Action, LifecycleError, State, available_actions, check_action
from tests import rules_by_hand as rules

REASON = "Lý do cụ thể"


def outcome(state: str, action: str, roles: set[str], note: str = REASON):
    """What the code answers: ("moves", next state) or ("refused", forbidden, message)."""
    try:
        return ("moves", str(check_action(state, action, roles, note)))
    except LifecycleError as exc:
        return ("refused", exc.forbidden, str(exc))


def test_the_hand_table_names_every_state_and_action_of_the_code():
    assert set(rules.STATES) == {s.value for s in State}
    assert set(rules.ACTIONS) == {a.value for a in Action}
    assert set(rules.RULES) == set(rules.STATES)


@pytest.mark.parametrize("state", rules.STATES)
def test_the_code_follows_the_hand_table(state):
    """Every action × role in this state: allowed with the right next state, or refused for
    the right reason (the role, or the state), with a Vietnamese sentence saying which."""
    wrong = []
    for action in rules.ACTIONS:
        for role in rules.ROLES:
            got = outcome(state, action, {role})
            if rules.allowed(state, action, role):
                want = ("moves", rules.after(state, action))
                if got != want:
                    wrong.append(f"{role} {action}: want {want}, got {got}")
                continue
            if got[0] != "refused":
                wrong.append(f"{role} {action}: must be refused, got {got}")
                continue
            _, forbidden, message = got
            if rules.state_allows(state, action):
                ok = forbidden and message.startswith("Vai trò của bạn không được “")
            else:
                ok = (
                    not forbidden
                    and message.startswith("Không thể “")
                    and message.endswith(
                        f"khi hồ sơ đang ở trạng thái “{rules.STATE_NAMES[state]}”."
                    )
                )
            if not ok:
                wrong.append(f"{role} {action}: refused for the wrong reason: {got[1:]}")
    for role in rules.ROLES:
        buttons = {a.value for a in available_actions(state, {role})}
        if buttons != rules.moves_for(state, role):
            wrong.append(
                f"{role} offered {sorted(buttons)}, want {sorted(rules.moves_for(state, role))}"
            )
    assert wrong == []


@pytest.mark.parametrize("state", rules.STATES)
def test_a_reason_is_asked_for_where_the_form_has_one(state):
    wrong = []
    for action, move in rules.RULES[state].items():
        role = sorted(move.roles)[0]
        got = outcome(state, action, {role}, note="   ")
        if action in rules.NOTE_REQUIRED:
            if got[0] != "refused" or not got[2].startswith("Cần nhập “"):
                wrong.append(f"{action} without a reason: {got}")
        elif got != ("moves", move.after):
            wrong.append(f"{action} without a note: {got}")
    assert wrong == []


# --- the forbidden moves that matter most, each said out loud ---------------------------------


@pytest.mark.parametrize("role", [r for r in rules.ROLES if r != rules.LEADER])
def test_only_the_leader_approves(role):
    assert outcome("awaiting_approval", "approve", {role}) == (
        "refused",
        True,
        "Vai trò của bạn không được “phê duyệt, ký”.",
    )


def test_the_leader_approves_and_the_clerk_issues_next():
    assert outcome("awaiting_approval", "approve", {rules.LEADER}) == ("moves", "awaiting_issue")
    assert outcome("awaiting_issue", "issue", {rules.CLERK}) == ("moves", "done")


@pytest.mark.parametrize("role", [r for r in rules.ROLES if r != rules.CLERK])
def test_only_the_clerk_issues(role):
    assert outcome("awaiting_issue", "issue", {role}) == (
        "refused",
        True,
        "Vai trò của bạn không được “vào số, đóng dấu, ban hành”.",
    )


@pytest.mark.parametrize("state", [s for s in rules.STATES if s != "done"])
def test_nothing_is_returned_before_it_is_done(state):
    for role in sorted(rules.DESK):
        assert outcome(state, "return_result", {role}) == (
            "refused",
            False,
            f"Không thể “trả kết quả” khi hồ sơ đang ở trạng thái “{rules.STATE_NAMES[state]}”.",
        )
    assert outcome("done", "return_result", {rules.SPECIALIST}) == ("moves", "returned")


@pytest.mark.parametrize("state", rules.FINISHED)
def test_a_finished_dossier_allows_nothing(state):
    everyone = set(rules.ROLES)
    assert available_actions(state, everyone) == []
    for action in rules.ACTIONS:
        got = outcome(state, action, everyone)
        assert got[0] == "refused" and got[1] is False, (action, got)


@pytest.mark.parametrize("role", [rules.OVERSEER, rules.ADMIN])
def test_the_overseer_and_the_administrator_move_nothing(role):
    for state in rules.STATES:
        assert available_actions(state, {role}) == []
        for action in rules.RULES[state]:
            assert outcome(state, action, {role})[:2] == ("refused", True), (state, action)


def test_the_applicant_only_submits_online():
    assert {
        (state, action)
        for state in rules.STATES
        for action in rules.ACTIONS
        if outcome(state, action, {rules.CITIZEN})[0] == "moves"
    } == {("draft", "submit_online")}


def test_refusal_after_receipt_and_stop_need_a_leader():
    for action, label in [("refuse", "từ chối giải quyết"), ("stop", "dừng giải quyết")]:
        for role in (rules.SPECIALIST, rules.HEAD, rules.CLERK):
            assert outcome("in_review", action, {role}) == (
                "refused",
                True,
                f"Vai trò của bạn không được “{label}”.",
            )
    # the law: no stop once the result is signed (NĐ 118 Điều 21)
    assert outcome("awaiting_issue", "stop", {rules.LEADER})[:2] == ("refused", False)


# --- generated walks: only legal moves, every one taken (refusals: the table test above) ------


@st.composite
def legal_walk(draw, max_steps: int = 40):
    """A path through the hand table from a draft: (state, action, role, next state) steps."""
    state, steps = "draft", []
    for _ in range(draw(st.integers(0, max_steps))):
        choices = sorted(
            (action, role)
            for action, move in rules.RULES[state].items()
            for role in sorted(move.roles)
        )
        if not choices:
            break
        action, role = draw(st.sampled_from(choices))
        steps.append((state, action, role, rules.after(state, action)))
        state = rules.after(state, action)
    return steps


@settings(max_examples=300)
@given(legal_walk())
def test_every_legal_walk_is_taken_step_by_step(steps):
    state, taken = "draft", 0
    for before, action, role, want in steps:
        assert before == state
        assert check_action(state, action, {role}, REASON) == want, (state, action, role)
        state, taken = want, taken + 1
    assert taken == len(steps)
