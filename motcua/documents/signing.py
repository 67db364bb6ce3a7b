"""Chữ ký số: PAdES signatures on result PDFs (pyHanko), and their verification.

A :class:`Signer` holds a certificate and knows how to sign; :class:`Pkcs12Signer` signs with
a PKCS#12 file and its passphrase (asked at signing time, never stored). A remote signing
service or an HSM (PKCS#11) plugs in as another implementation of the same small interface.

Checks before signing: the passphrase opens the file, the key belongs to the certificate, the
certificate is inside its validity period and not on the issuer's revocation list. Every
failure is a :class:`SigningError` with a Vietnamese message.

No Django import: callers pass the font cache directory, the revoked serials and trust roots.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.font import opentype
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
SOURCE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
STAMP_FONT_SIZE = 8


class SigningError(ValueError):
    """A signature that cannot be made (Vietnamese message)."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the desk shows of a certificate (chứng thư số)."""

    subject: str
    organisation: str
    issuer: str
    serial: int
    not_before: datetime
    not_after: datetime
    fingerprint: str  # SHA-256 of the DER certificate, hex

    @property
    def serial_hex(self) -> str:
        return format(self.serial, "x")


def _attribute(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def certificate_info(cert: x509.Certificate) -> CertificateInfo:
    from cryptography.x509.oid import NameOID

    der = cert.public_bytes(serialization.Encoding.DER)
    return CertificateInfo(
        subject=_attribute(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string(),
        organisation=_attribute(cert.subject, NameOID.ORGANIZATION_NAME),
        issuer=_attribute(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        serial=cert.serial_number,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint=hashlib.sha256(der).hexdigest(),
    )


def open_pkcs12(data: bytes, passphrase: str):
    """Key, certificate and chain of a PKCS#12 file; a wrong passphrase is a SigningError."""
    if not data:
        raise SigningError("Chưa có tệp chứng thư số (PKCS#12).")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError as exc:
        raise SigningError(
            "Không mở được chứng thư số: sai mật khẩu hoặc tệp không phải PKCS#12 (.p12/.pfx)."
        ) from exc
    if key is None or cert is None:
        raise SigningError("Tệp PKCS#12 không chứa khoá bí mật và chứng thư số.")
    return key, cert, list(chain or [])


def check_certificate(
    info: CertificateInfo, *, now: datetime, revoked_serials: frozenset[int] = frozenset()
) -> None:
    """Refuse a certificate outside its validity period or on a revocation list."""
    if now < info.not_before:
        raise SigningError(
            f"Chứng thư số chưa có hiệu lực (từ {info.not_before.astimezone(LOCAL):%d/%m/%Y})."
        )
    if now > info.not_after:
        raise SigningError(
            f"Chứng thư số đã hết hạn ngày {info.not_after.astimezone(LOCAL):%d/%m/%Y}; "
            "hãy gia hạn với nhà cung cấp dịch vụ chứng thực."
        )
    if info.serial in revoked_serials:
        raise SigningError(
            "Chứng thư số đã bị thu hồi (có trong danh sách thu hồi của tổ chức cấp); "
            "không được dùng để ký."
        )


class Signer(Protocol):
    """Something that signs: a PKCS#12 file here; a remote service or an HSM elsewhere."""

    info: CertificateInfo

    def pyhanko_signer(self) -> signers.Signer: ...


class Pkcs12Signer:
    """Signs with a PKCS#12 file opened by its passphrase (kept in memory only)."""

    def __init__(
        self,
        data: bytes,
        passphrase: str,
        *,
        now: datetime | None = None,
        revoked_serials: frozenset[int] = frozenset(),
    ):
        key, cert, chain = open_pkcs12(data, passphrase)
        if key.public_key().public_numbers() != cert.public_key().public_numbers():
            raise SigningError("Khoá bí mật không khớp với chứng thư số trong tệp.")
        self.info = certificate_info(cert)
        check_certificate(self.info, now=now or datetime.now(UTC), revoked_serials=revoked_serials)
        self._data, self._passphrase = data, passphrase
        self._chain = [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain
        ]

    def pyhanko_signer(self) -> signers.Signer:
        return signers.SimpleSigner.load_pkcs12_data(
            self._data, self._chain, passphrase=self._passphrase.encode("utf-8")
        )


def stamp_font(cache_dir: Path) -> Path:
    """DejaVu Sans rescaled to 1000 units per em, as pyHanko's stamp layout assumes.

    With the font's native 2048 units the letters of a visible stamp come out spaced twice
    too wide (pyHanko issue #733); the rescaled copy is made once and cached.
    """
    target = cache_dir / "DejaVuSans-1000upem.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        cache_dir.mkdir(parents=True, exist_ok=True)
        font = TTFont(SOURCE_FONT)
        scale_upem(font, 1000)
        partial = target.with_suffix(".tmp")
        font.save(partial)
        partial.replace(target)
    return target


@dataclass(frozen=True)
class Placement:
    """Where the visible stamp goes: page index (-1 = last) and box in PDF points."""

    page: int = -1
    box: tuple[int, int, int, int] = (330, 60, 560, 140)


def outside_event_loop(func, *args, **kwargs):
    """Call ``func`` where ``asyncio.run`` is allowed.

    pyHanko signs and validates through ``asyncio.run``, which refuses to start inside a running
    event loop (an ASGI worker, or Playwright's loop in the browser tests); there the call runs
    in a short-lived thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def sign_pdf(pdf: bytes, signer: Signer, **kwargs) -> bytes:
    """Add a visible PAdES signature to ``pdf``; see :func:`_sign_pdf` for the arguments."""
    return outside_event_loop(_sign_pdf, pdf, signer, **kwargs)


def _sign_pdf(
    pdf: bytes,
    signer: Signer,
    *,
    field_name: str,
    stamp_lines: list[str],
    font_dir: Path,
    placement: Placement = Placement(),
    reason: str = "",
    location: str = "",
) -> bytes:
    """Add a visible PAdES signature to ``pdf`` as an incremental update; return the bytes.

    Earlier signatures stay valid: each signature is appended, never rewritten.
    """
    try:
        reader_check = PdfFileReader(io.BytesIO(pdf))
        page_count = int(reader_check.root["/Pages"]["/Count"])
    except Exception as exc:  # pyHanko raises several kinds for a broken file
        raise SigningError("Tệp kết quả không phải PDF hợp lệ; không thể ký.") from exc
    page = placement.page if placement.page >= 0 else page_count + placement.page
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(
        writer, fields.SigFieldSpec(field_name, on_page=page, box=placement.box)
    )
    font = opentype.GlyphAccumulatorFactory(str(stamp_font(font_dir)), font_size=STAMP_FONT_SIZE)
    style = TextStampStyle(
        stamp_text="\n".join(stamp_lines),
        text_box_style=TextBoxStyle(font=font, font_size=STAMP_FONT_SIZE),
        border_width=1,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer.pyhanko_signer(), stamp_style=style).sign_pdf(
        writer, output=out
    )
    return out.getvalue()


@dataclass(frozen=True)
class SignatureReport:
    """One signature of a PDF as the verification page shows it."""

    field_name: str
    signer: str
    organisation: str
    signed_at: datetime | None
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature checks
    trusted: bool  # the certificate chains to a trusted root
    covers_document: bool  # no change after this signature except later signatures
    serial: int

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.covers_document


def verify_pdf(pdf: bytes, trust_roots: list[bytes]) -> list[SignatureReport]:
    """Every signature of ``pdf``, checked against ``trust_roots`` (DER or PEM certificates)."""
    return outside_event_loop(_verify_pdf, pdf, trust_roots)


def _verify_pdf(pdf: bytes, trust_roots: list[bytes]) -> list[SignatureReport]:
    roots = []
    for data in trust_roots:
        cert = (
            x509.load_pem_x509_certificate(data)
            if data.lstrip().startswith(b"-----")
            else x509.load_der_x509_certificate(data)
        )
        roots.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        raise SigningError("Tệp không phải PDF hợp lệ.") from exc
    reports = []
    for sig in embedded:
        context = ValidationContext(
            trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
        )
        status = validate_pdf_signature(sig, context)
        cert = x509.load_der_x509_certificate(status.signing_cert.dump())
        info = certificate_info(cert)
        level = status.modification_level
        reports.append(
            SignatureReport(
                field_name=sig.field_name,
                signer=info.subject,
                organisation=info.organisation,
                signed_at=status.signer_reported_dt,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_document=status.docmdp_ok is not False
                and (level is None or level.name in ("NONE", "LTA_UPDATES", "FORM_FILLING")),
                serial=info.serial,
            )
        )
    return reports
