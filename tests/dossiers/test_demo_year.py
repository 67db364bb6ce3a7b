import pytest

from motcua.demo_dossiers import generate_year
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import broken_chains

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
    assert broken_chains() == []
