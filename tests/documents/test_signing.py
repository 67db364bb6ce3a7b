"""PAdES signatures: two in one PDF, checked by pyHanko and independently by poppler's pdfsig."""

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from motcua.demo import devca
from motcua.documents import signing
from tests.factories import pdf_bytes

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")


@pytest.fixture(scope="module")
def ca():
    return devca.make_ca()


@pytest.fixture(scope="module")
def signed_twice(ca, tmp_path_factory):
    fonts = tmp_path_factory.mktemp("fonts")
    leader = devca.issue(ca, "Hoàng Văn Thành", "UBND xã Bình Thành")
    seal = devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành")
    pdf = pdf_bytes("Giấy xác nhận tình trạng hôn nhân")
    first = signing.sign_pdf(
        pdf,
        signing.Pkcs12Signer(leader.pkcs12("lanh-dao", [ca.certificate]), "lanh-dao"),
        field_name="LanhDaoKy",
        stamp_lines=["Ký bởi: Hoàng Văn Thành", "Chủ tịch UBND xã Bình Thành"],
        font_dir=fonts,
    )
    both = signing.sign_pdf(
        first,
        signing.Pkcs12Signer(seal.pkcs12("con-dau"), "con-dau"),
        field_name="VanThuDongDau",
        stamp_lines=["Số: 125/GXN-UBND", "Ngày ban hành: 25/11/2026"],
        font_dir=fonts,
        placement=signing.Placement(box=(40, 60, 290, 130)),
    )
    return both


def nss_trusting(ca, directory: Path) -> Path:
    """An NSS database that trusts the development CA, for pdfsig."""
    (directory / "ca.pem").write_bytes(ca.pem())
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-n",
            "ca",
            "-t",
            "CT,C,C",
            "-i",
            str(directory / "ca.pem"),
            "-d",
            f"sql:{directory}",
        ],
        check=True,
    )
    return directory


def pdfsig(pdf: bytes, tmp_path: Path, nss: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True
    )
    return done.stdout + done.stderr


def test_two_signatures_valid_in_pyhanko_and_pdfsig(ca, signed_twice, tmp_path):
    reports = signing.verify_pdf(signed_twice, [ca.pem()])
    assert [r.field_name for r in reports] == ["LanhDaoKy", "VanThuDongDau"]
    assert all(r.intact and r.valid and r.trusted and r.covers_document for r in reports)
    assert reports[0].signer == "Hoàng Văn Thành"
    out = pdfsig(signed_twice, tmp_path, nss_trusting(ca, tmp_path))
    assert out.count("Signature Validation: Signature is Valid.") == 2
    assert out.count("Certificate Validation: Certificate is Trusted.") == 2


def test_stamps_carry_vietnamese_text(signed_twice, tmp_path):
    (tmp_path / "doc.pdf").write_bytes(signed_twice)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "doc.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Ký bởi: Hoàng Văn Thành" in text
    assert "Số: 125/GXN-UBND" in text


def test_a_changed_byte_is_detected_by_both(ca, signed_twice, tmp_path):
    broken = bytearray(signed_twice)
    at = signed_twice.index(b"stream") + 40  # inside the first page's content
    broken[at] ^= 0x01
    reports = signing.verify_pdf(bytes(broken), [ca.pem()])
    assert reports and not any(r.intact for r in reports)
    out = pdfsig(bytes(broken), tmp_path, nss_trusting(ca, tmp_path))
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out


def test_untrusted_root_is_reported(signed_twice):
    other = devca.make_ca("CA khác")
    reports = signing.verify_pdf(signed_twice, [other.pem()])
    assert [r.field_name for r in reports] == ["LanhDaoKy", "VanThuDongDau"]
    assert all(r.intact and not r.trusted for r in reports)


def test_expired_certificate_is_refused(ca):
    old = devca.issue(
        ca, "Người ký cũ", "UBND", not_before=datetime.now(UTC) - timedelta(days=800), days=365
    )
    with pytest.raises(signing.SigningError, match="đã hết hạn"):
        signing.Pkcs12Signer(old.pkcs12("x"), "x")


def test_revoked_certificate_is_refused(ca):
    revoked = devca.issue(ca, "Người bị thu hồi", "UBND")
    serial = revoked.certificate.serial_number
    with pytest.raises(signing.SigningError, match="thu hồi"):
        signing.Pkcs12Signer(revoked.pkcs12("x"), "x", revoked_serials=frozenset({serial}))


def test_wrong_passphrase_is_refused(ca):
    person = devca.issue(ca, "Nguyễn Văn A", "UBND")
    with pytest.raises(signing.SigningError, match="sai mật khẩu"):
        signing.Pkcs12Signer(person.pkcs12("dung"), "sai")


def test_not_a_pdf_cannot_be_signed(ca, tmp_path):
    person = devca.issue(ca, "Nguyễn Văn A", "UBND")
    with pytest.raises(signing.SigningError, match="không phải PDF"):
        signing.sign_pdf(
            b"MZ\x90\x00 not a pdf",
            signing.Pkcs12Signer(person.pkcs12("x"), "x"),
            field_name="X",
            stamp_lines=["x"],
            font_dir=tmp_path,
        )
