"""766 indicator 1.4 (hồ sơ đồng bộ lên Cổng DVCQG) from the sync records: synced ÷ received,
per day and per unit, the dossiers not synced, and N/A when there is no sync data.

The sync records are written here by hand: which dossier the portal accepted is the test's
own choice, the expected figures worked out below."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.core.indicators import NO_DATA
from motcua.dossiers.models import DossierSync
from motcua.reports.indicators import indicators_for
from motcua.reports.queries import Scope, units_of
from motcua.reports.sync import sync_rate_by_day, unsynced_dossiers
from tests.reports import seed

MONDAY, TUESDAY = date(2024, 3, 4), date(2024, 3, 5)
MARCH = (date(2024, 3, 1), date(2024, 3, 31))
COMMUNE = Scope(("05605",))


def online(n: int) -> list[dict]:
    """``n`` online dossiers in review (seed.build puts open ones on the period's last day)."""
    return [
        {"channel": "online", "outcome": "open", "digitisable": True, "digitised": False}
        for _ in range(n)
    ]


def synced(dossiers, accepted: bool = True) -> None:
    DossierSync.objects.bulk_create(
        DossierSync(
            dossier=d,
            unit_id=d.unit_id,
            portal_code=d.code,
            received_at=d.received_at,
            last_seq=2,
            first_synced_at=d.received_at + timedelta(minutes=1) if accepted else None,
            last_synced_at=d.received_at + timedelta(minutes=1) if accepted else None,
            pending=0 if accepted else 2,
        )
        for d in dossiers
    )


@pytest.fixture
def march(world, catalogue):
    """Bình Thành: 5 dossiers on Monday 04/03, all synced; 3 on Tuesday 05/03, 2 synced and
    one the portal has not accepted. Phú Đình: 2 on Monday, with no sync record at all."""
    monday = seed.build("05605", online(5), MONDAY, MONDAY, seed=1)
    tuesday = seed.build("05605", online(3), TUESDAY, TUESDAY, seed=2)
    neighbour = seed.build("05611", online(2), MONDAY, MONDAY, seed=3)
    synced(monday + tuesday[:2])
    synced(tuesday[2:], accepted=False)
    world.unsynced = [tuesday[2].code, *sorted(d.code for d in neighbour)]
    return world


def test_seven_of_eight_synced_is_87_50_percent(march):
    got = indicators_for(COMMUNE, *MARCH).get("1.4")
    assert (got.numerator, got.denominator) == (7, 8)
    assert got.value == Decimal("87.50")
    assert got.points == Decimal("5.25")  # 87,5 × 6 ÷ 100
    # 3.3 is multiplied by it: 8 online of 8 × 7/8
    assert indicators_for(COMMUNE, *MARCH).get("3.3").value == Decimal("87.50")


def test_per_day_and_per_unit(march):
    commune = [
        (d.day, d.unit_id, d.received, d.synced, d.share) for d in sync_rate_by_day(COMMUNE, *MARCH)
    ]
    assert commune == [
        (MONDAY, "05605", 5, 5, Decimal("100.00")),
        (TUESDAY, "05605", 3, 2, Decimal("66.67")),
    ]
    province = Scope(units_of("19"))
    rows = [(d.day, d.unit_id, d.received, d.synced) for d in sync_rate_by_day(province, *MARCH)]
    assert rows == [
        (MONDAY, "05605", 5, 5),
        (MONDAY, "05611", 2, 0),
        (TUESDAY, "05605", 3, 2),
    ]
    assert indicators_for(province, *MARCH).get("1.4").value == Decimal(70)  # 7 of 10


def test_the_unsynced_dossiers(march):
    assert [d.code for d in unsynced_dossiers(COMMUNE, *MARCH)] == march.unsynced[:1]
    province = sorted(d.code for d in unsynced_dossiers(Scope(units_of("19")), *MARCH))
    assert province == sorted(march.unsynced)


def test_no_sync_data_with_the_connector_off_is_not_applicable(world, catalogue, settings):
    settings.MOTCUA_DVCQG_URL = ""
    dossiers = seed.build("05605", online(4), MONDAY, MONDAY, seed=4)
    assert indicators_for(COMMUNE, *MARCH).get("1.4").na == NO_DATA
    # records the outbox wrote but the portal never accepted say nothing either
    synced(dossiers, accepted=False)
    got = indicators_for(COMMUNE, *MARCH)
    assert got.get("1.4").na == NO_DATA and got.get("3.3").value == Decimal(100)


def test_with_the_connector_on_nothing_synced_is_a_real_zero(world, catalogue, settings):
    settings.MOTCUA_DVCQG_URL = "http://127.0.0.1:9"
    seed.build("05605", online(4), MONDAY, MONDAY, seed=4)
    got = indicators_for(COMMUNE, *MARCH).get("1.4")
    assert (got.value, got.numerator, got.denominator) == (Decimal(0), 0, 4)


def test_the_indicators_page_shows_the_days_and_links_the_unsynced(client, march):
    client.force_login(march.head)
    page = client.get("/thong-ke/?don_vi=05605&tu=2024-03-01&den=2024-03-31").content.decode()
    assert "Đồng bộ hồ sơ lên Cổng DVCQG theo ngày (chỉ số 1.4)" in page
    assert "87,50 %" in page
    assert "<td>05/03/2024</td><td>3</td><td>2</td><td>66,67 %</td>" in page
    assert "<td>04/03/2024</td><td>5</td><td>5</td><td>100,00 %</td>" in page
    assert page.index("05/03/2024") < page.index("04/03/2024")  # the latest day first
    link = (
        "/thong-ke/ho-so/?don_vi=05605&amp;tu=2024-03-01&amp;den=2024-03-31&amp;chi_so=chua_dong_bo"
    )
    assert f'<a href="{link}">1 hồ sơ chưa đồng bộ</a>' in page
    drill = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Hồ sơ chưa đồng bộ lên Cổng DVCQG: 1 hồ sơ" in drill
    assert march.unsynced[0] in drill and drill.count("T.05605-") == 1


def test_without_sync_data_the_page_shows_no_sync_table(client, world, catalogue, settings):
    settings.MOTCUA_DVCQG_URL = ""
    seed.build("05605", online(2), MONDAY, MONDAY, seed=5)
    client.force_login(world.head)
    page = client.get("/thong-ke/?don_vi=05605&tu=2024-03-01&den=2024-03-31").content.decode()
    assert "Bộ chỉ số 766" in page and "theo ngày (chỉ số 1.4)" not in page


def test_the_province_page_names_each_commune_of_a_day(client, march):
    client.force_login(march.overseer)
    page = client.get("/thong-ke/?don_vi=19&tu=2024-03-01&den=2024-03-31").content.decode()
    section = page[page.index("theo ngày (chỉ số 1.4)") :]
    assert "3 hồ sơ chưa đồng bộ" in section
    assert section.index("<td>04/03/2024</td><td>Xã Bình Thành</td><td>5</td><td>5</td>") < (
        section.index("<td>04/03/2024</td><td>Xã Phú Đình</td><td>2</td><td>0</td><td>0,00 %</td>")
    )
