"""`make audit` emulates the same phone on any host: its CPU slowdown follows Lighthouse's
calculator (docs/performance.md, Session 9), so a slow host is not scored as a slow page."""
from __future__ import annotations

import pytest

from audit_lighthouse import cpu_multiplier


@pytest.mark.parametrize("index, multiplier", [
    (150, 1.0), (800, 2.0), (1300, 3.0), (1533, 4.0), (2000, 6.0),
    (475, 1.5), (1050, 2.5),
])
def test_the_slowdown_is_lighthouses_calculator(index, multiplier):
    assert cpu_multiplier(index) == pytest.approx(multiplier, abs=0.01)


def test_a_host_slower_than_the_phone_is_not_sped_up():
    assert cpu_multiplier(40) == 1.0


def test_a_faster_host_is_slowed_down_more():
    indexes = [100, 400, 799, 800, 1299, 1300, 1600, 2400]
    slowdowns = [cpu_multiplier(i) for i in indexes]
    assert slowdowns == sorted(slowdowns) and slowdowns[-1] > 4
