"""Deployment artefacts, checked offline: the packaged template, Dockerfiles, compose files.

One source of truth for names: every queue, table and bucket the code names
(``AwsSettings``) exists in the packaged AWS template and is what the init
module (``chalicelib/awsinit.py``) creates in the emulator.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chalicelib.config import AwsSettings
from embedded.services import ROOT
from tests.integration import cfn_support as cfn

TOOLS = ROOT / ".venv-tools" / "bin"
TOOL_ENV = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def packaged(tmp_path_factory) -> Path:
    return cfn.package(tmp_path_factory.mktemp("package"))


@pytest.fixture(scope="module")
def template(packaged) -> dict:
    return cfn.load(packaged)


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(TOOLS / args[0]), *args[1:]], cwd=ROOT, env=TOOL_ENV, capture_output=True,
                          text=True, timeout=300)


def test_packaged_template_passes_cfn_lint(packaged):
    result = run_tool("cfn-lint", str(packaged))
    assert result.returncode == 0, result.stdout + result.stderr


def test_packaged_template_passes_sam_validate_lint(packaged):
    result = run_tool("sam", "validate", "--lint", "-t", str(packaged), "--region", "us-east-1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout + result.stderr


def resources_of(template: dict, kind: str) -> dict[str, dict]:
    return {name: r for name, r in template["Resources"].items() if r.get("Type") == kind}


def test_every_queue_table_and_bucket_the_code_names_is_in_the_template(template):
    names = AwsSettings()
    queues = {r["Properties"]["QueueName"] for r in resources_of(template, "AWS::SQS::Queue").values()}
    assert queues == {q for name in names.queues for q in (name, f"{name}-dlq")}

    tables = {r["Properties"]["TableName"]: r["Properties"]
              for r in resources_of(template, "AWS::DynamoDB::Table").values()}
    from chalicelib.telemetry import TABLE_MODELS

    for model in TABLE_MODELS:
        table = tables[model.Meta.table_name]
        assert table["KeySchema"][0]["AttributeName"] == model._hash_keyname
        assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert set(tables) == set(names.tables)

    env = template["Globals"]["Function"]["Environment"]["Variables"]
    assert env["SEEN_BUCKET"] == {"Ref": "MediaBucket"}
    assert "MediaBucket" in resources_of(template, "AWS::S3::Bucket")

    worker_events = template["Resources"]["WorkerEvents"]["Properties"]["Events"]["WorkerEventsSqsEventSource"]
    assert names.events_queue in json.dumps(worker_events["Properties"]["Queue"])
    assert worker_events["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_init_module_creates_exactly_the_template_names(aws, template):
    from chalicelib import aws as aws_clients

    queues = {url.rsplit("/", 1)[-1] for url in aws_clients.client("sqs").list_queues().get("QueueUrls", [])}
    template_queues = {r["Properties"]["QueueName"] for r in resources_of(template, "AWS::SQS::Queue").values()}
    assert queues == template_queues
    tables = set(aws_clients.client("dynamodb").list_tables()["TableNames"])
    assert tables == {r["Properties"]["TableName"] for r in resources_of(template, "AWS::DynamoDB::Table").values()}
    assert [b["Name"] for b in aws_clients.client("s3").list_buckets()["Buckets"]] == [AwsSettings().bucket]


def test_the_worker_role_may_not_touch_anything_else(template):
    statements = template["Resources"]["WorkerPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    actions = {action for s in statements for action in s["Action"]}
    assert not any(a.endswith("*") for a in actions)
    assert not any(a.startswith(("rds", "secretsmanager", "lambda", "iam")) for a in actions)
    assert "sqs:SendMessage" in next(s["Action"] for s in statements if s["Sid"] == "SendEvents")
    assert all("Resource" in s and s["Resource"] != "*" for s in statements)


def test_dockerfiles_pass_hadolint():
    dockerfiles = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "infra").rglob("*Dockerfile"))
    assert dockerfiles
    result = run_tool("hadolint", *dockerfiles)
    assert result.returncode == 0, result.stdout + result.stderr


VAR = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}, $$."""

    def replace(match: re.Match) -> str:
        name, op, arg = match.groups()
        if name in env:
            return env[name]
        if op == "?":
            raise AssertionError(f"required variable {name} unset: {arg}")
        return arg or ""

    return VAR.sub(replace, text).replace("$$", "$")


@pytest.mark.parametrize("path", ["infra/home/compose.yml", "localstack/compose.yml"])
def test_compose_files_are_valid_compose_specs(path):
    # What .env holds (infra/home/setup.sh writes the skeleton); secrets are files, not variables.
    sample = {"SEEN_SITE_ADDRESS": "seen.example.com", "SEEN_PUBLIC_URL": "https://seen.example.com",
              "LOCALSTACK_AUTH_TOKEN": "t"}
    resolved = yaml.safe_load(interpolate((ROOT / path).read_text(), sample))
    code = ("import json, sys; from compose_spec import PyCompose; "
            "c = PyCompose.from_json(sys.stdin.read()); c.validate(); c.to_spec(); print(len(c.service_names()))")
    result = subprocess.run([str(TOOLS / "python"), "-c", code], input=json.dumps(resolved), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(resolved["services"])


def test_worker_image_ships_every_module_the_worker_imports():
    dockerfile = (ROOT / "infra" / "home" / "worker.Dockerfile").read_text()
    instructions = re.sub(r"\\\n", " ", dockerfile).splitlines()
    copied = [source for line in instructions if line.startswith("COPY ")
              for source in line.split()[1:-1] if source.startswith("chalicelib/")]  # files and whole folders
    # Every worker module, not only what start-up imports: the engines and the scanner import theirs lazily.
    code = ("import importlib, pkgutil, sys, worker\n"
            "for m in pkgutil.walk_packages(worker.__path__, 'worker.'):\n"
            "    m.name == 'worker.__main__' or importlib.import_module(m.name)\n"
            "print(' '.join(sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('chalicelib.'))))")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    files = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True, check=True).stdout.split()
    imported = {Path(f).relative_to(ROOT).as_posix() for f in files}
    missing = {f for f in imported if not any(f == c or (c.endswith("/") and f.startswith(c)) for c in copied)}
    assert not missing, f"worker imports chalicelib modules the image lacks: {missing}"
    assert not any(c.startswith("chalicelib/db") for c in copied)


# The resources that hold what cannot be made again, and the policy that keeps each when the stack is deleted
# or a change replaces it: the media, the database, the database's credentials. (The SPA's bucket is rebuilt.)
STATEFUL = {"MediaBucket": "Retain", "DatabaseCluster": "Snapshot", "DatabaseSecret": "Retain"}
ALWAYS_STATEFUL = ("AWS::RDS::DBCluster", "AWS::SecretsManager::Secret")


def test_stateful_resources_survive_a_deleted_stack_and_a_replacement():
    resources = cfn.load(ROOT / "infra" / "resources.yml")["Resources"]
    assert {name for name, r in resources.items() if r.get("Type") in ALWAYS_STATEFUL} <= set(STATEFUL)
    for name, kept in STATEFUL.items():
        assert (resources[name].get("DeletionPolicy"), resources[name].get("UpdateReplacePolicy")) == (kept, kept), name
