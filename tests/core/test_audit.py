"""The seals of the audit log, checked against a second tool (openssl's HMAC)."""

import subprocess
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from motcua.core.audit import (
    GENESIS,
    Checkpoint,
    canonical,
    event_seal,
    hmac_signature,
    hmac_signature_ok,
    row_seal,
)

KEY = bytes(range(32))
PAYLOAD = {"seq": 1, "action": "receive", "note": "Tiếp nhận hồ sơ", "data": {"b": 2, "a": 1}}


def openssl_hmac(key: bytes, message: bytes) -> str:
    out = subprocess.run(
        ["openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", f"hexkey:{key.hex()}"],
        input=message,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return out.strip().rsplit(" ", 1)[-1]


def test_the_seal_is_hmac_sha256_of_the_previous_seal_and_the_canonical_content():
    message = (
        GENESIS
        + "\n"
        + '{"action":"receive","data":{"a":1,"b":2},"note":"Tiếp nhận hồ sơ","seq":1}'
    ).encode()
    assert event_seal(KEY, GENESIS, PAYLOAD) == openssl_hmac(KEY, message)


def test_the_seal_needs_the_key():
    assert event_seal(KEY, GENESIS, PAYLOAD) != event_seal(bytes(32), GENESIS, PAYLOAD)
    # and is not the plain SHA-256 that anyone could recompute
    import hashlib

    plain = hashlib.sha256(f"{GENESIS}\n{canonical(PAYLOAD)}".encode()).hexdigest()
    assert event_seal(KEY, GENESIS, PAYLOAD) != plain


@pytest.mark.parametrize(
    "change", [{"note": "đã sửa"}, {"seq": 2}, {"data": {"a": 1, "b": 3}}, {"extra": ""}]
)
def test_any_change_of_content_changes_the_seal(change):
    assert event_seal(KEY, GENESIS, {**PAYLOAD, **change}) != event_seal(KEY, GENESIS, PAYLOAD)


def test_the_seal_covers_the_previous_one():
    assert event_seal(KEY, GENESIS, PAYLOAD) != event_seal(KEY, "1" * 64, PAYLOAD)


def test_the_row_seal_reads_an_instant_the_same_in_any_zone():
    hanoi = timezone(timedelta(hours=7))
    at = datetime(2026, 3, 2, 15, 30, 0, 120, tzinfo=hanoi)
    fields = {"state": "returned", "due_at": at, "birth": date(1990, 1, 2), "fee": 50000}
    same = {**fields, "due_at": at.astimezone(UTC)}
    assert row_seal(KEY, fields) == row_seal(KEY, same)
    assert row_seal(KEY, fields) != row_seal(KEY, {**fields, "due_at": at + timedelta(days=1)})
    assert row_seal(KEY, fields) != row_seal(KEY, {**fields, "state": "processing"})
    # the message: "row" and the canonical fields, the instant in UTC to the microsecond
    message = (
        b'row\n{"birth":"1990-01-02","due_at":"2026-03-02T08:30:00.000120+00:00",'
        b'"fee":50000,"state":"returned"}'
    )
    assert row_seal(KEY, fields) == openssl_hmac(KEY, message)


def test_a_checkpoint_reads_back_and_its_signature_catches_a_change():
    c = Checkpoint(unit="31234", number=42, head="a" * 64, at="2026-12-02T00:00:00+00:00")
    signed = Checkpoint(**{**c.__dict__, "signature": hmac_signature(KEY, c)})
    again = Checkpoint.from_line(signed.to_line())
    assert again == signed and hmac_signature_ok(KEY, again)
    moved = Checkpoint(**{**signed.__dict__, "number": 41})
    assert not hmac_signature_ok(KEY, moved)
    assert not hmac_signature_ok(bytes(32), signed)
