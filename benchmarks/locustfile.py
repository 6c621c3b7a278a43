"""Locust user for benchmarks/load.py: GETs the given paths as a logged-in user, as fast as it can.

Configured by environment (load.py sets it): BENCH_PATHS (paths separated by "|"), BENCH_COOKIE (the
Cookie header of a logged-in session) and BENCH_OUTPUT (a JSON file for the exact response times:
Locust's own percentiles are rounded, too coarse for a bare view that answers in a few milliseconds).
Any answer other than 200 counts as an error; redirects are not followed, so an expired session or a
login redirect cannot pass as a fast page.
"""

import json
import os
import random
import time

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PATHS = [p for p in os.environ.get("BENCH_PATHS", "/bench/bare/").split("|") if p]
COOKIE = os.environ.get("BENCH_COOKIE", "")
OUTPUT = os.environ.get("BENCH_OUTPUT", "")

_times: dict[str, list[float]] = {}
_errors: dict[str, list[str]] = {}
_clock = {"start": None, "stop": None}


@events.test_start.add_listener
def _started(**_kwargs):
    _clock["start"] = time.perf_counter()


@events.test_stop.add_listener
def _stopped(**_kwargs):
    _clock["stop"] = time.perf_counter()


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs):
    _times.setdefault(name, []).append(response_time)
    if exception is not None:
        _errors.setdefault(name, []).append(str(exception)[:200])


@events.quitting.add_listener
def _write(**_kwargs):
    if not OUTPUT:
        return
    stop = _clock["stop"] or time.perf_counter()
    seconds = stop - (_clock["start"] or stop)
    with open(OUTPUT, "w", encoding="utf-8") as out:
        json.dump({"seconds": seconds, "times": _times, "errors": _errors}, out)


class PageUser(FastHttpUser):
    wait_time = constant(0)  # closed loop: each user sends its next request when the last one answered

    @task
    def get_page(self):
        path = random.choice(PATHS)
        headers = {"Cookie": COOKIE} if COOKIE else {}
        with self.client.get(path, name=path, headers=headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
