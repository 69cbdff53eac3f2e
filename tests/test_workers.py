"""The worker pool: when the stage fails or is interrupted, the tasks not yet started are dropped."""

from __future__ import annotations

import time

import pytest

from pipeline.workers import process_pool


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_a_failure_cancels_the_tasks_not_started(failure):
    """A plain `with ProcessPoolExecutor()` would run all 40 before the error got out."""
    with pytest.raises(failure):
        with process_pool(1) as pool:
            futures = [pool.submit(time.sleep, 0.05) for _ in range(40)]
            futures[0].result()
            raise failure
    assert all(f.done() for f in futures)
    assert sum(f.cancelled() for f in futures) > 30  # only the few already handed to the worker ran


def test_tasks_run_and_give_their_results():
    with process_pool(2) as pool:
        assert [f.result() for f in [pool.submit(divmod, n, 7) for n in range(10)]] == [divmod(n, 7) for n in range(10)]
