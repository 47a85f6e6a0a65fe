"""Kit and device readiness at the day boundaries, certificate standing, and the templates."""

from __future__ import annotations

from datetime import date

import pytest

from health.errors import Invalid
from health.selfcare.equipment import (
    Stock,
    add_months,
    check_stock,
    device_status,
    kit_status,
    templates,
)
from health.selfcare.training import expires_on, standing

TODAY = date(2026, 6, 15)
STATION = templates().template("station")


def _full() -> list[Stock]:
    return [
        Stock(i.code, "B" if i.expires else "", i.quantity, date(2027, 1, 1) if i.expires else None)
        for i in STATION.items
    ]


def test_a_full_kit_in_date_is_ready() -> None:
    status = kit_status(STATION, _full(), TODAY)
    assert status.ready and not status.expiring


@pytest.mark.parametrize(
    ("expiry", "expired", "expiring_30"),
    [
        (date(2026, 6, 14), True, False),  # expired yesterday
        (date(2026, 6, 15), False, True),  # usable through its expiry date
        (date(2026, 7, 15), False, True),  # 30 days ahead: inside the horizon
        (date(2026, 7, 16), False, False),
    ],
)
def test_expiry_boundaries(expiry: date, expired: bool, expiring_30: bool) -> None:
    stock = [
        s if s.item != "aspirin_100mg" else Stock(s.item, "X", s.quantity, expiry) for s in _full()
    ]
    status = kit_status(STATION, stock, TODAY, within=30)
    assert (bool(status.expired), bool(status.expiring)) == (expired, expiring_30)
    # Expired stock does not count towards the quantity: the kit is then also incomplete.
    assert status.complete is not expired


def test_expired_stock_beside_fresh_stock_still_makes_the_kit_not_in_date() -> None:
    stock = [*_full(), Stock("aspirin_100mg", "OLD", 1, date(2026, 1, 1))]
    status = kit_status(STATION, stock, TODAY)
    assert status.complete and not status.in_date and not status.ready


def test_restock_rows_are_checked_against_the_template() -> None:
    with pytest.raises(Invalid, match="not in this kit's template"):
        check_stock(STATION, [{"item": "defibrillator", "quantity": 1}])
    with pytest.raises(Invalid, match="needs a batch and an expiry date"):
        check_stock(STATION, [{"item": "aspirin_100mg", "quantity": 1}])
    with pytest.raises(Invalid, match="does not expire"):
        check_stock(STATION, [{"item": "gloves", "quantity": 1, "expires_on": TODAY}])


@pytest.mark.parametrize(
    ("last", "calibrated"),
    [
        (date(2025, 6, 15), True),  # jjg_692_2010: 12 months, due on the day itself
        (date(2025, 6, 14), False),
        (None, False),  # never calibrated
    ],
)
def test_device_calibration_boundaries(last: date | None, calibrated: bool) -> None:
    spec = templates().device("bp_monitor")
    assert device_status(spec, last, TODAY).calibrated is calibrated


def test_months_end_on_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert expires_on(date(2024, 10, 1), 24) == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("expiry", "want"),
    [
        (None, "untrained"),
        (date(2026, 6, 14), "expired"),
        (date(2026, 6, 15), "expiring"),
        (date(2026, 9, 13), "expiring"),  # 90 days ahead
        (date(2026, 9, 14), "current"),
    ],
)
def test_certificate_standing(expiry: date | None, want: str) -> None:
    assert standing(expiry, TODAY, 90) == want


def test_every_template_item_and_device_cites_a_defined_source() -> None:
    deck = templates()
    for template in deck.templates.values():
        assert all(deck.sources[i.source] for i in template.items)
    assert all(deck.sources[d.source] for d in deck.devices.values())
