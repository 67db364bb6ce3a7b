import pytest
from django.core.management import CommandError, call_command

from motcua.demo import devca
from motcua.documents.models import TrustedAuthority

pytestmark = pytest.mark.django_db


def test_trust_ca_loads_the_certificate_and_its_crl(tmp_path, capsys):
    ca = devca.make_ca()
    revoked = devca.issue(ca, "Bị thu hồi", "UBND")
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    (tmp_path / "ca.crl").write_bytes(devca.make_crl(ca, [revoked.certificate.serial_number]))
    call_command("trust-ca", str(tmp_path / "ca.pem"), name="CA thử", crl=str(tmp_path / "ca.crl"))
    assert "1 chứng thư bị thu hồi" in capsys.readouterr().out
    authority = TrustedAuthority.objects.get()
    assert authority.revoked_serials == [format(revoked.certificate.serial_number, "x")]


def test_crl_of_another_ca_is_refused(tmp_path):
    ca, other = devca.make_ca(), devca.make_ca("Khác")
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    (tmp_path / "x.crl").write_bytes(devca.make_crl(other, []))
    with pytest.raises(CommandError, match="không do tổ chức chứng thực này ký"):
        call_command("trust-ca", str(tmp_path / "ca.pem"), name="CA", crl=str(tmp_path / "x.crl"))
    assert not TrustedAuthority.objects.exists()
