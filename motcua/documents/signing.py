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
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font import opentype
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import DEFAULT_TEXT_BOX_MARGIN, TextBox, TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko.stamp.base import BaseStamp, BaseStampStyle
from pyhanko_certvalidator import ValidationContext

from motcua.core.errors import DocumentError
from motcua.core.localtime import LOCAL_TZ

STAMP_FONT_SIZE = 10
# The blue of a signature's image (Nghị định 30/2020, Phụ lục I: chữ ký số màu xanh).
INK = (0.05, 0.2, 0.55)
# The stamps are drawn in the document's typeface: Liberation Serif (Times New Roman's metrics,
# Debian's fonts-liberation2), else DejaVu where it is missing. Per face: (fontconfig pattern,
# fallback file).
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FACES = {
    "regular": ("Liberation Serif", DEJAVU / "DejaVuSerif.ttf"),
    "italic": ("Liberation Serif:italic", DEJAVU / "DejaVuSerif-Italic.ttf"),
    "bold": ("Liberation Serif:bold", DEJAVU / "DejaVuSerif-Bold.ttf"),
}
LAST_RESORT_FONT = DEJAVU / "DejaVuSans.ttf"


class SigningError(DocumentError, ValueError):
    """A signature that cannot be made, or a certificate that cannot be used (Vietnamese)."""

    default_code = "invalid_certificate"


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
            f"Chứng thư số chưa có hiệu lực (từ {info.not_before.astimezone(LOCAL_TZ):%d/%m/%Y})."
        )
    if now > info.not_after:
        raise SigningError(
            f"Chứng thư số đã hết hạn ngày {info.not_after.astimezone(LOCAL_TZ):%d/%m/%Y}; "
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


def source_font(face: str = "regular") -> Path:
    """The TTF of ``face`` (regular, italic, bold): Liberation Serif, else DejaVu."""
    pattern, fallback = FONT_FACES[face]
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        family, _, file = found.partition("\t")
        if "Liberation Serif" in family and file.endswith(".ttf") and Path(file).exists():
            return Path(file)
    except (OSError, subprocess.SubprocessError):
        pass
    return fallback if fallback.exists() else LAST_RESORT_FONT


def stamp_font(cache_dir: Path, face: str = "regular") -> Path:
    """The stamp's font (:func:`source_font`) rescaled to 1000 units per em, as pyHanko's stamp
    layout assumes.

    With the fonts' native 2048 units the letters of a visible stamp come out spaced twice too
    wide (pyHanko issue #733); the rescaled copy is made once per face and cached.
    """
    cached = sorted(cache_dir.glob(f"stamp-{face}-*-1000upem.ttf"))
    if cached:
        return cached[0]
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = source_font(face)
    target = cache_dir / f"stamp-{face}-{source.stem}-1000upem.ttf"
    cache_dir.mkdir(parents=True, exist_ok=True)
    font = TTFont(source)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(partial)
    partial.replace(target)
    return target


# A4 in PDF points, and the margins of Nghị định 30/2020/NĐ-CP (Phụ lục I) every stamp stays in:
# left 30 mm, right 15 mm, top and bottom 20 mm.
MM = 72 / 25.4
A4 = (595.28, 841.89)
TEXT_AREA = (30 * MM, 20 * MM, A4[0] - 15 * MM, A4[1] - 20 * MM)


@dataclass(frozen=True)
class Placement:
    """Where the visible stamp goes: page index (-1 = last) and box in PDF points
    (x1, y1, x2, y2 from the bottom left); by default bottom right, inside the margins."""

    page: int = -1
    box: tuple[float, float, float, float] = (330, 60, 550, 130)


@dataclass(frozen=True)
class StampText:
    """One line of a stamp drawn over the page (:func:`sign_pdf`'s ``overlay``): centred on
    ``x``, its baseline at ``y``, both in points from the box's bottom left."""

    text: str
    x: float
    y: float
    size: int = STAMP_FONT_SIZE
    face: str = "regular"  # regular, italic, bold
    colour: tuple[float, float, float] = (0, 0, 0)


@dataclass(frozen=True)
class OverlayStampStyle(BaseStampStyle):
    """A stamp that fills its box with white and writes its lines where the page had dotted
    slots (the number and date a clerk fills in at issue)."""

    lines: tuple[StampText, ...] = ()
    font_dir: Path = Path(".")
    border_width: int = 0

    def create_stamp(self, writer, box, text_params) -> OverlayStamp:
        return OverlayStamp(writer, self, box)


class _SharedEngine:
    """One font engine (one embedded subset) for every line of a stamp in the same face."""

    def __init__(self, engine):
        self.engine = engine

    def create_font_engine(self, writer, obj_stream=None):
        return self.engine


class OverlayStamp(BaseStamp):
    def _render_inner_content(self):
        box = self.box
        commands = [b"q 1 g 0 0 %g %g re f Q" % (box.width, box.height)]
        engines: dict[tuple[str, int], tuple[str, _SharedEngine]] = {}
        for line in self.style.lines:
            key = (line.face, line.size)
            if key not in engines:
                factory = opentype.GlyphAccumulatorFactory(
                    str(stamp_font(self.style.font_dir, line.face)), font_size=line.size
                )
                engine = _SharedEngine(factory.create_font_engine(self.writer))
                engines[key] = (f"F{len(engines) + 1}", engine)
            name, engine = engines[key]
            text = TextBox(
                TextBoxStyle(font=engine, font_size=line.size, text_color=line.colour),
                writer=self.writer,
                resources=self.resources,
                font_name=name,
            )
            text.content = line.text
            drawn = text.render()
            # The natural box has a margin of DEFAULT_TEXT_BOX_MARGIN around the text, and a
            # single line's baseline sits on the bottom margin.
            left = line.x - text.box.width / 2
            bottom = line.y - DEFAULT_TEXT_BOX_MARGIN
            commands.append(b"q 1 0 0 1 %g %g cm %s Q" % (left, bottom, drawn))
        return commands


def signature_field_box(pdf: bytes, field_name: str) -> tuple[float, float, float, float] | None:
    """The box of ``pdf``'s empty signature field ``field_name`` (a template's placeholder)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    for name, value, ref in fields.enumerate_sig_fields(reader, filled_status=False):
        if name == field_name and value is None:
            rect = ref.get_object().get("/Rect")
            return tuple(float(v) for v in rect) if rect is not None else None
    return None


def with_signature_fields(pdf: bytes, boxes: dict[str, tuple[int, tuple]]) -> bytes:
    """``pdf`` with empty signature fields, ``{name: (page index, box)}``: where a template
    wants each signature's stamp; :func:`sign_pdf` fills them."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for name, (page, box) in boxes.items():
        fields.append_signature_field(writer, fields.SigFieldSpec(name, on_page=page, box=box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
    overlay: list[StampText] | None = None,
    reason: str = "",
    location: str = "",
) -> bytes:
    """Add a visible PAdES signature to ``pdf`` as an incremental update; return the bytes.

    The stamp goes into the empty signature field ``field_name`` when the PDF has one (its
    template placed it, :func:`with_signature_fields`), else at ``placement``. It is a framed
    box of ``stamp_lines``, or the ``overlay`` lines written on white over the field.
    Earlier signatures stay valid: each signature is appended, never rewritten.
    """
    try:
        reader_check = PdfFileReader(io.BytesIO(pdf))
        page_count = int(reader_check.root["/Pages"]["/Count"])
    except Exception as exc:  # pyHanko raises several kinds for a broken file
        raise SigningError("Tệp kết quả không phải PDF hợp lệ; không thể ký.") from exc
    page = placement.page if placement.page >= 0 else page_count + placement.page
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if signature_field_box(pdf, field_name) is None:
        fields.append_signature_field(
            writer, fields.SigFieldSpec(field_name, on_page=page, box=placement.box)
        )
    if overlay:
        style = OverlayStampStyle(lines=tuple(overlay), font_dir=font_dir)
    else:
        font = opentype.GlyphAccumulatorFactory(
            str(stamp_font(font_dir)), font_size=STAMP_FONT_SIZE
        )
        style = TextStampStyle(
            stamp_text="\n".join(stamp_lines),
            text_box_style=TextBoxStyle(
                font=font, font_size=STAMP_FONT_SIZE, leading=STAMP_FONT_SIZE + 3, text_color=INK
            ),
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID
            ),
            border_width=1,
            border_color=INK,
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


def signatures_in(pdf: bytes) -> int:
    """How many embedded signatures whose bytes are intact ``pdf`` carries (trust not
    checked: a national system's CA need not be one of ours)."""
    try:
        return sum(1 for report in verify_pdf(pdf, []) if report.intact)
    except SigningError:
        return 0


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
