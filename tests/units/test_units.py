import importlib

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from motcua.units.actions import UnitError, create_desk, load_units
from motcua.units.models import ConfigChange, ConfigGeneration, Desk, Unit


@pytest.mark.django_db
def test_load_units_loads_34_provinces_and_3321_communes_idempotently():
    first = load_units()
    assert (first.provinces, first.communes, first.created) == (34, 3321, 3355)
    again = load_units()
    assert again.created == 0
    assert Unit.objects.count() == 3355
    binh_thanh = Unit.objects.get(code="05605")
    assert binh_thanh.name == "Xã Bình Thành"
    assert binh_thanh.province.code == "19"
    # three communes share the name: keyed by code, never by name
    assert Unit.objects.filter(name="Xã Bình Thành").count() == 3


@pytest.mark.django_db
def test_create_desk_is_idempotent_and_validates(world):
    Desk.objects.all().delete()
    desk, created = create_desk(unit_code="5605", electronic_code="h52.05605")
    assert created and desk.unit_id == "05605"
    assert desk.electronic_code == "H52.05605"
    assert desk.name == "Bộ phận Một cửa xã Bình Thành"
    again, created = create_desk(
        unit_code="05605", name="Trung tâm Phục vụ hành chính công xã Bình Thành"
    )
    assert not created and again.pk == desk.pk
    assert again.name == "Trung tâm Phục vụ hành chính công xã Bình Thành"
    assert again.electronic_code == "H52.05605"
    with pytest.raises(UnitError, match="Mã định danh điện tử không hợp lệ"):
        create_desk(unit_code="05605", electronic_code="H52 05605!")
    with pytest.raises(UnitError, match="Không tìm thấy đơn vị"):
        create_desk(unit_code="99999")
    with pytest.raises(UnitError, match="đã được dùng"):
        create_desk(unit_code="05611", electronic_code="H52.05605")


@pytest.mark.django_db
def test_create_desk_command(world, capsys):
    call_command("create-desk", "--unit", "05611", "--electronic-code", "H52.05611")
    assert "H52.05611" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("create-desk", "--unit", "123456")


@pytest.mark.django_db
def test_office_hours_given_to_the_second_are_rewritten_in_minutes(world):
    """Migration units 0009: a bound with seconds (once accepted by the form) becomes HH:MM,
    logged as a configuration change; hours already in minutes are left alone."""
    migration = importlib.import_module("motcua.units.migrations.0009_office_hours_in_minutes")
    seconds = world.binh_thanh.desk
    Desk.objects.filter(pk=seconds.pk).update(office_hours="07:30:30-11:30,13:00-17:00:59")
    generation = ConfigGeneration.objects.get_or_create(pk=1)[0].value
    untouched = world.neighbour.desk.office_hours

    # the models as the migration sees them (no signals: only what it writes itself)
    historical = MigrationLoader(connection).project_state(("units", "0008_desk_rules")).apps
    migration.forwards(historical, None)

    seconds.refresh_from_db()
    assert seconds.office_hours == "07:30-11:30,13:00-17:00"
    change = ConfigChange.objects.get(kind=ConfigChange.Kind.OFFICE_HOURS)
    assert change.before == {"office_hours": "07:30:30-11:30,13:00-17:00:59"}
    assert change.after == {"office_hours": "07:30-11:30,13:00-17:00"}
    assert change.unit_id == seconds.unit_id and change.actor is None
    assert ConfigGeneration.objects.get(pk=1).value == generation + 1  # caches read afresh
    world.neighbour.desk.refresh_from_db()
    assert world.neighbour.desk.office_hours == untouched
    migration.forwards(historical, None)  # again: nothing more to rewrite
    assert ConfigChange.objects.filter(kind=ConfigChange.Kind.OFFICE_HOURS).count() == 1
