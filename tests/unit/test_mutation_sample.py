"""The kill rate of a sampled mutation run carries a Wilson interval (tests/tools/mutation.py --sample):
the figure put in a note must say how far the whole module's rate may lie from the sample's."""
import pytest

from tests.tools.mutation import wilson


@pytest.mark.parametrize("killed,tried,low,high", [
    (90, 100, 0.826, 0.945), (270, 300, 0.861, 0.929), (0, 10, 0.0, 0.278), (10, 10, 0.722, 1.0),
])
def test_the_interval_of_a_sampled_kill_rate(killed, tried, low, high):
    got = wilson(killed, tried)
    assert got == pytest.approx((low, high), abs=0.001)


def test_nothing_tried_says_nothing():
    assert wilson(0, 0) == (0.0, 1.0)
