import pytest
from django.core.management import CommandError, call_command

from motcua.core.dossier_rows import DossierFileError
from motcua.dossiers.importing import import_dossiers_file
from motcua.dossiers.integrity import log_problems
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db

HEADER = "ma_ho_so,ma_tthc,ma_don_vi,kenh,ngay_tiep_nhan,han_tra_ket_qua,ngay_co_ket_qua,ngay_tra_ket_qua,trang_thai,da_so_hoa,ket_qua_da_so_hoa\n"
GOOD = (
    "T.05605-261124-0007,2.001035,05605,truc_tuyen,2026-11-24T09:00,,2026-11-25T10:00,2026-11-26T08:00,da_tra,1,1\n"
    "T.05605-261124-0008,1.001193,5605,truc_tiep,2026-11-24T16:00,,,,dang_xu_ly,0,0\n"
    "OLD-2023-000123,2.001035,05605,truc_tuyen_ho_tro,2023-03-01T08:00,2023-03-03T08:00,2023-03-06T08:00,,da_giai_quyet,1,0\n"
)


def write(tmp_path, body):
    path = tmp_path / "ho-so.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_is_idempotent_and_classifies(tmp_path, staff):
    path = write(tmp_path, GOOD)
    result = import_dossiers_file(path, progress=False)
    assert (result.created, result.skipped) == (3, 0)
    again = import_dossiers_file(path, progress=False)
    assert (again.created, again.skipped) == (0, 3)
    returned = Dossier.objects.get(code="T.05605-261124-0007")
    assert returned.state == "returned" and returned.timeliness == "early"
    # due computed: 24/11/2026 is a holiday (Ngày Văn hóa Việt Nam), so 2 working days from
    # 25/11 07:30 end at 26/11 17:00 (10:00 UTC)
    assert returned.due_at.isoformat() == "2026-11-26T10:00:00+00:00"
    assert Dossier.objects.get(code="OLD-2023-000123").timeliness == "late"
    assert Dossier.objects.get(code="T.05605-261124-0008").timeliness == ""
    assert log_problems() == []


def test_imported_numbers_are_never_reused(tmp_path, staff, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    import_dossiers_file(write(tmp_path, GOOD), progress=False)
    monkeypatch.setattr(
        timezone, "now", lambda: datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    )
    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    assert actions.perform(draft.pk, staff.specialist, "receive").code == "T.05605-261124-0009"


def test_bad_rows_are_all_reported_and_nothing_is_imported(tmp_path, staff):
    bad = GOOD + (
        "X-1,9.999999,05605,truc_tuyen,2026-11-24T09:00,,,,dang_xu_ly,0,0\n"
        "X-2,2.001035,05605,fax,1900-01-01T09:00,,,,xong,2,0\n"
        "X-3,2.001035,05605,truc_tiep,2026-11-24T09:00,,2026-11-20T09:00,,da_giai_quyet,0,0\n"
        "X-1,2.001035,99999,truc_tiep,2026-11-24T09:00,,,,da_tra,0,0\n"
    )
    with pytest.raises(DossierFileError) as caught:
        import_dossiers_file(write(tmp_path, bad), progress=False)
    found = {(e.row, e.column) for e in caught.value.errors}
    assert {
        (6, "kenh"),
        (6, "ngay_tiep_nhan"),
        (6, "trang_thai"),
        (6, "da_so_hoa"),
        (7, "ngay_co_ket_qua"),
        (8, "ma_ho_so"),
        (8, "ngay_tra_ket_qua"),
    } <= found
    assert Dossier.objects.count() == 0
    # rows that parse but name an unknown procedure or unit are refused too
    with pytest.raises(CommandError, match=r"không có thủ tục 9\.999999"):
        call_command(
            "import-dossiers",
            str(
                write(
                    tmp_path,
                    GOOD + "X-1,9.999999,05605,truc_tuyen,2026-11-24T09:00,,,,dang_xu_ly,0,0\n",
                )
            ),
            "--no-progress",
        )
    assert Dossier.objects.count() == 0
