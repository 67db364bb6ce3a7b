"""Personal data on the desk's pages: masked by default, shown in full only on request, and
each request logged (who, when, which dossier, from which address)."""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.core.errors import AccessError
from motcua.dossiers.models import Dossier, PersonalDataAccess
from motcua.units.access import OFFICIAL_ROLES


def reveal_id_number(user: User, dossier: Dossier, address: str = "") -> str:
    """The applicant's citizen ID (or tax code) in full, for an official of the dossier's own
    unit; the showing is logged in the same call. The province overseer reads masked data."""
    if not (user.unit_id == dossier.unit_id and user.has_role(*OFFICIAL_ROLES)):
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
