"""Small builders for test data (no factory library: plain functions, explicit values)."""

from __future__ import annotations

from motcua.accounts.models import Role, StaffRole, User
from motcua.catalog.models import Field
from motcua.core.text import fold
from motcua.documents.certificates import register_certificate, trust_authority
from motcua.units.models import Desk, Unit

PASSWORD = "mat-khau-thu-nghiem-1"
LEADER_PASSPHRASE = "ky-so"  # of the leader's certificate registered by signing_roles()


def unit(code: str, name: str, province: Unit | None = None) -> Unit:
    level = Unit.Level.COMMUNE if province else Unit.Level.PROVINCE
    obj, _ = Unit.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "division_type": "xã" if province else "tỉnh",
            "level": level,
            "province": province,
            "name_folded": fold(name),
        },
    )
    return obj


def desk(for_unit: Unit, electronic_code: str | None = None) -> Desk:
    obj, _ = Desk.objects.get_or_create(
        unit=for_unit,
        defaults={
            "name": f"Bộ phận Một cửa {for_unit.name}",
            "electronic_code": electronic_code or f"T.{for_unit.code}",
        },
    )
    return obj


def user(username: str, at: Unit | None, *roles: str, **extra) -> User:
    obj = User.objects.create_user(
        username=username,
        password=PASSWORD,
        unit=at,
        full_name=extra.pop("full_name", username),
        **extra,
    )
    for role in roles:
        StaffRole.objects.create(user=obj, role=role)
    return obj


def pdf_bytes(text: str = "Tờ khai") -> bytes:
    """A real one-page PDF (WeasyPrint), as a scanner or a phone app would upload."""
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def encrypted_pdf_bytes() -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_bytes(width: int = 60, height: int = 40) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 150)).save(out, format="JPEG")
    return out.getvalue()


def signing_roles(w, pki):
    """The demo's roles of a result at Bình Thành (``w``: the world fixture; ``pki``: the
    test CA's certificates): the leader ``lanhdao`` with a signing certificate (passphrase
    LEADER_PASSPHRASE), the clerk ``vanthu`` with the unit's seal, and the civil-status
    specialist ``tuphap1`` (Hộ tịch, Chứng thực). The procedures' fields must be loaded."""
    w.leader = user("lanhdao", w.binh_thanh, Role.LEADER, full_name="Hoàng Văn Thành")
    w.clerk = user("vanthu", w.binh_thanh, Role.CLERK, full_name="Lường Thị Mai")
    w.civil = user("tuphap1", w.binh_thanh, Role.SPECIALIST, full_name="Ma Văn Hùng")
    w.civil.fields.add(*Field.objects.filter(name__in=["Hộ tịch", "Chứng thực"]))
    trust_authority("CA thử nghiệm", pki["ca"].pem())
    register_certificate(
        unit=w.binh_thanh,
        user=w.leader,
        data=pki["leader"].pkcs12(LEADER_PASSPHRASE),
        passphrase=LEADER_PASSPHRASE,
    )
    register_certificate(unit=w.binh_thanh, data=pki["seal"].pkcs12("dau"), passphrase="dau")
    return w


def set_fields(dossier, **fields):
    """Set a scene (a dossier overdue, assigned …) by writing its row directly, then number and
    seal its unit's log again so the audit log still verifies after the test (docs/audit.md)."""
    from motcua.dossiers.history import reseal_unit
    from motcua.dossiers.models import Dossier

    Dossier.objects.filter(pk=dossier.pk).update(**fields)
    reseal_unit(dossier.unit_id)


def qr_codes_on_slip(dossier, folder) -> list[str]:
    """The QR codes of the dossier's receipt slip (Mẫu 01), as a phone reads them: the PDF
    rendered at 200 dpi by poppler, the codes read by zxing-cpp (neither is our code)."""
    import subprocess

    import zxingcpp
    from PIL import Image

    from motcua.documents import slips

    pdf = folder / "giay-hen.pdf"
    pdf.write_bytes(slips.receipt_slip_pdf(dossier))
    png = folder / "giay-hen"
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf), str(png)], check=True)
    image = Image.open(f"{png}.png")
    return [c.text for c in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
