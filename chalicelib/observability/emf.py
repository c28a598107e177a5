"""Lambda: each record is one CloudWatch EMF line on stdout (Powertools ``single_metric``), so a record carries
its own dimensions (a route) and nothing waits for a flush at the end of the invocation."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit, single_metric

from chalicelib.observability.names import Metric

NAMESPACE = "seen"
SERVICE = "seen-api"


def emit(metric: Metric, value: float, labels: dict[str, str]) -> None:
    # A ratio's try is 100 % or 0 %: CloudWatch's average of the metric is then the ratio.
    unit, amount = ("Percent", value * 100) if metric.kind == "ratio" else (metric.unit, value)
    dimensions = {"service": SERVICE, **{key: str(val) for key, val in labels.items() if key in metric.labels}}
    with single_metric(name=metric.name, unit=MetricUnit(unit), value=amount, namespace=NAMESPACE,
                       default_dimensions=dimensions):
        pass
