"""locust users for the load test (tests/bench/test_load.py): the SPA's request mix against the production server.

Run by the test as ``python tests/bench/locustfile.py --host ... --seed seed.json --users 50 --seconds 120
--out result.json [--saturate]`` (locust's Environment API, one process): users spawn, the stats are reset
once all of them run (the figures are the sustained part), and after ``--seconds`` a JSON summary is
written: requests/s, p50/p99 of everything and of the ``read:`` calls, per request name, and the first
errors. ``--saturate`` drops every pause (think times, typing, the 10 s heartbeat and 2.5 s poll intervals).
``locust -f tests/bench/locustfile.py --host ...`` works too (set SEEN_LOAD_SEED to the seed file).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, task
from locust.env import Environment
from locust.log import setup_logging
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.bench import load_support as mix

SEED: dict = {}
STALE = "retried: keep-alive connection closed by the server"
_next_user = itertools.count()


def seed() -> dict:
    if not SEED:
        SEED.update(mix.load_seed(os.environ["SEEN_LOAD_SEED"]))
    return SEED


class SeenUser(FastHttpUser):
    """One signed-in person using the SPA: a page visit, a pause, the next visit."""

    wait_time = between(2, 6)
    think = True

    def on_start(self) -> None:
        users = seed()["users"]
        self.account = users[next(_next_user) % len(users)]
        self.rng = random.Random()  # noqa: S311 - picks pages, nothing secret
        self.auth = {"Authorization": f"Bearer {self.account['token']}", "Accept": "application/json"}

    @task
    def page(self) -> None:
        for pause, call in mix.visit(mix.pick(self.rng), self.rng, self.account, seed()["titles"]):
            if self.think and pause:
                gevent.sleep(pause)
            self.send(call)

    def send(self, call: mix.Call, retry: bool = True) -> None:
        """One request, checked. Like a browser, a request whose reused keep-alive connection the server had
        closed is sent again once on a new one (the attempt is kept apart, as ``retried: ...``)."""
        name, method, path, body = call
        with self.client.request(method, path, name=name, headers=self.auth, json=body,
                                 catch_response=True) as response:
            if retry and response.status_code == 0 and "connection closed" in str(response.error).lower():
                response.request_meta["name"] = STALE
                response.failure(f"{method} {name}: {response.error}")
                stale = True
            else:
                stale = False
                self.check(name, response)
        if stale:
            self.send(call, retry=False)

    @staticmethod
    def check(name: str, response) -> None:
        """A status of 400 or more, no response, or a dashboard with unavailable widgets is a failure."""
        if response.status_code >= 400 or response.status_code == 0:
            detail = (response.text or "")[:160] if response.status_code else str(response.error)[:160]
            response.failure(f"HTTP {response.status_code}: {detail}")
        elif name == "read: dashboard" and (degraded := mix.degraded_widgets(response.json())):
            response.failure(f"HTTP 200 with unavailable widgets: {', '.join(degraded)}")


class SaturatingUser(SeenUser):
    """The same visits with no pause at all: what the server sustains."""

    wait_time = constant(0)
    think = False


def _stats(entry: StatsEntry) -> dict:
    return {"requests": entry.num_requests, "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5), "p99_ms": entry.get_response_time_percentile(0.99),
            "avg_ms": round(entry.avg_response_time, 1)}


def summarise(env: Environment, seconds: float) -> dict:
    """The run's figures: totals, the ``read:`` calls merged, per name, the first errors."""
    reads, total = StatsEntry(env.stats, "reads", ""), StatsEntry(env.stats, "total", "")
    per_name = {}
    for (name, _), entry in sorted(env.stats.entries.items()):
        per_name[name] = _stats(entry)
        if name != STALE:
            total.extend(entry)
        if name.startswith("read:"):
            reads.extend(entry)
    errors = sorted((e for e in env.stats.errors.values() if e.name != STALE), key=lambda e: -e.occurrences)
    return {"seconds": round(seconds, 1), "rps": round(total.num_requests / seconds, 1), **_stats(total),
            "reads": _stats(reads), "per_name": per_name,
            "stale_keepalive_retries": per_name.get(STALE, {}).get("requests", 0),
            "first_errors": [f"{e.occurrences}x {e.method} {e.name}: {e.error}" for e in errors[:5]]}


def run(host: str, users: int, spawn_rate: float, seconds: float, saturate: bool) -> dict:
    setup_logging("INFO")  # locust warns there when its own CPU use tops 90%
    env = Environment(user_classes=[SaturatingUser if saturate else SeenUser], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    deadline = time.monotonic() + users / spawn_rate + 30
    while runner.user_count < users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    env.stats.reset_all()  # sustained figures: the ramp-up is left out
    started, cpu = time.monotonic(), time.process_time()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    summary = summarise(env, elapsed)
    summary.update(users=runner.user_count, locust_cpu=round((time.process_time() - cpu) / elapsed, 2))
    runner.quit()
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--spawn-rate", type=float, default=25.0)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--saturate", action="store_true")
    args = parser.parse_args()
    os.environ["SEEN_LOAD_SEED"] = args.seed
    summary = run(args.host, args.users, args.spawn_rate, args.seconds, args.saturate)
    Path(args.out).write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
