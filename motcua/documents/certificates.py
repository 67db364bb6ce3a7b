"""Certificates for signing (chứng thư số) and the authorities we trust.

A leader's own PKCS#12 file or the unit's seal is kept as uploaded; its passphrase is checked
once and asked again at every signature, never stored. Each change is a configuration action
with its audit record (:func:`motcua.units.audit.record_change`).
"""

from __future__ import annotations

import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.errors import DocumentError
from motcua.documents import signing
from motcua.documents.models import SigningCertificate, TrustedAuthority
from motcua.units.audit import record_change
from motcua.units.models import ConfigChange


def revoked_serials() -> frozenset[int]:
    serials: set[int] = set()
    for hexes in TrustedAuthority.objects.values_list("revoked_serials", flat=True):
        serials |= {int(h, 16) for h in hexes}
    return frozenset(serials)


def trust_roots() -> list[bytes]:
    return [bytes(c) for c in TrustedAuthority.objects.values_list("certificate", flat=True)]


def certificate_summary(record: SigningCertificate) -> dict:
    """What the configuration log keeps of a certificate (never the key or the file)."""
    return {
        "subject": record.subject,
        "issuer": record.issuer,
        "serial": record.serial,
        "fingerprint": record.fingerprint,
        "not_after": record.not_after.isoformat(),
        "owner": record.user.username if record.user_id else "con dấu của cơ quan",
    }


def register_certificate(
    *, unit, data: bytes, passphrase: str, user: User | None = None, by: User | None = None
) -> SigningCertificate:
    """Keep a PKCS#12 file for signing: a leader's own (``user``) or the unit's seal
    (``user`` None), uploaded by ``by``. The passphrase is used once, to check the file, and
    forgotten. The replaced certificate and the new one go in the configuration log."""
    key, cert, _chain = signing.open_pkcs12(data, passphrase)
    info = signing.certificate_info(cert)
    signing.check_certificate(info, now=timezone.now(), revoked_serials=revoked_serials())
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise DocumentError(
            "Khoá bí mật không khớp với chứng thư số trong tệp.", "invalid_certificate"
        )
    with transaction.atomic():
        old = SigningCertificate.objects.filter(unit=unit, user=user, active=True).first()
        SigningCertificate.objects.filter(unit=unit, user=user, active=True).update(active=False)
        record, _ = SigningCertificate.objects.update_or_create(
            fingerprint=info.fingerprint,
            defaults={
                "unit": unit,
                "user": user,
                "subject": info.subject,
                "organisation": info.organisation,
                "issuer": info.issuer,
                "serial": info.serial_hex,
                "not_before": info.not_before,
                "not_after": info.not_after,
                "pkcs12": data,
                "active": True,
            },
        )
        record_change(
            ConfigChange.Kind.CERTIFICATE,
            unit=unit,
            actor=by,
            target=info.subject,
            before=certificate_summary(old) if old else None,
            after=certificate_summary(record),
        )
    return record


def trust_authority(
    name: str, certificate: bytes, crl: bytes | None = None, *, by: User | None = None
) -> TrustedAuthority:
    """Trust a CA (PEM or DER) and, optionally, load its revocation list (DER or PEM)."""
    try:
        cert = (
            x509.load_pem_x509_certificate(certificate)
            if certificate.lstrip().startswith(b"-----")
            else x509.load_der_x509_certificate(certificate)
        )
    except ValueError as exc:
        raise DocumentError(
            "Tệp chứng thư của tổ chức chứng thực không đọc được (cần PEM hoặc DER).",
            "invalid_certificate",
        ) from exc
    der = cert.public_bytes(serialization.Encoding.DER)
    with transaction.atomic():  # a bad CRL leaves nothing behind
        authority, created = TrustedAuthority.objects.update_or_create(
            fingerprint=hashlib.sha256(der).hexdigest(),
            defaults={"name": name, "certificate": der},
        )
        record_change(
            ConfigChange.Kind.AUTHORITY,
            unit=None,
            actor=by,
            target=name,
            before=None if created else {"fingerprint": authority.fingerprint},
            after={"name": name, "fingerprint": authority.fingerprint},
        )
        if crl is not None:
            load_crl(authority, crl, by=by)
    return authority


def load_crl(authority: TrustedAuthority, data: bytes, *, by: User | None = None) -> int:
    """Replace the revoked serials of ``authority`` with those of its CRL; return how many."""
    try:
        crl = (
            x509.load_pem_x509_crl(data)
            if data.lstrip().startswith(b"-----")
            else x509.load_der_x509_crl(data)
        )
    except ValueError as exc:
        raise DocumentError(
            "Danh sách thu hồi không đọc được (cần PEM hoặc DER).", "invalid_crl"
        ) from exc
    cert = x509.load_der_x509_certificate(bytes(authority.certificate))
    if not crl.is_signature_valid(cert.public_key()):
        raise DocumentError("Danh sách thu hồi không do tổ chức chứng thực này ký.", "invalid_crl")
    before = list(authority.revoked_serials)
    authority.revoked_serials = [format(r.serial_number, "x") for r in crl]
    authority.crl_updated_at = timezone.now()
    authority.save(update_fields=["revoked_serials", "crl_updated_at"])
    record_change(
        ConfigChange.Kind.CRL,
        unit=None,
        actor=by,
        target=authority.name,
        before={"revoked": len(before)},
        after={"revoked": len(authority.revoked_serials), "serials": authority.revoked_serials},
    )
    return len(authority.revoked_serials)


def certificate_for(unit, user: User | None) -> SigningCertificate:
    record = SigningCertificate.objects.filter(unit=unit, user=user, active=True).first()
    if record is None:
        if user is None:
            raise DocumentError(
                "Đơn vị chưa có chứng thư số của cơ quan (con dấu số); "
                "trưởng bộ phận hoặc quản trị cần tải lên trước.",
                "no_certificate",
            )
        raise DocumentError(
            "Bạn chưa có chứng thư số; hãy tải tệp PKCS#12 (.p12) của mình lên.",
            "no_certificate",
        )
    return record


def open_signer(record: SigningCertificate, passphrase: str) -> signing.Pkcs12Signer:
    return signing.Pkcs12Signer(
        bytes(record.pkcs12),
        passphrase,
        now=timezone.now(),
        revoked_serials=revoked_serials(),
    )
