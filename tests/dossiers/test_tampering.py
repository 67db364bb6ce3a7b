"""The eight tamperings of issue 13 (H2), each done with direct SQL behind the application's
back, and what ``motcua audit verify`` says of each (docs/audit.md §3).

The expected findings come from what was done to the rows (which dossier, which event), never
from the verifier itself.
"""

from __future__ import annotations

import hashlib
import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.core.audit import GENESIS, Tampering
from motcua.documents import checkpoints
from motcua.dossiers.history import reseal_unit
from motcua.dossiers.integrity import verify_log
from motcua.dossiers.ledger import audit_key
from motcua.dossiers.models import AuditHead, DossierEvent
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = [pytest.mark.django_db, pytest.mark.unsealed]


def receive(world, name):
    from motcua.workflow.actions import ApplicantData

    applicant = ApplicantData(name=name, id_number="019085001234", address="Thôn Nà Lẹng")
    draft = actions.create_draft(
        world.specialist, world.binh_thanh.desk, intake(applicant=applicant)
    )
    return actions.perform(draft.pk, world.specialist, "receive")


@pytest.fixture
def three(staff):
    """Three dossiers at Bình Thành, the first moved on twice: events A1…A4, B1…B2, C1…C2."""
    a = receive(staff, "Nguyễn Văn An")
    b = receive(staff, "Trần Thị Bình")
    actions.perform(a.pk, staff.specialist, "start_review")
    c = receive(staff, "Lê Văn Cường")
    actions.perform(a.pk, staff.specialist, "submit_for_approval")
    assert findings() == []
    return a, b, c


def findings(cps=()):
    return verify_log(audit_key(), cps)[1]


def kinds_for(found):
    return {(f.kind, f.dossier, f.seq) for f in found}


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def delete_events(where, params):
    """DELETE events (and the portal's outbox rows that point to them, as a tamperer must)."""
    sql(
        "DELETE FROM dvcqg_outboxrow WHERE event_id IN "
        f"(SELECT id FROM dossiers_dossierevent WHERE {where})",
        params,
    )
    sql(f"DELETE FROM dossiers_dossierevent WHERE {where}", params)


def event(dossier, seq):
    return DossierEvent.objects.get(dossier=dossier, seq=seq)


def test_1_an_event_edited_is_named_with_its_dossier_and_number(three):
    a, _, _ = three
    sql("UPDATE dossiers_dossierevent SET note = %s WHERE id = %s", ["sửa lén", event(a, 2).id.hex])
    found = findings()
    assert kinds_for(found) == {(Tampering.EVENT_CHANGED, a.code, 2)}
    assert f"Hồ sơ {a.code}: sự kiện số 2" in found[0].message


def test_2_a_middle_event_deleted_leaves_a_hole_in_the_dossier_and_in_the_unit(three):
    a, _, _ = three
    gone = event(a, 3)
    delete_events("id = %s", [gone.id.hex])
    found = findings()
    assert (Tampering.EVENT_MISSING, a.code, 3) in kinds_for(found)
    [gap] = [f for f in found if f.kind == Tampering.NUMBERS_MISSING]
    assert gap.number == gone.number and f"số {gone.number}" in gap.message


def test_3_a_dossiers_last_event_deleted(three):
    a, _, _ = three
    last = event(a, 4)  # the unit's last event too
    delete_events("id = %s", [last.id.hex])
    found = findings()
    assert (Tampering.ROW_CHANGED, a.code, 3) in kinds_for(found)
    [gap] = [f for f in found if f.kind == Tampering.NUMBERS_MISSING]
    assert gap.number == last.number


def test_3b_the_last_event_and_the_heads_count_deleted_together(three):
    a, _, _ = three
    last = event(a, 4)
    delete_events("id = %s", [last.id.hex])
    previous = DossierEvent.objects.get(unit_id=a.unit_id, number=last.number - 1)
    sql(
        "UPDATE dossiers_audithead SET last = %s, head = %s WHERE unit_id = %s",
        [last.number - 1, previous.hash, a.unit_id],
    )
    # the dossier's row still says where the deleted event took it
    assert kinds_for(findings()) == {(Tampering.ROW_CHANGED, a.code, 3)}


def test_4_all_of_a_dossiers_events_deleted(three):
    _, b, _ = three
    numbers = sorted(DossierEvent.objects.filter(dossier=b).values_list("number", flat=True))
    delete_events("dossier_id = %s", [b.id.hex])
    found = findings()
    assert (Tampering.NO_EVENTS, b.code, None) in kinds_for(found)
    gaps = sorted(f.number for f in found if f.kind == Tampering.NUMBERS_MISSING)
    assert gaps == [numbers[0]] and numbers == [numbers[0], numbers[0] + 1]


def test_5_a_dossier_deleted_with_all_its_rows(three):
    a, b, _ = three
    numbers = sorted(DossierEvent.objects.filter(dossier=b).values_list("number", flat=True))
    delete_events("dossier_id = %s", [b.id.hex])
    for table in ("dvcqg_outboxrow", "dossiers_dossiersync", "notifications_notification"):
        sql(f"DELETE FROM {table} WHERE dossier_id = %s", [b.id.hex])
    sql("DELETE FROM dossiers_dossier WHERE id = %s", [b.id.hex])
    found = findings()
    [gap] = found
    assert gap.kind == Tampering.NUMBERS_MISSING
    assert f"số {numbers[0]} đến {numbers[-1]}" in gap.message
    # it names the surviving neighbours, so the hole can be placed in time
    assert a.code in gap.message


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("applicant_name", "Người Khác"),
        ("state", "returned"),
        ("due_at", "2030-01-01 00:00:00"),
    ],
)
def test_6_the_dossier_row_changed(three, column, value):
    _, b, _ = three
    sql(f"UPDATE dossiers_dossier SET {column} = %s WHERE id = %s", [value, b.id.hex])
    found = findings()
    assert kinds_for(found) == {(Tampering.ROW_CHANGED, b.code, 2)}
    if column == "state":
        assert "trạng thái “Đã trả kết quả” trong khi sự kiện cuối ghi “Mới tiếp nhận”" in (
            found[0].message
        )


def test_7_an_event_edited_and_the_chain_rehashed_with_public_sha256(three):
    """What the old chain allowed: recompute every hash after the edit with SHA-256."""
    a, b, c = three
    from motcua.dossiers.ledger import event_payload

    prev = GENESIS
    for e in DossierEvent.objects.filter(dossier=a).order_by("seq"):
        if e.seq == 2:
            e.note = "sửa lén"
        e.prev_hash = prev
        text = json.dumps(
            event_payload(e), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        e.hash = hashlib.sha256(f"{prev}\n{text}".encode()).hexdigest()
        sql(
            "UPDATE dossiers_dossierevent SET note = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [e.note, e.prev_hash, e.hash, e.id.hex],
        )
        prev = e.hash
    found = findings()
    changed = {(f.dossier, f.seq) for f in found if f.kind == Tampering.EVENT_CHANGED}
    assert changed == {(a.code, seq) for seq in (1, 2, 3, 4)}
    # and the unit's log shows that the event after each of A's (numbers 1, 2, 5, 8: A2, B1,
    # C1 and none after the last) no longer links to it
    broken = {(f.dossier, f.seq) for f in found if f.kind == Tampering.LINK_BROKEN}
    assert broken == {(a.code, 2), (b.code, 1), (c.code, 1)}


def test_8_a_rewrite_with_the_key_is_caught_by_the_last_checkpoint(three, settings, tmp_path):
    a, b, c = three
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    [checkpoint] = checkpoints.write_checkpoints(audit_key())
    # someone with the database and the key edits B's intake and re-seals the whole log
    sql(
        "UPDATE dossiers_dossierevent SET note = %s WHERE id = %s",
        ["sửa lén", event(b, 1).id.hex],
    )
    reseal_unit(a.unit_id)
    assert findings() == []  # without the checkpoint the rewrite cannot be seen
    good, bad = checkpoints.read_checkpoints(audit_key())
    assert bad == [] and good == [checkpoint]
    found = findings(good)
    [mismatch] = found
    assert mismatch.kind == Tampering.CHECKPOINT_MISMATCH
    assert f"sự kiện số {checkpoint.number}" in mismatch.message
    for dossier in (a, b, c):  # the range it names holds every dossier touched
        assert dossier.code in mismatch.message


def test_a_truncated_log_with_its_head_wound_back_is_caught_by_the_checkpoint(
    three, settings, tmp_path
):
    a, _, _ = three
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    checkpoints.write_checkpoints(audit_key())
    last = event(a, 4)
    delete_events("id = %s", [last.id.hex])
    previous = DossierEvent.objects.get(unit_id=a.unit_id, number=last.number - 1)
    AuditHead.objects.filter(unit_id=a.unit_id).update(last=last.number - 1, head=previous.hash)
    good, _ = checkpoints.read_checkpoints(audit_key())
    kinds = {f.kind for f in findings(good)}
    assert Tampering.CHECKPOINT_MISMATCH in kinds


def test_a_checkpoint_edited_in_its_file_is_refused(three, settings, tmp_path):
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    [checkpoint] = checkpoints.write_checkpoints(audit_key())
    path = checkpoints.path_of(checkpoint.unit)
    line = json.loads(path.read_text())
    line["number"] -= 1
    path.write_text(json.dumps(line) + "\n")
    good, bad = checkpoints.read_checkpoints(audit_key())
    assert good == [] and [f.kind for f in bad] == [Tampering.CHECKPOINT_BAD]


def test_a_checkpoint_is_written_only_when_the_head_moved(three, settings, tmp_path):
    a, _, _ = three
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    assert len(checkpoints.write_checkpoints(audit_key())) == 1
    assert checkpoints.write_checkpoints(audit_key()) == []
    assert stat.S_IMODE(checkpoints.path_of(a.unit_id).stat().st_mode) == 0o600


def test_the_command_names_the_dossier_and_fails(three, capsys):
    a, _, _ = three
    call_command("audit", "verify")
    assert "Nhật ký nguyên vẹn: 8 sự kiện" in capsys.readouterr().out
    sql("UPDATE dossiers_dossier SET applicant_name = %s WHERE id = %s", ["X", a.id.hex])
    with pytest.raises(CommandError, match="1 hồ sơ được nêu tên"):
        call_command("audit", "verify")
    assert a.code in capsys.readouterr().err


def test_the_key_file_is_private(settings):
    path = settings.MOTCUA_AUDIT_KEY_FILE
    audit_key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_size == 32


@pytest.fixture(scope="module")
def seal_pki():
    from motcua.demo import devca

    ca = devca.make_ca()
    return {"ca": ca, "seal": devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã")}


def register_seal(world, pki):
    from motcua.documents.certificates import register_certificate, trust_authority

    trust_authority("CA thử nghiệm", pki["ca"].pem())
    register_certificate(unit=world.binh_thanh, data=pki["seal"].pkcs12("dau"), passphrase="dau")


def test_a_checkpoint_is_signed_with_the_units_seal_and_openssl_agrees(
    three, staff, seal_pki, settings, tmp_path
):
    import base64
    import subprocess

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    register_seal(staff, seal_pki)
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    [checkpoint] = checkpoints.write_checkpoints(audit_key(), "dau")
    assert checkpoint.method == "seal"
    cert = x509.load_der_x509_certificate(base64.b64decode(checkpoint.certificate))
    assert "Bình Thành" in cert.subject.rfc4514_string()
    (tmp_path / "text").write_bytes(checkpoint.signed_text())
    (tmp_path / "sig").write_bytes(base64.b64decode(checkpoint.signature))
    (tmp_path / "pub.pem").write_bytes(
        cert.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    out = subprocess.run(
        [
            *("openssl", "dgst", "-sha256", "-verify", str(tmp_path / "pub.pem")),
            *("-signature", str(tmp_path / "sig"), str(tmp_path / "text")),
        ],
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "Verified OK", out.stderr
    good, bad = checkpoints.read_checkpoints(audit_key())
    assert good == [checkpoint] and bad == []
    assert findings(good) == []


def test_a_wrong_passphrase_falls_back_to_the_key(three, staff, seal_pki, settings, tmp_path):
    register_seal(staff, seal_pki)
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    [checkpoint] = checkpoints.write_checkpoints(audit_key(), "sai")
    assert checkpoint.method == "hmac"


def test_a_checkpoint_signed_by_an_untrusted_certificate_is_refused(
    three, staff, settings, tmp_path
):
    """A forger signs the true head with a certificate of their own making."""
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.serialization import Encoding

    from motcua.core.audit import Checkpoint
    from motcua.demo import devca

    issued = devca.issue(devca.make_ca(), "Kẻ giả mạo", "Không rõ")  # a CA never trusted
    head = AuditHead.objects.get(unit_id=staff.binh_thanh.code)
    text = Checkpoint(
        unit=head.unit_id, number=head.last, head=head.head, at="2026-12-01T00:00:00+00:00"
    )
    forged = Checkpoint(
        unit=text.unit,
        number=text.number,
        head=text.head,
        at=text.at,
        method="seal",
        certificate=base64.b64encode(issued.certificate.public_bytes(Encoding.DER)).decode(),
        signature=base64.b64encode(
            issued.key.sign(text.signed_text(), padding.PKCS1v15(), hashes.SHA256())
        ).decode(),
    )
    settings.MOTCUA_AUDIT_CHECKPOINT_DIR = tmp_path
    checkpoints.append(forged)
    good, bad = checkpoints.read_checkpoints(audit_key())
    assert good == [] and "không do tổ chức được tin cậy cấp" in bad[0].message
