"""`make lint-infra`: the deployment files, checked by the tools that judge them, in parallel.

    python scripts/lint_infra.py

The AWS template as `make package` builds it (chalice package + infra/resources.yml) through cfn-lint and
`sam validate --lint`; the compose files against the compose spec (compose-spec's validator: no Docker engine
needed); the Caddyfile through `caddy validate`; the systemd units through `systemd-analyze verify`; the
Dockerfiles through hadolint. The Python linters live in .venv-tools (requirements-tools.txt); a check whose
tool is missing (no caddy or systemd here) says so and is skipped, never passed in silence. Exit code 1 when
a check fails. The tests (tests/integration/test_infra.py, test_home_compose.py) hold the same files to
stricter rules; this is the quick gate `make lint` runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".venv-tools" / "bin"
HOME = ROOT / "infra" / "home"
COMPOSE_FILES = (HOME / "compose.yml", ROOT / "localstack" / "compose.yml")
# What .env holds (infra/home/setup.sh writes it) and what the LocalStack path needs; secrets are files.
SAMPLE_ENV = {"SEEN_SITE_ADDRESS": "seen.example.com", "SEEN_PUBLIC_URL": "https://seen.example.com",
              "LOCALSTACK_AUTH_TOKEN": "t"}
TOOL_ENV = {**os.environ, "SAM_CLI_TELEMETRY": "0", "AWS_DEFAULT_REGION": "us-east-1"}
COMPOSE_VAR = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")
VALIDATE_COMPOSE = ("import json, sys; from compose_spec import PyCompose; "
                    "c = PyCompose.from_json(sys.stdin.read()); c.validate(); c.to_spec()")


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    said: str = ""
    skipped: str | None = None


def run(*args: str | Path, stdin: str | None = None, cwd: Path = ROOT, env: dict | None = None,
        warnings_fail: bool = False) -> tuple[bool, str]:
    """Run a tool; ``warnings_fail``: anything on stderr fails it too (systemd-analyze warns, exits 0)."""
    done = subprocess.run([str(a) for a in args], input=stdin, cwd=cwd, env=env or TOOL_ENV, capture_output=True,
                          text=True, timeout=600)
    ok = done.returncode == 0 and not (warnings_fail and done.stderr.strip())
    return ok, (done.stdout + done.stderr).strip()


def resolved_compose(path: Path) -> str:
    """The file with compose's ${VAR}, ${VAR:-default} and ${VAR:?error} filled from SAMPLE_ENV, as JSON."""
    def fill(match: re.Match) -> str:
        name, op, arg = match.groups()
        return SAMPLE_ENV.get(name, arg if op == "-" else "")

    return json.dumps(yaml.safe_load(COMPOSE_VAR.sub(fill, path.read_text()).replace("$$", "$")))


def units_here(out: Path) -> list[str]:
    """The systemd units with /opt/seen swapped for this checkout, so verify finds the programs they start."""
    names = []
    for path in sorted((HOME / "systemd").glob("*.service")):
        text = path.read_text().replace("/opt/seen/.venv-worker", str(ROOT / ".venv"))
        (out / path.name).write_text(text.replace("/opt/seen", str(ROOT)))
        names.append(path.name)
    return names


def package(out: Path) -> tuple[bool, str]:
    return run(ROOT / ".venv" / "bin" / "chalice", "package", "--stage", "prod", "--merge-template",
               "infra/resources.yml", "--template-format", "yaml", out)


def check_template(work: Path) -> list[Outcome]:
    started = time.monotonic()
    ok, said = package(work / "package")
    if not ok:
        return [Outcome("chalice package", False, time.monotonic() - started, said)]
    template = work / "package" / "sam.yaml"
    checks = {"cfn-lint": [TOOLS / "cfn-lint", template],
              "sam validate --lint": [TOOLS / "sam", "validate", "--lint", "-t", template, "--region", "us-east-1"]}
    with ThreadPoolExecutor(len(checks)) as pool:
        return [Outcome("chalice package", True, time.monotonic() - started),
                *pool.map(lambda item: timed(item[0], lambda: run(*item[1])), checks.items())]


def timed(name: str, check: Callable[[], tuple[bool, str]]) -> Outcome:
    started = time.monotonic()
    ok, said = check()
    return Outcome(name, ok, time.monotonic() - started, said)


@dataclass
class Check:
    name: str
    skipped: str | None  # why, when its tool is missing
    run: Callable[[], tuple[bool, str]]

    def outcome(self) -> Outcome:
        return Outcome(self.name, True, 0, skipped=self.skipped) if self.skipped else timed(self.name, self.run)


def checks(work: Path) -> list[Check]:
    caddy, analyze = shutil.which("caddy"), shutil.which("systemd-analyze")
    units = work / "units"
    units.mkdir()
    caddy_env = {**os.environ, "HOME": str(work), "XDG_DATA_HOME": str(work / "data"),
                 "XDG_CONFIG_HOME": str(work / "config")}
    dockerfiles = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "infra").rglob("*Dockerfile"))
    return [*(Check(f"compose spec: {path.relative_to(ROOT)}", no_linters(),
                    lambda path=path: run(TOOLS / "python", "-c", VALIDATE_COMPOSE, stdin=resolved_compose(path)))
              for path in COMPOSE_FILES),
            Check("hadolint", no_linters(), lambda: run(TOOLS / "hadolint", *dockerfiles)),
            Check("caddy validate", None if caddy else "caddy is not installed (`make setup` installs it)",
                  lambda: run(caddy or "caddy", "validate", "--adapter", "caddyfile", "--config", HOME / "Caddyfile",
                              cwd=work, env=caddy_env)),
            Check("systemd-analyze verify", None if analyze else "systemd-analyze is not installed (Debian's systemd)",
                  lambda: run(analyze or "systemd-analyze", "verify", "--man=no", *units_here(units), cwd=units,
                              warnings_fail=True))]


def no_linters() -> str | None:
    return None if (TOOLS / "cfn-lint").exists() else "the deployment linters are not installed (.venv-tools)"


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="seen-lint-infra-") as tmp:
        work = Path(tmp)
        listed = checks(work)
        with ThreadPoolExecutor(len(listed) + 1) as pool:
            template = None if no_linters() else pool.submit(check_template, work)
            outcomes = list(pool.map(Check.outcome, listed))
            outcomes[:0] = template.result() if template else [Outcome("AWS template", True, 0, skipped=no_linters())]
    for outcome in outcomes:
        state = "skipped:" if outcome.skipped else "ok" if outcome.ok else "FAILED"
        print(f"lint-infra: {outcome.name:<36} {outcome.seconds:5.1f}s  {state} {outcome.skipped or ''}".rstrip())
        if not outcome.ok:
            print(outcome.said)
    print(f"lint-infra: {time.monotonic() - started:.1f}s in all")
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
