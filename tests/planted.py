"""Wrong rules planted in the state machine's table, to prove the tests catch them.

``MOTCUA_PLANT=clerk_approves pytest …`` changes :data:`motcua.core.lifecycle.TRANSITIONS` at
start-up (``tests/conftest.py`` calls :func:`plant_from_environment`), before any test runs,
in every worker. ``scripts/planted_rules.py`` runs the rule tests once per plant and reports the
first test that failed; a plant no test notices is a hole in the tests.

Each plant is one wrong rule of the kinds a slip in the table would make: a role that may
do what it must not (or may no longer do what it must), a source state too many or too few,
a wrong next state, a reason no longer asked for.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

ENV = "MOTCUA_PLANT"


def _roles(action: str, add: set[str] = frozenset(), remove: set[str] = frozenset()):
    def plant(table, lc):
        rule = table[lc.Action(action)]
        table[lc.Action(action)] = dataclasses.replace(
            rule, roles=(rule.roles | set(add)) - set(remove)
        )

    return plant


def _sources(action: str, add: set[str] = frozenset(), remove: set[str] = frozenset()):
    def plant(table, lc):
        rule = table[lc.Action(action)]
        sources = (rule.sources | {lc.State(s) for s in add}) - {lc.State(s) for s in remove}
        table[lc.Action(action)] = dataclasses.replace(rule, sources=frozenset(sources))

    return plant


def _target(action: str, target: str | None):
    def plant(table, lc):
        rule = table[lc.Action(action)]
        table[lc.Action(action)] = dataclasses.replace(
            rule, target=lc.State(target) if target else None
        )

    return plant


def _no_note(action: str):
    def plant(table, lc):
        rule = table[lc.Action(action)]
        table[lc.Action(action)] = dataclasses.replace(rule, note_required=False)

    return plant


# name → (what is wrong, how to plant it)
PLANTS: dict[str, tuple[str, Callable]] = {
    # wrong roles
    "clerk_approves": ("a clerk may approve", _roles("approve", add={"clerk"})),
    "specialist_approves": ("a specialist may approve", _roles("approve", add={"specialist"})),
    "deputy_approves": ("a deputy of the desk may approve", _roles("approve", add={"deputy"})),
    "leader_issues": ("a leader may issue", _roles("issue", add={"leader"})),
    "specialist_issues": ("a specialist may issue", _roles("issue", add={"specialist"})),
    "head_starts_review": ("the head may take the review", _roles("start_review", add={"head"})),
    "citizen_receives": ("the applicant may receive", _roles("receive", add={"citizen"})),
    "overseer_withdraws": ("the overseer may withdraw", _roles("withdraw", add={"overseer"})),
    "admin_stops": ("the administrator may stop", _roles("stop", add={"admin"})),
    "clerk_refuses": ("a clerk may refuse", _roles("refuse", add={"clerk"})),
    "leader_cannot_send_back": (
        "the leader may not send back",
        _roles("send_back", remove={"leader"}),
    ),
    "deputy_cannot_return": ("a deputy may not return", _roles("return_result", remove={"deputy"})),
    # wrong source states
    "return_before_done": (
        "return while awaiting issue",
        _sources("return_result", add={"awaiting_issue"}),
    ),
    "approve_in_review": ("approve before submission", _sources("approve", add={"in_review"})),
    "issue_unapproved": (
        "issue while awaiting approval",
        _sources("issue", add={"awaiting_approval"}),
    ),
    "withdraw_returned": ("withdraw a returned dossier", _sources("withdraw", add={"returned"})),
    "refuse_done": ("refuse a done dossier", _sources("refuse", add={"done"})),
    "stop_after_approval": ("stop once approved", _sources("stop", add={"awaiting_issue"})),
    "transfer_finished": ("transfer a stopped dossier", _sources("transfer", add={"stopped"})),
    "online_not_receivable": (
        "an online submission may not be received",
        _sources("receive", remove={"awaiting_reception"}),
    ),
    "no_supplement_in_review": (
        "no supplement during review",
        _sources("request_supplement", remove={"in_review"}),
    ),
    # wrong next states
    "issue_to_returned": ("issue goes to returned", _target("issue", "returned")),
    "approve_to_done": ("approve goes to done", _target("approve", "done")),
    "send_back_to_received": ("send back goes to received", _target("send_back", "received")),
    "supplement_to_received": (
        "the supplement's arrival goes to received",
        _target("receive_supplement", "received"),
    ),
    "completion_receives": (
        "the completion request receives the dossier",
        _target("request_completion", "received"),
    ),
    "not_collected_returns": (
        "not collected counts as returned",
        _target("mark_not_collected", "returned"),
    ),
    "submit_online_receives": (
        "an online submission is received at once",
        _target("submit_online", "received"),
    ),
    # a reason no longer asked for
    "refuse_without_reason": ("refuse without reasons", _no_note("refuse")),
}


def plant(name: str) -> str:
    """Change the table for the plant ``name``; return what is wrong (ValueError if unknown)."""
    from motcua.core import lifecycle

    if name not in PLANTS:
        raise ValueError(f"{ENV}={name}: no such plant (known: {', '.join(sorted(PLANTS))})")
    what, change = PLANTS[name]
    before = dict(lifecycle.TRANSITIONS)
    change(lifecycle.TRANSITIONS, lifecycle)
    if lifecycle.TRANSITIONS == before:
        raise ValueError(f"{ENV}={name}: the plant changes nothing (already in the table?)")
    return what


def plant_from_environment() -> str | None:
    name = os.environ.get(ENV, "").strip()
    return plant(name) if name else None
