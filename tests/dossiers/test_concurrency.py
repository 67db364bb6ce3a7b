"""50 parallel intakes at one desk: 50 distinct codes, no error, no gap."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_parallel_intakes_get_unique_codes(staff):
    desk = staff.binh_thanh.desk

    def one(i: int) -> str:
        try:
            data = intake()
            data.applicant.name = "Người nộp " + "ABCDEFGHIJ"[i % 10] + "KLMNO"[i // 10]
            draft = actions.create_draft(staff.specialist, desk, data)
            return actions.perform(draft.pk, staff.specialist, "receive").code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(one, range(50)))
    assert len(set(codes)) == 50
    sequences = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
    assert sequences == list(range(1, 51))
    assert Dossier.objects.filter(code__isnull=False).count() == 50
