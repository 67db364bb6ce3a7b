import pytest
from django.core.management import CommandError, call_command

from motcua.units.actions import UnitError, create_desk, load_units
from motcua.units.models import Desk, Unit


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
