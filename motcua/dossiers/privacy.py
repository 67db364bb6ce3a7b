"""Personal data on the desk's pages and the API: the ID number masked by default, shown in
full only on request, each request logged (who, when, which dossier, from which address); the
phone, e-mail, address and birth date in full only for the dossier's own unit
(:func:`may_contact`), masked for everyone else — the province's overseer included."""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.core.errors import AccessError
from motcua.dossiers.models import Dossier, PersonalDataAccess
from motcua.units.access import OFFICIAL_ROLES


def may_contact(user: User, dossier: Dossier) -> bool:
    """Whether ``user`` sees the applicant's phone, e-mail, address and birth date in full: an
    official of the dossier's own unit, who may need to call or write to them. Everyone else
    (the province overseer, an official of another unit) reads them masked."""
    return user.unit_id == dossier.unit_id and user.has_role(*OFFICIAL_ROLES)


def reveal_id_number(user: User, dossier: Dossier, address: str = "") -> str:
    """The applicant's citizen ID (or tax code) in full, for an official of the dossier's own
    unit; the showing is logged in the same call. The province overseer reads masked data."""
    if not may_contact(user, dossier):
        raise AccessError(
            "Chỉ cán bộ của đơn vị đang giải quyết hồ sơ mới xem được số định danh đầy đủ.",
            "role_required",
        )
    PersonalDataAccess.objects.create(
        user=user,
        user_name=user.display_name,
        dossier=dossier,
        unit_id=dossier.unit_id,
        what=PersonalDataAccess.What.ID_NUMBER,
        address=address[:64],
    )
    return dossier.applicant_id_number
