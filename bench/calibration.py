"""This machine's speed of the moment, for reading a benchmark's figures against it: a shared
VM's CPU runs a fixed pure-Python loop up to 2× slower from one minute to the next."""

import time


def cpu_calibration_ms() -> float:
    """The median time of a fixed pure-Python loop, in milliseconds."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for n in range(1_000_000):
            total += n * n
        times.append((time.perf_counter() - start) * 1000)
    return round(sorted(times)[2], 1)
