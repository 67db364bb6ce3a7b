"""``motcua.rows.insert_rows`` stores what ``Model.save()`` stores, column for column.

Each row the intake writes through it (the dossier, its event, its messages, the portal's
outbox row and sync record) is taken as a real intake left it, copied twice under a new id —
one copy saved by Django's ``save()``, the other by ``insert_rows`` — and the two rows read
back must be equal in every column. The expected row is therefore Django's own, not ours. Runs
on SQLite and on PostgreSQL (the suite runs on both)."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierEvent, DossierSync
from motcua.dvcqg.models import OutboxRow
from motcua.notifications.models import Notification
from motcua.rows import insert_rows
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


def stored(model, pk) -> dict:
    """The row exactly as the database keeps it (read with SQL, not through the fields, so a
    value stored in another form — a time as other text — differs), without its id; its time
    stamps, set on each write so two writes differ, only checked to be recent."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {connection.ops.quote_name(meta.db_table)} WHERE "
            f"{connection.ops.quote_name(meta.pk.column)} = %s",
            [meta.pk.get_db_prep_value(pk, connection)],
        )
        row = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))
    row.pop(meta.pk.column)
    for f in meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamp = f.to_python(row.pop(f.column))
            if timezone.is_naive(stamp):  # SQLite keeps UTC without its offset
                stamp = stamp.replace(tzinfo=UTC)
            assert abs(stamp - timezone.now()).total_seconds() < 60
    return row


def twice(obj, change) -> tuple[dict, dict]:
    """``obj`` saved once by ``save()`` and once by ``insert_rows`` (each time a fresh copy,
    moved off ``obj``'s unique values by ``change``); both rows as the database gives them."""
    model = type(obj)
    rows = []
    for write in ("save", "insert_rows"):
        twin = copy.copy(obj)
        twin._state = copy.copy(obj._state)
        twin._state.adding = True
        change(twin)
        if write == "save":
            twin.save(force_insert=True)
        else:
            insert_rows(model, [twin])
        assert twin._state.adding is False
        rows.append(stored(model, twin.pk))
        model.objects.filter(pk=twin.pk).delete()  # the second copy reuses its unique values
    return rows[0], rows[1]


@pytest.fixture
def received(staff):
    """A dossier received at the desk with a birth date, Vietnamese text, papers' forms and an
    e-mail and a phone (so both messages are written), the portal's rows too."""
    data = intake(
        applicant=actions.ApplicantData(
            name="Nguyễn Thị Ánh Tuyết",
            id_number="019185004321",
            phone="0912345678",
            email="tuyet@example.vn",
            address="Xóm Đồng Ẻn, xã Bình Thành",
            birth_date=date(1985, 2, 28),
            sex="nu",
        ),
        forms={"Dự thảo hợp đồng": "original", "Giấy tờ tùy thân": "certified_copy"},
    )
    return actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, data)


def test_dossier_row_is_the_same(received):
    dossier = Dossier.objects.get(pk=received.pk)

    token = uuid.uuid4().hex

    def change(twin):
        twin.id = uuid.uuid4()
        twin.code = "KHAC-" + dossier.code
        twin.tracking_token = token

    by_save, by_rows = twice(dossier, change)
    assert by_rows == by_save
    # the values the comparison covers are real ones, not all empty
    assert str(by_save["applicant_birth_date"]) == "1985-02-28"
    assert by_save["received_at"] is not None and by_save["due_at"] is not None
    assert by_save["submitted_forms"] and by_save["applicant_name"] == "Nguyễn Thị Ánh Tuyết"


def test_event_row_is_the_same(received):
    event = DossierEvent.objects.get(dossier=received)
    assert event.data["code"] == received.code

    def change(twin):
        twin.id = uuid.uuid4()
        twin.seq, twin.number = 1000, 1000

    by_save, by_rows = twice(event, change)
    assert by_rows == by_save


def test_message_rows_are_the_same(received):
    messages = list(Notification.objects.filter(dossier=received).order_by("channel"))
    assert [m.channel for m in messages] == ["email", "sms"]
    for message in messages:

        def change(twin):
            twin.id = uuid.uuid4()

        by_save, by_rows = twice(message, change)
        assert by_rows == by_save


def test_portal_rows_are_the_same(received, staff):
    row = OutboxRow.objects.filter(dossier=received).order_by("seq").first()
    assert row.payload["data"][0]

    def change_row(twin):
        twin.id = None  # the database gives it
        twin.seq = 1000

    by_save, by_rows = twice(row, change_row)
    assert by_rows == by_save

    sync = DossierSync.objects.get(dossier=received)
    other = actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, intake())
    DossierSync.objects.filter(dossier=other).delete()

    def change_sync(twin):
        twin.dossier_id = other.pk
        twin.portal_code = "KHAC-" + sync.portal_code

    by_save, by_rows = twice(sync, change_sync)
    assert by_rows == by_save


def test_ids_the_database_gives_are_set_in_order(received):
    event = DossierEvent.objects.get(dossier=received)
    at = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    rows = [
        OutboxRow(
            dossier_id=received.pk,
            unit_id=received.unit_id,
            seq=100 + i,
            event=event,
            action="receive",
            service="TienDoHoSoMCDT",
            payload={"thứ tự": i},
            created_at=at,
        )
        for i in range(5)
    ]
    insert_rows(OutboxRow, rows)
    for i, row in enumerate(rows):
        assert OutboxRow.objects.get(pk=row.pk).seq == 100 + i
        assert OutboxRow.objects.get(pk=row.pk).payload == {"thứ tự": i}


def test_a_database_default_is_refused():
    from motcua.reports.models import StatCell

    with pytest.raises(ValueError, match="database value"):
        insert_rows(StatCell, [StatCell()])


def test_a_few_rows_go_in_one_statement(received):
    from django.test.utils import CaptureQueriesContext

    messages = [copy.copy(m) for m in Notification.objects.filter(dossier=received)]
    for m in messages:
        m.id, m._state = uuid.uuid4(), copy.copy(m._state)
        m._state.adding = True
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Notification, messages)
    assert len(queries) == 1 and len(messages) == 2
    assert Notification.objects.filter(pk__in=[m.pk for m in messages]).count() == 2
