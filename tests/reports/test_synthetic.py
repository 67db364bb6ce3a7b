"""The benchmark's generator (bench/synthetic.py): the asked numbers, realistic shares, and
statistics cells that agree with the dossiers."""

from __future__ import annotations

from datetime import date

import pytest

from bench import synthetic
from motcua.dossiers.models import Dossier
from motcua.reports.cells import verify
from motcua.reports.queries import Scope, positions_from_cells, positions_from_dossiers

# synthetic dossiers (bench/synthetic.py) have no history: nothing to verify after
pytestmark = pytest.mark.unsealed

PER_COMMUNE = 1500


@pytest.fixture
def generated(world):
    from motcua.catalog.actions import import_procedures_file
    from motcua.demo.load import CATALOGUE_FILE
    from motcua.units.models import Desk

    import_procedures_file(CATALOGUE_FILE)
    desks = list(Desk.objects.filter(unit__province_id="19").order_by("unit_id"))
    done = synthetic.generate(desks, PER_COMMUNE, 2025, seed=7, progress=None)
    return done, tuple(d.unit_id for d in desks)


def test_makes_the_asked_numbers_within_the_year(generated):
    done, codes = generated
    assert done.dossiers == len(codes) * PER_COMMUNE == 2 * PER_COMMUNE
    for code in codes:
        dossiers = Dossier.objects.filter(unit_id=code)
        assert dossiers.count() == PER_COMMUNE
        assert not dossiers.filter(received_at__year__lt=2025).exists()
        assert not dossiers.filter(received_at__gt=synthetic.year_end(2025)).exists()
    assert Dossier.objects.values("code").distinct().count() == done.dossiers


def test_shares_are_realistic(generated):
    _, codes = generated
    shares = synthetic.shares(codes)
    channel = shares["channel"]
    assert channel["online"] + channel["online_assisted"] > 85
    assert 3 < channel["direct"] < 15
    assert 0 < channel.get("post", 0) < 3
    fields = shares["procedure_version__field__name"]
    assert fields["Hộ tịch"] + fields["Chứng thực"] > 55
    timeliness = shares["timeliness"]
    assert 82 < timeliness["early"] < 93
    assert 6 < timeliness["on_time"] < 16
    assert timeliness.get("late", 0) < 2
    states = shares["state"]
    in_progress = sum(states.get(s, 0) for s in ("in_review", "awaiting_approval"))
    assert 0 < in_progress < 2.5
    assert states["refused"] > 0 and states["withdrawn"] > 0
    assert 92 < shares["components_digitised"]["true"] < 98
    assert 92 < shares["result_digitised"]["true"] < 98
    assert 35 < shares["reused_stored_document"]["true"] < 45


def test_cells_agree_with_the_dossiers(generated):
    _, codes = generated
    assert verify(codes) == []
    for start, end in (
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 6, 1), date(2025, 6, 30)),
    ):
        scope = Scope(codes)
        assert positions_from_cells(scope, start, end) == positions_from_dossiers(scope, start, end)
