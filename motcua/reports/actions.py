"""Writes of reports: the narrative parts of a unit's drafted report, remembered for the next
one, with their record in the configuration log (who changed which part, before and after)."""

from __future__ import annotations

from django.db import transaction

from motcua.accounts.models import User
from motcua.core.errors import AccessError
from motcua.reports.drafting import SECTION_LABELS, clean_text
from motcua.reports.models import ReportDraft
from motcua.units.access import OFFICIAL_ROLES, READ_ONLY, can_manage_unit, check_view_unit
from motcua.units.audit import record_change
from motcua.units.models import ConfigChange, Unit


def may_write_report(user: User, unit: Unit) -> bool:
    """The unit's own officials draft its report (the office official usually does), and its
    head or deputy; a province overseer only reads it."""
    own = user.unit_id == unit.code and user.has_role(*OFFICIAL_ROLES)
    return own or can_manage_unit(user, unit)


def save_report_texts(user: User, unit: Unit, sections: dict[str, str]) -> ReportDraft:
    """Remember the unit's narrative texts for its next report; the parts that changed go in
    the configuration log with their old and new text."""
    check_view_unit(user, unit)
    if not may_write_report(user, unit):
        raise AccessError(READ_ONLY, "read_only")
    cleaned = {k: clean_text(v) for k, v in sections.items() if k in SECTION_LABELS}
    with transaction.atomic():
        draft, _ = ReportDraft.objects.select_for_update().get_or_create(unit=unit)
        old = dict(draft.sections)
        changed = [k for k in SECTION_LABELS if k in cleaned and cleaned[k] != old.get(k, "")]
        draft.sections = cleaned
        draft.updated_by = user.display_name
        draft.save()
        if changed:
            record_change(
                ConfigChange.Kind.REPORT_TEXT,
                unit=unit,
                actor=user,
                target=", ".join(SECTION_LABELS[k] for k in changed),
                before={"sections": [SECTION_LABELS[k] for k in changed]},
                after={"sections": [SECTION_LABELS[k] for k in changed]},
                note="\n\n".join(f"{SECTION_LABELS[k]}:\n{cleaned[k]}" for k in changed)[:20000],
            )
    return draft
