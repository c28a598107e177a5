"""At home the event pump's ``Scheduler`` plays EventBridge's part: it must run exactly the
schedules the AWS template declares (same functions, same rate or cron), whether they come from
``@app.schedule`` (SAM ``Schedule`` events) or from rules written in ``infra/resources.yml``.

The template is packaged the way the deployment does it (``chalice package --stage prod
--merge-template infra/resources.yml``), as tests/integration/test_infra.py does.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from chalice.app import Cron, Rate

from embedded.lambdas import Scheduler
from tests.integration import cfn_support as cfn

SCHEDULE_EVENTS = ("Schedule", "ScheduleV2")
FUNCTIONS = ("AWS::Serverless::Function", "AWS::Lambda::Function")
RULES = ("AWS::Events::Rule", "AWS::Scheduler::Schedule")
RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict:
    return cfn.load(cfn.package(tmp_path_factory.mktemp("package")))


@pytest.fixture(scope="module")
def scheduler() -> Scheduler:
    from app import app

    return Scheduler(app, threading.Event(), lambda *a, **k: None)


def function_name(function: dict) -> str:
    """A Lambda function's Chalice name: its handler is ``app.<name>``."""
    return function["Properties"]["Handler"].rpartition(".")[2]


def rule_targets(resources: dict, logical_id: str, rule: dict) -> list[str]:
    """The functions an EventBridge rule (or Scheduler schedule) invokes; the rule's id if not a function."""
    props = rule["Properties"]
    targets = props.get("Targets") or [props.get("Target", {})]
    names = []
    for target in targets:
        arn = target.get("Arn", {})
        ref = (arn.get("Fn::GetAtt") or arn.get("GetAtt")) if isinstance(arn, dict) else None
        function_id = (ref.split(".")[0] if isinstance(ref, str) else ref[0]) if ref else None
        found = resources.get(function_id, {}).get("Type") in FUNCTIONS
        names.append(function_name(resources[function_id]) if found else f"rule:{logical_id}")
    return names


def template_schedules(template: dict) -> list[tuple[str, str]]:
    """(function name, schedule expression) of every schedule in the AWS template."""
    resources = template["Resources"]
    found = []
    for logical_id, resource in resources.items():
        props = resource.get("Properties", {})
        if resource["Type"] in FUNCTIONS:
            found += [(function_name(resource), event["Properties"].get("Schedule")
                       or event["Properties"]["ScheduleExpression"])
                      for event in props.get("Events", {}).values() if event["Type"] in SCHEDULE_EVENTS]
        elif resource["Type"] in RULES and "ScheduleExpression" in props:
            found += [(name, props["ScheduleExpression"]) for name in rule_targets(resources, logical_id, resource)]
    return sorted(found)


def expression_text(expression) -> str:
    return expression.to_string() if isinstance(expression, Rate | Cron) else str(expression)


def home_schedules(scheduler: Scheduler) -> list[tuple[str, str]]:
    return sorted((c.name, expression_text(c.schedule_expression)) for c in scheduler.configs)


def test_home_runs_exactly_the_schedules_of_the_aws_template(template, scheduler):
    in_aws = template_schedules(template)
    assert len(in_aws) >= 10  # reconcile, the catalog syncs, recommendations, calendar, cleanup, picks
    assert ("reconcile_downloads", "rate(1 minute)") in in_aws
    assert home_schedules(scheduler) == in_aws


def test_each_home_schedule_next_run_matches_the_template_expression(template, scheduler):
    in_aws = dict(template_schedules(template))
    now = datetime(2026, 11, 22, 1, 2, 3, tzinfo=UTC)
    for config in scheduler.configs:
        expression = in_aws[config.name]
        next_run = scheduler.next_run(config, now)
        rate = RATE.match(expression)
        if rate:
            seconds = int(rate.group(1)) * UNIT_SECONDS[rate.group(2).rstrip("s")]
            assert next_run - now == timedelta(seconds=seconds), (config.name, expression)
        else:
            assert now < next_run <= now + timedelta(days=366), (config.name, expression)


def test_the_template_reader_sees_rules_written_by_hand():
    """A rule in infra/resources.yml (not from @app.schedule) is found too: home would have to run it."""
    resources = {
        "Nightly": {"Type": "AWS::Events::Rule", "Properties": {
            "ScheduleExpression": "cron(0 3 * * ? *)", "Targets": [{"Arn": {"GetAtt": "Vacuum.Arn"}, "Id": "v"}]}},
        "Vacuum": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.vacuum"}},
        "Ping": {"Type": "AWS::Events::Rule", "Properties": {
            "ScheduleExpression": "rate(5 minutes)", "Targets": [{"Arn": "arn:aws:sns:x", "Id": "p"}]}},
    }
    assert template_schedules({"Resources": resources}) == [("rule:Ping", "rate(5 minutes)"),
                                                           ("vacuum", "cron(0 3 * * ? *)")]
