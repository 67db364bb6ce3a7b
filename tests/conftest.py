from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# No per-example deadline: the machine is shared and noisy (a pure example took 365 ms under a
# load average of 20), and a property test is about results, not speed (speed: bench/).
settings.register_profile("motcua", deadline=None)
settings.load_profile("motcua")
SMALL_CATALOGUE = Path(__file__).parent / "fixtures" / "procedures_small.csv"


def pytest_configure(config):
    """MOTCUA_PLANT=name plants one wrong rule in the state machine before any test runs
    (tests/planted.py, scripts/planted_rules.py): the tests must then fail."""
    from tests.planted import plant_from_environment

    try:
        config.motcua_plant = plant_from_environment()
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_report_header(config):
    planted = getattr(config, "motcua_plant", None)
    return f"MOTCUA_PLANT: a wrong rule is planted: {planted}" if planted else None


@dataclass
class World:
    """Two communes of Thái Nguyên, one of Tây Ninh, with desks and staff."""

    province: object
    other_province: object
    binh_thanh: object
    neighbour: object
    far: object
    head: object
    specialist: object
    neighbour_specialist: object
    overseer: object
    far_overseer: object
    admin: object


@pytest.fixture
def world(db) -> World:
    from motcua.accounts.models import Role
    from tests import factories

    thai_nguyen = factories.unit("19", "Tỉnh Thái Nguyên")
    tay_ninh = factories.unit("80", "Tỉnh Tây Ninh")
    binh_thanh = factories.unit("05605", "Xã Bình Thành", thai_nguyen)
    neighbour = factories.unit("05611", "Xã Phú Đình", thai_nguyen)
    far = factories.unit("27700", "Xã Bình Thành", tay_ninh)
    for u in (binh_thanh, neighbour, far):
        factories.desk(u)
    admin = factories.user("quantri", None, is_superuser=True, is_staff=True)
    return World(
        province=thai_nguyen,
        other_province=tay_ninh,
        binh_thanh=binh_thanh,
        neighbour=neighbour,
        far=far,
        head=factories.user("truongbp", binh_thanh, Role.HEAD, Role.LEADER),
        specialist=factories.user("chuyenvien", binh_thanh, Role.SPECIALIST),
        neighbour_specialist=factories.user("xakhac", neighbour, Role.SPECIALIST),
        overseer=factories.user("tinh", thai_nguyen, Role.OVERSEER),
        far_overseer=factories.user("tinhkhac", tay_ninh, Role.OVERSEER),
        admin=admin,
    )


@pytest.fixture
def catalogue(db):
    from motcua.catalog.actions import import_procedures_file

    import_procedures_file(SMALL_CATALOGUE)


@pytest.fixture
def staff(world, catalogue):
    """The five roles of the seed's five steps at Bình Thành."""
    from motcua.accounts.models import Role
    from tests import factories

    world.leader = factories.user("lanhdao", world.binh_thanh, Role.LEADER)
    world.clerk = factories.user("vanthu", world.binh_thanh, Role.CLERK)
    return world


@pytest.fixture
def fees(staff):
    """Bình Thành charges the contract fee; its collection account and tax code are set
    (tests/fee_setup.py)."""
    from tests.fee_setup import charge

    charge(staff)
    return staff


@pytest.fixture(autouse=True)
def _fresh_configuration_cache():
    """Each test's database starts from the same generation number, so the per-process
    configuration cache (motcua.units.cache) is emptied around every test."""
    from motcua.units import cache

    cache.forget()
    yield
    cache.forget()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After every test that passed with the database, the audit log must still verify
    (docs/audit.md): any write of a dossier's sealed fields without its ledger event, anywhere
    in the code the test ran, fails here. Tests that tamper on purpose are marked ``unsealed``."""
    result = yield
    uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        getattr(item, "fixturenames", ())
    )
    if uses_db and not item.get_closest_marker("unsealed"):
        from motcua.dossiers.integrity import log_problems

        problems = log_problems()
        assert not problems, "nhật ký không còn nguyên vẹn sau phép thử:\n" + "\n".join(problems)
    return result


@pytest.fixture
def empty_installation(tmp_path):
    """The environment of a second, empty installation for a process of its own: an empty data
    directory, and when the suite runs on PostgreSQL an empty database of its own (dropped
    after). For a transactional test (CREATE DATABASE runs outside a transaction)."""
    import uuid

    from django.db import connection

    from motcua.documents.backup import pg_url

    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        {"MOTCUA_DATA_DIR": str(tmp_path / "installation"), "MOTCUA_ALLOWED_HOSTS": "127.0.0.1"}
    )
    env.pop("DATABASE_URL", None)
    name = None
    if connection.vendor == "postgresql":
        name = f"motcua_other_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = pg_url({**connection.settings_dict, "NAME": name})
    yield env
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
