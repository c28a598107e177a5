"""The local scheduler reads Chalice's schedules the way EventBridge would."""

import threading
from datetime import UTC, datetime

from chalice import Chalice, Cron, Rate

from embedded.lambdas import Scheduler


def test_rate_and_cron_schedules_fire_at_their_next_time_and_invoke_the_handler():
    app = Chalice(app_name="sched-test")
    calls = []

    @app.schedule(Rate(5, unit=Rate.MINUTES))
    def every_five(event):
        calls.append(("rate", event.to_dict()["detail-type"]))

    @app.schedule(Cron(30, 3, "*", "*", "?", "*"))
    def nightly(event):
        calls.append(("cron", None))

    @app.schedule("rate(1 hour)")
    def hourly(event):
        calls.append(("hourly", None))

    scheduler = Scheduler(app, threading.Event(), lambda *a, **k: None)
    now = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    by_name = {c.name: c for c in scheduler.configs}
    assert scheduler.next_run(by_name["every_five"], now) == datetime(2026, 11, 22, 1, 5, tzinfo=UTC)
    assert scheduler.next_run(by_name["nightly"], now) == datetime(2026, 11, 22, 3, 30, tzinfo=UTC)
    assert scheduler.next_run(by_name["hourly"], now) == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)

    import sys
    import types

    module = types.ModuleType("sched_test_app")
    module.every_five = every_five
    sys.modules["sched_test_app"] = module
    config = by_name["every_five"]
    config.handler_string = "sched_test_app.every_five"
    scheduler.invoke(config)
    assert calls == [("rate", "Scheduled Event")]
