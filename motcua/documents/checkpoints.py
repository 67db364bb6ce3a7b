"""Checkpoints of the audit log (docs/audit.md): each unit's head — the number and seal of its
latest event — signed with the unit's seal and written outside the database.

A checkpoint is one line of ``MOTCUA_AUDIT_CHECKPOINT_DIR/<unit>.jsonl``, appended and synced
by ``motcua audit checkpoint`` (the worker's loop, every ``MOTCUA_AUDIT_CHECKPOINT_HOURS``), and
e-mailed to ``MOTCUA_AUDIT_CHECKPOINT_EMAIL`` (the province) when set. It is signed with the
unit's seal certificate (RSA or ECDSA, SHA-256) when the seal's passphrase is configured
(``MOTCUA_RECEIPT_PASSPHRASE``); otherwise with the audit key (HMAC), which proves less: whoever
holds the key can forge it. Someone who holds the database and the audit key can rewrite and
re-seal the log, but not the checkpoints already signed and sent: verify then finds the head
changed.
"""

from __future__ import annotations

import base64
import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.core.mail import EmailMessage

from motcua.core.audit import Checkpoint, Finding, Tampering, hmac_signature, hmac_signature_ok
from motcua.documents.certificates import trust_roots
from motcua.documents.models import SigningCertificate
from motcua.dossiers.models import AuditHead

log = logging.getLogger(__name__)


def checkpoint_dir() -> Path:
    return Path(settings.MOTCUA_AUDIT_CHECKPOINT_DIR)


def path_of(unit_id: str) -> Path:
    return checkpoint_dir() / f"{unit_id}.jsonl"


# -- writing ----------------------------------------------------------------------------------


def write_checkpoints(key: bytes, passphrase: str = "", *, now: datetime | None = None):
    """A checkpoint for every unit whose head moved since its last one: the list written."""
    now = now or datetime.now(UTC)
    written = []
    for head in AuditHead.objects.filter(last__gt=0).order_by("unit_id"):
        previous = last_checkpoint(head.unit_id)
        if previous is not None and previous.number == head.last and previous.head == head.head:
            continue
        checkpoint = Checkpoint(
            unit=head.unit_id,
            number=head.last,
            head=head.head,
            at=now.astimezone(UTC).isoformat(timespec="seconds"),
        )
        checkpoint = sign(checkpoint, key, passphrase)
        append(checkpoint)
        send(checkpoint)
        written.append(checkpoint)
    return written


def sign(checkpoint: Checkpoint, key: bytes, passphrase: str) -> Checkpoint:
    """Signed with the unit's seal when its passphrase opens it; with the audit key if not."""
    record = SigningCertificate.objects.filter(
        unit_id=checkpoint.unit, user=None, active=True
    ).first()
    if record is not None and passphrase:
        try:
            private, certificate, _ = pkcs12.load_key_and_certificates(
                bytes(record.pkcs12), passphrase.encode()
            )
        except ValueError:
            log.warning("Mật khẩu con dấu số của %s không đúng: ký bằng khoá", checkpoint.unit)
        else:
            signature = _sign_bytes(private, checkpoint.signed_text())
            der = certificate.public_bytes(Encoding.DER)
            return Checkpoint(
                **_fields(checkpoint),
                method="seal",
                certificate=base64.b64encode(der).decode(),
                signature=base64.b64encode(signature).decode(),
            )
    unsigned = Checkpoint(**_fields(checkpoint), method="hmac")
    return Checkpoint(**_fields(unsigned), method="hmac", signature=hmac_signature(key, unsigned))


def _fields(c: Checkpoint) -> dict:
    return {"unit": c.unit, "number": c.number, "head": c.head, "at": c.at}


def _sign_bytes(private, data: bytes) -> bytes:
    if isinstance(private, rsa.RSAPrivateKey):
        return private.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(private, ec.EllipticCurvePrivateKey):
        return private.sign(data, ec.ECDSA(hashes.SHA256()))
    raise ValueError("Loại khoá của con dấu số không được hỗ trợ (cần RSA hoặc ECDSA).")


def append(checkpoint: Checkpoint) -> None:
    path = path_of(checkpoint.unit)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(checkpoint.to_line() + "\n")
        f.flush()
        os.fsync(f.fileno())


def send(checkpoint: Checkpoint) -> None:
    """A copy to the province's address, when one is set (a failure is logged, not raised: the
    file is written and the next checkpoint will be sent)."""
    to = settings.MOTCUA_AUDIT_CHECKPOINT_EMAIL
    if not to:
        return
    message = EmailMessage(
        f"Điểm kiểm tra nhật ký MộtCửa — đơn vị {checkpoint.unit}, sự kiện số {checkpoint.number}",
        "Tệp đính kèm là điểm kiểm tra nhật ký xử lý hồ sơ của đơn vị, đã ký số. "
        "Lưu giữ để đối chiếu khi kiểm tra nhật ký (motcua audit verify --checkpoints).",
        settings.DEFAULT_FROM_EMAIL,
        [to],
    )
    message.attach(
        f"{checkpoint.unit}-{checkpoint.number}.jsonl",
        checkpoint.to_line() + "\n",
        "application/jsonl",
    )
    try:
        message.send()
    except OSError as error:
        log.warning("Không gửi được điểm kiểm tra nhật ký cho tỉnh: %s", error)


def loop(key: bytes, passphrase: str, hours: float) -> None:  # pragma: no cover - a daemon
    while True:
        write_checkpoints(key, passphrase)
        time.sleep(max(60.0, hours * 3600))


# -- reading ----------------------------------------------------------------------------------


def last_checkpoint(unit_id: str) -> Checkpoint | None:
    path = path_of(unit_id)
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return Checkpoint.from_line(lines[-1]) if lines else None


def read_checkpoints(key: bytes, paths: list[Path] | None = None):
    """``(checkpoints whose signature verifies, findings for the others)`` from ``paths``
    (files or directories; default: the checkpoint directory)."""
    files: list[Path] = []
    for path in paths or [checkpoint_dir()]:
        if path.is_dir():
            files.extend(sorted(path.glob("*.jsonl")))
        elif path.exists():
            files.append(path)
    good, findings = [], []
    roots = _roots()
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                checkpoint = Checkpoint.from_line(line)
            except (ValueError, KeyError, TypeError):
                findings.append(
                    Finding(
                        Tampering.CHECKPOINT_BAD,
                        f"Tệp {file.name}, dòng {number}: không đọc được điểm kiểm tra.",
                    )
                )
                continue
            problem = signature_problem(checkpoint, key, roots)
            if problem:
                findings.append(
                    Finding(
                        Tampering.CHECKPOINT_BAD,
                        f"Tệp {file.name}, dòng {number}: {problem}",
                        unit=checkpoint.unit,
                        number=checkpoint.number,
                    )
                )
            else:
                good.append(checkpoint)
    return good, findings


def signature_problem(checkpoint: Checkpoint, key: bytes, roots=None) -> str:
    """Why ``checkpoint``'s signature cannot be believed, or ""."""
    if checkpoint.method == "hmac":
        if hmac_signature_ok(key, checkpoint):
            return ""
        return "chữ ký (khoá nhật ký) của điểm kiểm tra không đúng: điểm kiểm tra bị sửa."
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(checkpoint.certificate))
        signature = base64.b64decode(checkpoint.signature)
    except ValueError:
        return "không đọc được chứng thư hoặc chữ ký của điểm kiểm tra."
    roots = _roots() if roots is None else roots
    if not any(_issued_by(certificate, root) for root in roots):
        return "chứng thư ký điểm kiểm tra không do tổ chức được tin cậy cấp."
    public = certificate.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, checkpoint.signed_text(), padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, checkpoint.signed_text(), ec.ECDSA(hashes.SHA256()))
        else:
            return "loại khoá của chứng thư ký điểm kiểm tra không được hỗ trợ."
    except InvalidSignature:
        return "chữ ký số của điểm kiểm tra không đúng: điểm kiểm tra bị sửa."
    return ""


def _roots() -> list[x509.Certificate]:
    roots = []
    for data in trust_roots():
        try:
            if data.lstrip().startswith(b"-----BEGIN"):
                roots.append(x509.load_pem_x509_certificate(data))
            else:
                roots.append(x509.load_der_x509_certificate(data))
        except ValueError:
            continue
    return roots


def _issued_by(certificate: x509.Certificate, root: x509.Certificate) -> bool:
    if certificate.fingerprint(hashes.SHA256()) == root.fingerprint(hashes.SHA256()):
        return True
    try:
        certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
