import pytest

from motcua.demo.dossiers import generate_year
from motcua.dossiers.integrity import log_problems
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_a_year_of_demo_dossiers_is_consistent(staff):
    count = generate_year(staff.binh_thanh.desk, days=120, per_day=12)
    assert count > 800
    dossiers = Dossier.objects.all()
    assert dossiers.count() == count
    states = set(dossiers.values_list("state", flat=True))
    assert {"returned", "refused", "in_review"} <= states or {"returned", "refused"} <= states
    online = dossiers.filter(channel__in=["online", "online_assisted"]).count()
    assert online / count > 0.9
    ended = dossiers.exclude(ended_at=None).filter(procedure_version__duration__gt=0)
    assert ended.filter(timeliness="early").count() > ended.filter(timeliness="on_time").count()
    assert not dossiers.filter(code=None).exists()
    assert len(set(dossiers.values_list("code", flat=True))) == count
    assert log_problems() == []


def test_demo_returned_dossiers_carry_signed_results(staff):
    from motcua.accounts.models import User
    from motcua.demo.results import ensure_certificates, sign_recent_results
    from motcua.documents import signing
    from motcua.documents.certificates import trust_roots
    from motcua.documents.models import StoredFile

    generate_year(staff.binh_thanh.desk, days=30, per_day=6)
    leader = User.objects.get(username="lanhdao")
    ensure_certificates(staff.binh_thanh.desk, "mat-khau-mau")
    assert sign_recent_results(staff.binh_thanh.desk, "mat-khau-mau", limit=2) == 2
    sealed = StoredFile.objects.filter(stage="sealed").select_related("dossier")
    assert sealed.count() == 2
    for stored in sealed:
        reports = signing.verify_pdf(stored.content.read(), trust_roots())
        assert len(reports) == 2 and all(r.ok and r.trusted for r in reports)
        actions_done = list(stored.dossier.events.order_by("seq").values_list("action", flat=True))
        i = actions_done.index("sign_result")
        assert actions_done[i : i + 4] == ["sign_result", "approve", "seal_result", "issue"]
        assert stored.dossier.result_digitised
    from motcua.documents.models import SigningCertificate

    assert SigningCertificate.objects.filter(user=leader, active=True).exists()
    assert log_problems() == []
