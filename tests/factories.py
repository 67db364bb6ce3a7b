"""Small builders for test data (no factory library: plain functions, explicit values)."""

from __future__ import annotations

from motcua.accounts.models import StaffRole, User
from motcua.core.text import fold
from motcua.units.models import Desk, Unit

PASSWORD = "mat-khau-thu-nghiem-1"


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
