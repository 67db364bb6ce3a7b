"""Demo data: Xã Bình Thành (Thái Nguyên, 05605), its 12-person desk, the catalogue.

The seed report's appendix: 12 people — the Chairman (head), the Vice-chairman (deputy) and
10 officials sent from the specialist posts (office–statistics, justice–civil status,
culture–society, land–agriculture–construction–environment, finance–accounting, police,
military). Names here are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, StaffRole, User
from motcua.catalog.actions import import_procedures_file
from motcua.catalog.models import Field
from motcua.core.lifecycle import State
from motcua.core.ratings import CRITERIA, Channel
from motcua.core.text import fold
from motcua.demo.dossiers import generate_year
from motcua.demo.feedback import add_demo_feedback
from motcua.demo.payments import ensure_payment_settings, sign_recent_receipts
from motcua.demo.results import ensure_certificates, sign_recent_results
from motcua.demo.roster import add_demo_roster
from motcua.dossiers.models import Rating
from motcua.dossiers.ratings import rate_dossier
from motcua.units.actions import create_desk, load_units
from motcua.units.models import Desk, Unit

DEMO_UNIT = "05605"
DEMO_PROVINCE = "19"
DEMO_ELECTRONIC_CODE = "DEMO.TN.05605"  # placeholder: the province issues the real code
CATALOGUE_FILE = Path(__file__).parent.parent / "catalog" / "data" / "procedures_demo.csv"


@dataclass(frozen=True)
class DemoMember:
    username: str
    full_name: str
    title: str
    roles: tuple[str, ...]
    fields: tuple[str, ...] = ()
    is_police: bool = False
    is_military: bool = False


DESK_MEMBERS = (
    DemoMember(
        "chutich",
        "Hoàng Văn Thành",
        "Chủ tịch UBND xã, Trưởng Bộ phận Một cửa",
        (Role.HEAD, Role.LEADER),
    ),
    DemoMember(
        "phochutich",
        "Nông Thị Hương",
        "Phó Chủ tịch UBND xã, Phó Bộ phận Một cửa",
        (Role.DEPUTY, Role.LEADER),
    ),
    DemoMember(
        "vanphong",
        "Lường Thị Mai",
        "Công chức Văn phòng - Thống kê (văn thư)",
        (Role.CLERK, Role.SPECIALIST),
        ("Thi đua, khen thưởng", "Tín ngưỡng, tôn giáo", "Tổ chức hội"),
    ),
    DemoMember(
        "tuphap1",
        "Ma Văn Hùng",
        "Công chức Tư pháp - Hộ tịch",
        (Role.SPECIALIST,),
        ("Hộ tịch", "Nuôi con nuôi"),
    ),
    DemoMember(
        "tuphap2",
        "Đinh Thị Lan",
        "Công chức Tư pháp - Hộ tịch",
        (Role.SPECIALIST,),
        ("Chứng thực", "Hòa giải ở cơ sở", "Hộ tịch"),
    ),
    DemoMember(
        "vanhoa1",
        "Triệu Văn Nam",
        "Công chức Văn hóa - Xã hội",
        (Role.SPECIALIST,),
        ("Văn hóa cơ sở", "Thể dục thể thao", "Gia đình", "Thư viện"),
    ),
    DemoMember(
        "vanhoa2",
        "La Thị Thu",
        "Công chức Văn hóa - Xã hội (Lao động - Thương binh và Xã hội)",
        (Role.SPECIALIST,),
        ("Bảo trợ xã hội", "Người có công", "Giảm nghèo", "Lao động", "Trẻ em", "Dân tộc"),
    ),
    DemoMember(
        "diachinh1",
        "Hà Văn Tuấn",
        "Công chức Địa chính - Nông nghiệp - Xây dựng và Môi trường",
        (Role.SPECIALIST,),
        ("Đất đai", "Môi trường"),
    ),
    DemoMember(
        "diachinh2",
        "Mông Văn Quý",
        "Công chức Địa chính - Xây dựng",
        (Role.SPECIALIST,),
        ("Hoạt động xây dựng", "Nông nghiệp", "Thủy sản", "Lâm nghiệp", "Thủy lợi"),
    ),
    DemoMember(
        "taichinh",
        "Dương Thị Hạnh",
        "Công chức Tài chính - Kế toán",
        (Role.SPECIALIST,),
        ("Tài chính", "Thành lập và hoạt động của hộ kinh doanh"),
    ),
    DemoMember(
        "congan",
        "Lưu Văn Dũng",
        "Công an xã",
        (Role.SPECIALIST,),
        ("Đăng ký, quản lý cư trú",),
        is_police=True,
    ),
    DemoMember(
        "quansu",
        "Hoàng Văn Lực",
        "Chỉ huy trưởng Ban Chỉ huy Quân sự xã",
        (Role.SPECIALIST,),
        ("Quân sự quốc phòng",),
        is_military=True,
    ),
)


def upsert_member(member: DemoMember, unit: Unit, password: str, fields_by_key: dict) -> User:
    user, created = User.objects.get_or_create(username=member.username)
    user.full_name = member.full_name
    user.title = member.title
    user.unit = unit
    user.is_police = member.is_police
    user.is_military = member.is_military
    if created:
        user.set_password(password)
    user.save()
    for role in member.roles:
        StaffRole.objects.get_or_create(user=user, role=role)
    wanted = [fields_by_key[fold(n)] for n in member.fields if fold(n) in fields_by_key]
    user.fields.set(wanted)
    return user


@transaction.atomic
def load_demo(password: str | None = None, *, with_dossiers: bool = True) -> Desk:
    """Create or refresh the demo; idempotent. Passwords are set only for new accounts."""
    password = password or settings.MOTCUA_DEMO_PASSWORD
    if not Unit.objects.filter(code=DEMO_UNIT).exists():
        load_units()
    import_procedures_file(CATALOGUE_FILE)
    desk, _ = create_desk(
        unit_code=DEMO_UNIT,
        name="Bộ phận Một cửa xã Bình Thành",
        electronic_code=DEMO_ELECTRONIC_CODE,
    )
    if not desk.address:
        desk.address = "Trụ sở UBND xã Bình Thành, tỉnh Thái Nguyên"
        desk.hotline = "0208 3 000 000"
        desk.email = "motcua.binhthanh@example.vn"
        desk.save(update_fields=["address", "hotline", "email"])
    unit = desk.unit
    fields_by_key = {fold(f.name): f for f in Field.objects.all()}
    for member in DESK_MEMBERS:
        upsert_member(member, unit, password, fields_by_key)
    overseer = DemoMember(
        "tinh", "Phạm Minh Đức", "Chuyên viên Văn phòng UBND tỉnh Thái Nguyên", (Role.OVERSEER,)
    )
    upsert_member(overseer, Unit.objects.get(code=DEMO_PROVINCE), password, fields_by_key)
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "Quản trị hệ thống", "email": "admin@example.vn"}
    )
    if created:
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
    fees = ensure_payment_settings(desk)
    if with_dossiers and not desk.unit.dossiers.exists():
        generate_year(desk, fees=fees)

    ensure_certificates(desk, password)
    if with_dossiers:
        sign_recent_results(desk, password)
        sign_recent_receipts(desk, password)
        rate_recent_returns(desk)
        add_demo_feedback(desk)
    add_demo_roster(desk)
    return desk


# The demo's citizens rate about 6 in 10 dossiers returned in the last 90 days: mostly satisfied,
# a few not (so the dashboard and 766 indicator 5.4 have something to show).
RATING_LEVELS = [(5, 55), (4, 30), (3, 9), (2, 4), (1, 2)]
RATING_CHANNELS = [(Channel.DESK, 5), (Channel.QR, 3), (Channel.MESSAGE, 2)]


def rate_recent_returns(desk: Desk) -> int:
    """Ratings of the demo's recent returns, each given through ``rate_dossier`` (its event
    sealed in the history); none when the demo already has ratings."""
    if Rating.objects.filter(unit=desk.unit).exists():
        return 0
    rng = random.Random(14)
    since = timezone.now() - timedelta(days=90)
    returned = (
        desk.unit.dossiers.filter(state=State.RETURNED, returned_at__gte=since)
        .exclude(assigned_to=None)
        .order_by("returned_at")
        .values_list("pk", "assigned_to_id")
    )
    given = 0
    for pk, official_id in returned:
        if rng.random() > 0.6:
            continue
        level = rng.choices([lv for lv, _ in RATING_LEVELS], [w for _, w in RATING_LEVELS])[0]
        channel = rng.choices([c for c, _ in RATING_CHANNELS], [w for _, w in RATING_CHANNELS])[0]
        criteria = {}
        if rng.random() < 0.3:
            criteria = {key: min(2, max(0, level // 2 - rng.randint(0, 1))) for key in CRITERIA}
        official = User.objects.get(pk=official_id) if channel == Channel.DESK else None
        rate_dossier(pk, channel, level, criteria, official=official)
        given += 1
    return given


def demo_accounts() -> list[tuple[str, str]]:
    members = [(m.username, m.title) for m in DESK_MEMBERS]
    return [
        *members,
        ("tinh", "Cán bộ theo dõi cấp tỉnh (chỉ xem)"),
        ("admin", "Quản trị hệ thống"),
    ]
