"""`motcua reconcile --from-portal`: each dossier of the period looked up on the FAKE portal
(TraCuuHoSo) instead of an exported file. Dossiers received at the desk reach the fake by the
connector's own push (on commit); one is then changed on the fake's side and one removed, and
the reconciliation reports exactly those two."""

from __future__ import annotations

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from motcua.dossiers.models import DossierSync
from motcua.dvcqg.client import Connector
from motcua.dvcqg.lookup import look_up
from motcua.integrations import queries
from motcua.integrations.models import ReconciliationImport
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pushed(fake_portal, staff):
    """Four dossiers received at Bình Thành, each pushed to the fake as its change commits."""
    codes = [
        actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake()).code
        for _ in range(4)
    ]
    with fake_portal.state.lock:
        assert sorted(fake_portal.state.dossiers) == sorted(codes)
    assert DossierSync.objects.filter(first_synced_at__isnull=False).count() == 4
    return codes


def reconcile(*extra: str) -> None:
    """The command prints on the process's standard output (read with capsys)."""
    today = timezone.localdate().isoformat()
    call_command("reconcile", "--unit", "05605", *extra, "--from", today, "--to", today)


def test_a_clean_push_reconciles_without_difference(pushed, capsys):
    reconcile("--from-portal")
    text = capsys.readouterr().out
    assert "phần mềm 4 hồ sơ, Cổng DVCQG (tra cứu từng hồ sơ) 4 hồ sơ trong kỳ; 0 hồ sơ" in text
    imp = ReconciliationImport.objects.get()
    assert (imp.source, imp.row_count) == (ReconciliationImport.Source.PORTAL, 4)


def test_a_status_changed_on_the_portal_and_a_dossier_it_lost_are_the_two_differences(
    pushed, fake_portal, capsys
):
    changed, lost = pushed[1], pushed[2]
    with fake_portal.state.lock:
        fake_portal.state.dossiers[changed]["TrangThaiHoSo"] = "4"  # Đang xử lý
        del fake_portal.state.dossiers[lost]
    reconcile("--from-portal")
    text = capsys.readouterr().out
    assert "phần mềm 4 hồ sơ, Cổng DVCQG (tra cứu từng hồ sơ) 3 hồ sơ trong kỳ; 2 hồ sơ" in text
    assert f"  {changed}: Khác trạng thái\n" in text
    assert f"  {lost}: Chưa đồng bộ lên Cổng DVCQG (ảnh hưởng chỉ số 1.4)\n" in text
    rec = queries.reconciliation(ReconciliationImport.objects.get())
    got = {
        d.code: (d.reasons, d.ours.portal_status, d.portal and d.portal.status)
        for d in rec.differences
    }
    assert got == {
        changed: (["status"], "Được tiếp nhận", "Đang xử lý"),
        lost: (["not_on_portal"], "Được tiếp nhận", None),
    }
    assert rec.summary == [
        ("not_on_portal", "Chưa đồng bộ lên Cổng DVCQG (ảnh hưởng chỉ số 1.4)", 1),
        ("status", "Khác trạng thái", 1),
    ]


def test_the_file_import_stays(pushed, tmp_path, capsys):
    path = tmp_path / "cong.csv"
    path.write_text(
        "Mã hồ sơ,Ngày tiếp nhận,Trạng thái\n"
        + "".join(f"{code},{timezone.localdate():%d/%m/%Y},Mới tiếp nhận\n" for code in pushed[:3]),
        encoding="utf-8",
    )
    reconcile("--dossiers", str(path))
    text = capsys.readouterr().out
    assert "phần mềm 4 hồ sơ, Cổng DVCQG 3 hồ sơ trong kỳ; 1 hồ sơ khác nhau" in text
    assert ReconciliationImport.objects.get().source == ReconciliationImport.Source.FILE


def test_exactly_one_source_is_required(pushed, tmp_path):
    with pytest.raises(CommandError):
        reconcile()
    with pytest.raises(CommandError):
        reconcile("--from-portal", "--dossiers", str(tmp_path / "x.csv"))
    assert not ReconciliationImport.objects.exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_portal_that_cannot_be_reached_stores_nothing(pushed, settings):
    settings.MOTCUA_DVCQG_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(CommandError, match=r"Không kết nối được Cổng DVCQG.*Chưa lưu gì"):
        reconcile("--from-portal")
    assert not ReconciliationImport.objects.exists()


def test_a_refused_log_in_stores_nothing(pushed, settings):
    settings.MOTCUA_DVCQG_PASSWORD = "sai"
    with pytest.raises(CommandError, match="Cổng DVCQG từ chối đăng nhập"):
        reconcile("--from-portal")
    assert not ReconciliationImport.objects.exists()


def test_an_answer_that_cannot_be_read_stores_nothing(pushed, fake_portal):
    with fake_portal.state.lock:
        fake_portal.state.dossiers[pushed[0]]["NgayTiepNhan"] = "03/12/2026"
    with pytest.raises(CommandError, match=f"hồ sơ {pushed[0]}: “03/12/2026” không đúng dạng"):
        reconcile("--from-portal")
    assert not ReconciliationImport.objects.exists()


def test_progress_is_told_every_hundred_dossiers(fake_portal):
    told = []
    connector = Connector()
    try:
        answers = look_up(
            connector, "000.00.19.H52", [f"X-{i}" for i in range(150)], lambda *n: told.append(n)
        )
    finally:
        connector.close()
    assert told == [(100, 150), (150, 150)]
    assert answers[0] == ("X-0", None) and len(answers) == 150
