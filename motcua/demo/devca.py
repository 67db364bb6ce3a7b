"""A development certificate authority (CA thử nghiệm) for the demo and the tests.

Real communes sign with certificates issued by a licensed provider (Ban Cơ yếu Chính phủ for
state bodies); this module only makes stand-ins with the same shape: a root CA, personal
certificates for leaders, an organisation certificate for the unit's seal, and a CRL.
No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Issued:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pkcs12(self, passphrase: str, chain: list[x509.Certificate] = ()) -> bytes:
        """The key and certificate as a PKCS#12 file protected by ``passphrase``."""
        name = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        return pkcs12.serialize_key_and_certificates(
            name.encode("utf-8"),
            self.key,
            self.certificate,
            list(chain) or None,
            serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        )

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_ca(
    common_name: str = "MộtCửa CA thử nghiệm",
    organisation: str = "MộtCửa (phát triển)",
    *,
    now: datetime | None = None,
    days: int = 3650,
) -> Issued:
    """A self-signed root CA."""
    now = now or datetime.now(UTC)
    key = _key()
    name = _name(common_name, organisation)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    common_name: str,
    organisation: str,
    *,
    now: datetime | None = None,
    not_before: datetime | None = None,
    days: int = 1095,
    key: rsa.RSAPrivateKey | None = None,
) -> Issued:
    """A signing certificate (person or organisation) issued by ``ca``."""
    now = now or datetime.now(UTC)
    key = key or _key()
    start = not_before or (now - timedelta(days=1))
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert)


def make_crl(ca: Issued, revoked_serials: list[int], *, now: datetime | None = None) -> bytes:
    """A DER-encoded certificate revocation list of ``ca``."""
    now = now or datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now)
        .next_update(now + timedelta(days=30))
    )
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
