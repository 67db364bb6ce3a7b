"""The FAKE portal of the demo (`motcua dvcqg fake-portal --catalogue-from-db`) publishes our own
catalogue in the names the catalogue pull reads: pulled back, nothing differs."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Procedure
from motcua.dvcqg.catalogue import pull
from motcua.dvcqg.client import Connector
from motcua.dvcqg.management.commands.dvcqg import fake_catalogue

pytestmark = pytest.mark.django_db


def test_our_catalogue_served_by_the_fake_reads_back_without_a_difference(catalogue, fake_portal):
    published = fake_catalogue()
    assert len(published) == Procedure.objects.filter(is_active=True).count() > 0
    fake_portal.control("catalogue", procedures=published)
    pulled = pull(Connector())
    assert pulled.comparison.changed_codes() in ([], set(), ())
    assert pulled.comparison.matched == len(published)
