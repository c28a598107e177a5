"""The packaged AWS template, as the deployment makes it, read with CloudFormation's short-form tags."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from embedded.services import ROOT

TOOL_ENV = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"}


class CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !GetAtt, !Sub, ...) as plain dicts."""


CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: {
    suffix: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
    else loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode)
    else loader.construct_mapping(node)})


def package(out: Path) -> Path:
    """``chalice package --stage prod --merge-template infra/resources.yml`` into ``out``; the template's path."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "chalice"), "package", "--stage", "prod", "--merge-template",
                    "infra/resources.yml", "--template-format", "yaml", str(out)],
                   cwd=ROOT, env=TOOL_ENV, check=True, capture_output=True, timeout=600)
    return out / "sam.yaml"


def load(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=CfnLoader)  # noqa: S506 - a SafeLoader subclass
