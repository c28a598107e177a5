"""The home profile's deployment files, checked offline: compose.yml, its images, setup.sh, systemd units.

Every service: a healthcheck, an exactly pinned image (or a Dockerfile whose every FROM is),
a non-root user, a restart policy, memory and CPU limits, a read-only root, no capabilities,
no-new-privileges. No secret is written in the file: secrets are files under ./secrets that
setup.sh generates with the owner of the service reading them. The worker never sees database
credentials. Only Caddy publishes 80/443 (the worker its BitTorrent port; the MinIO console
stays on 127.0.0.1). The systemd units pass ``systemd-analyze verify`` without a warning and its
offline security audit, read secrets through LoadCredential=, and the worker unit holds no
database credential whatever /etc/seen/seen.env says.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

from chalicelib.config import Settings, WorkerSettings
from embedded.services import ROOT

HOME = ROOT / "infra" / "home"
COMPOSE = HOME / "compose.yml"
SAMPLE_ENV = {"SEEN_SITE_ADDRESS": "seen.example.com", "SEEN_PUBLIC_URL": "https://seen.example.com"}
VAR = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")
# An exact version: major.minor.patch (optionally -variant), a MinIO RELEASE date, or a digest; Postgres
# numbers its releases major.minor (15.14 is exact).
PINNED = re.compile(r"^(postgres:\d+\.\d+(-[\w.-]+)?"
                    r"|[\w./-]+:(v?\d+\.\d+\.\d+(-[\w.-]+)?|RELEASE\.\d{4}-\d\d-\d\dT[\w-]+))"
                    r"(@sha256:[0-9a-f]{64})?$|^[\w./-]+@sha256:[0-9a-f]{64}$")
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$|_KEY_ID$|DATABASE_URL|REDIS_URL", re.I)


def interpolate(text: str, env: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name, op, arg = match.groups()
        if name in env:
            return env[name]
        assert op != "?", f"required variable {name} unset: {arg}"
        return arg or ""

    return VAR.sub(replace, text).replace("$$", "$")


@pytest.fixture(scope="module")
def services() -> dict[str, dict]:
    return yaml.safe_load(interpolate(COMPOSE.read_text(), SAMPLE_ENV))["services"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(), SAMPLE_ENV))


def dockerfile(service: dict) -> Path:
    return ROOT / service["build"]["dockerfile"]


def instructions(path: Path) -> list[str]:
    return [line.strip() for line in re.sub(r"\\\n", " ", path.read_text()).splitlines()
            if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize(("image", "pinned"), [
    ("caddy:2.10.2-alpine", True), ("postgres:15.14-bookworm", True), ("python:3.11.13-slim-bookworm", True),
    ("minio/minio:RELEASE.2025-09-07T16-13-09Z", True), ("valkey/valkey@sha256:" + "a" * 64, True),
    ("python:3.11-slim-bookworm", False), ("postgres:15", False), ("caddy:2", False), ("caddy:latest", False),
    ("caddy", False), ("nginx:1.29-alpine", False)])
def test_the_pin_rule_itself(image, pinned):
    assert bool(PINNED.match(image)) is pinned


def test_expected_services_and_profiles(services):
    default = {name for name, s in services.items() if not s.get("profiles")}
    at_home = {name for name, s in services.items() if "at-home" in s.get("profiles", [])}
    assert default == {"caddy", "worker", "minio", "minio-init"}
    assert at_home == {"postgres", "cache", "api", "events", "imports"}


def test_every_service_has_a_real_healthcheck(services):
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check and not check.get("disable"), name
        test = check["test"]
        assert isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL"), name
        assert test[1:] not in (["true"], ["exit 0"], ["/bin/true"]), name


def test_images_are_pinned_to_exact_versions(services):
    for name, service in services.items():
        if "build" in service:
            froms = [line.split()[1] for line in instructions(dockerfile(service)) if line.upper().startswith("FROM ")]
            assert froms, name
            for image in froms:
                assert PINNED.match(image), f"{name}: FROM {image} is not an exact version"
        else:
            image = service["image"]
            assert PINNED.match(image), f"{name}: {image} is not pinned"


def test_every_container_runs_as_a_non_root_user(services):
    for name, service in services.items():
        user = str(service.get("user", ""))
        assert user and user.split(":")[0] not in ("0", "root"), f"{name} runs as root"
        if "build" in service:
            users = [line.split()[1] for line in instructions(dockerfile(service)) if line.startswith("USER ")]
            assert users and users[-1].split(":")[0] not in ("0", "root"), name


def test_restart_policies_limits_and_hardening(services):
    for name, service in services.items():
        policy = service.get("restart")
        assert policy in (("no", "on-failure") if name == "minio-init" else ("unless-stopped", "always")), name
        limits = service.get("deploy", {}).get("resources", {}).get("limits", {})
        assert service.get("mem_limit") or limits.get("memory"), f"{name} has no memory limit"
        assert service.get("cpus") or limits.get("cpus"), f"{name} has no CPU limit"
        assert service.get("read_only") is True, name
        assert "no-new-privileges:true" in service.get("security_opt", []), name
        assert service.get("cap_drop") == ["ALL"], name
        assert service.get("cap_add", []) == (["NET_BIND_SERVICE"] if name == "caddy" else []), name
        assert not service.get("privileged"), name


def test_no_secret_is_written_in_the_file(services):
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if SECRETISH.search(key) and not key.endswith("_FILE"):
                raise AssertionError(f"{name}: {key} is set inline; use a secret file ({key}_FILE)")
            if key.endswith("_FILE") and SECRETISH.search(key.removesuffix("_FILE")):
                assert str(value).startswith("/run/secrets/"), (name, key)
    raw = COMPOSE.read_text()
    assert not re.search(r"://[^/\s:@]+:[^@\s${]+@", raw), "credentials in a URL"
    for path in (HOME / "api.Dockerfile", HOME / "worker.Dockerfile"):
        for line in instructions(path):
            if line.startswith(("ENV ", "ARG ")):
                assert not SECRETISH.search(line), f"{path.name}: {line}"


def test_secrets_are_files_the_services_read_through_file_variables(compose, services):
    declared = compose["secrets"]
    for name, secret in declared.items():
        assert secret["file"].startswith("./secrets/"), name
    for name, service in services.items():
        mounted = set(service.get("secrets", []))
        assert mounted <= set(declared), name
        env = service.get("environment") or {}
        for path in (v for k, v in env.items() if k.endswith("_FILE")):
            assert path.removeprefix("/run/secrets/") in mounted, f"{name} reads {path} it does not mount"


def test_the_worker_never_sees_database_or_cache_credentials(services):
    worker = services["worker"]
    env = worker.get("environment") or {}
    assert not any(key.startswith(("DATABASE_URL", "REDIS_URL", "POSTGRES")) for key in env)
    assert not {"database_url", "postgres_password", "redis_url", "cache_conf"} & set(worker.get("secrets", []))
    assert "postgres" not in worker.get("depends_on", {})


def published(service: dict) -> list[str]:
    return [str(port) for port in service.get("ports", [])]


def test_only_caddy_faces_the_network(services):
    assert published(services["caddy"]) == ["80:8080", "443:8443"]
    assert published(services["worker"]) == ["6881:6881/tcp", "6881:6881/udp"]
    assert all(port.startswith("127.0.0.1:") for port in published(services["minio"]))
    for name in set(services) - {"caddy", "worker", "minio"}:
        assert not published(services[name]), f"{name} publishes {published(services[name])}"


def test_the_api_trusts_caddys_fixed_address_only(services, compose):
    address = services["caddy"]["networks"]["seen"]["ipv4_address"]
    import ipaddress

    subnet = ipaddress.ip_network(compose["networks"]["seen"]["ipam"]["config"][0]["subnet"])
    assert ipaddress.ip_address(address) in subnet
    for name in ("api", "events", "imports"):
        assert services[name]["environment"]["SEEN_TRUSTED_PROXIES"] == f"{address}/32"


def test_caddys_default_upstreams_are_the_compose_services():
    caddyfile = (HOME / "Caddyfile").read_text()
    for upstream in ("{$SEEN_API_UPSTREAM:api:8000}", "{$SEEN_WORKER_UPSTREAM:worker:8090}",
                     "{$SEEN_MINIO_UPSTREAM:minio:9000}"):
        assert upstream in caddyfile


def test_the_api_serves_through_the_production_server(services):
    command = services["api"]["command"]
    assert command[:3] == ["python", "-m", "server"]
    assert "--migrate" in command and command[command.index("--bind") + 1] == "0.0.0.0:8000"
    assert command[command.index("--dist") + 1] == "/app/dist"
    assert services["events"]["command"] == ["python", "-m", "embedded.pump", "--queues", "events"]
    assert services["imports"]["command"] == ["python", "-m", "embedded.pump", "--queues", "imports"]
    copied = " ".join(line for line in instructions(HOME / "api.Dockerfile") if line.startswith("COPY"))
    for source in ("server/", "chalicelib/", "app.py", "localstack/embedded/", "/src/frontend/dist/"):
        assert source in copied


def test_build_contexts_never_include_secrets_or_data():
    for name in ("api.Dockerfile.dockerignore", "worker.Dockerfile.dockerignore"):
        patterns = [line for line in (HOME / name).read_text().splitlines() if line and not line.startswith("#")]
        assert patterns[0] == "*", name  # an allow-list
        assert not any(p.startswith(("!infra", "!.env", "!.data")) for p in patterns), name


@pytest.fixture(scope="module")
def setup_run(tmp_path_factory):
    """setup.sh run for real (as root: it sets owners) on a copy of infra/home."""
    if os.geteuid() != 0:
        pytest.skip("setup.sh sets file owners: needs root (CI and the dev machines run as root)")
    home = tmp_path_factory.mktemp("host") / "infra" / "home"
    home.mkdir(parents=True)
    shutil.copy(HOME / "setup.sh", home / "setup.sh")
    env = {"PATH": os.environ["PATH"]}
    first = subprocess.run(["sh", str(home / "setup.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    return home, env


def test_setup_makes_every_secret_with_the_readers_owner(setup_run, compose, services):
    home, _ = setup_run
    for name, secret in compose["secrets"].items():
        path = home / secret["file"]
        info = path.stat()
        for reader, service in ((r, s) for r, s in services.items() if name in s.get("secrets", [])):
            uid, gid = (int(part) for part in str(service["user"]).split(":"))
            groups = {gid, *(int(g) for g in service.get("group_add", []))}
            readable = (info.st_uid == uid and info.st_mode & stat.S_IRUSR) or \
                (info.st_gid in groups and info.st_mode & stat.S_IRGRP)
            assert readable, f"{reader} (uid {uid}) cannot read secrets/{path.name}"
        assert stat.S_IMODE(info.st_mode) in (0o600, 0o640), name
        assert not stat.S_IMODE(info.st_mode) & stat.S_IRWXO, name
    assert (home / ".env").exists() and (home / "secrets" / ".gitignore").exists()
    data = home / "data"
    assert (data / "postgres").stat().st_uid == 999 and (data / "minio").stat().st_uid == 10002
    assert (data / "staging").stat().st_uid == 10001 and (data / "caddy" / "data").stat().st_uid == 10004


def test_generated_secrets_fit_together_and_start_the_app(setup_run):
    home, _ = setup_run
    secrets = home / "secrets"
    text = {p.name: p.read_text() for p in secrets.iterdir() if p.is_file()}
    assert text["postgres_password"].strip() in text["database_url"]
    cache_password = re.search(r"^requirepass (\S+)$", text["cache.conf"], re.M).group(1)
    assert text["redis_url"].strip() == f"redis://:{cache_password}@cache:6379/0"
    Fernet(text["settings_key"].strip().encode())
    env = {"SEEN_STAGE": "prod", **{f"{var}_FILE": str(secrets / name) for var, name in [
        ("DATABASE_URL", "database_url"), ("REDIS_URL", "redis_url"), ("SEEN_JWT_SECRET", "jwt_secret"),
        ("SEEN_STREAM_SECRET", "stream_secret"), ("SEEN_SETTINGS_KEY", "settings_key")]}}
    settings = Settings.from_env(env)
    assert settings.database_url.startswith("postgresql://seen:") and settings.settings_key
    assert WorkerSettings.from_env(env).stream.secret == settings.stream.secret


def test_setup_is_idempotent_and_never_replaces_a_secret(setup_run):
    home, env = setup_run
    before = {p.name: p.read_bytes() for p in (home / "secrets").iterdir()}
    (home / "secrets" / "aws_worker_credentials").write_text("[default]\naws_access_key_id = AKIAHOME\n")
    again = subprocess.run(["sh", str(home / "setup.sh")], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    after = {p.name: p.read_bytes() for p in (home / "secrets").iterdir()}
    assert after.pop("aws_worker_credentials") == b"[default]\naws_access_key_id = AKIAHOME\n"
    before.pop("aws_worker_credentials")
    assert after == before
    assert "generated" not in again.stdout


# --- systemd units (the install without Docker) -----------------------------------------------------

UNITS = HOME / "systemd"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
# Each app process's unit and its compose service.
APP_UNITS = {"seen-api.service": "api", "seen-events.service": "events", "seen-imports.service": "imports",
             "seen-worker.service": "worker"}


def unit(name: str) -> dict[str, list[str]]:
    """Key -> every value (systemd keys repeat), [Section] headers dropped."""
    values: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def env_of(values: dict[str, list[str]]) -> dict[str, str]:
    return dict(pair.split("=", 1) for line in values.get("Environment", []) for pair in line.split())


@pytest.fixture(scope="module")
def local_units(tmp_path_factory) -> Path:
    """The units with /opt/seen swapped for this checkout, so verify finds the interpreters they start."""
    if SYSTEMD_ANALYZE is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    out = tmp_path_factory.mktemp("units")
    for path in UNITS.glob("*.service"):
        text = path.read_text().replace("/opt/seen/.venv-worker", str(ROOT / ".venv"))
        (out / path.name).write_text(text.replace("/opt/seen", str(ROOT)))
    return out


def test_units_pass_systemd_analyze_verify_without_a_warning(local_units):
    names = sorted(p.name for p in local_units.glob("*.service"))
    assert names == ["seen-api.service", "seen-events.service", "seen-imports.service", "seen-worker.service"]
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *names], cwd=local_units,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@pytest.mark.parametrize("name", sorted(APP_UNITS))
def test_units_are_hardened(local_units, name):
    values = unit(name)
    for key, expected in [("User", "seen"), ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                          ("PrivateTmp", "yes"), ("Restart", "always"), ("CapabilityBoundingSet", "")]:
        assert values.get(key) == [expected], (name, key)
    assert values["ProtectHome"][0] in ("yes", "read-only") and values["MemoryMax"]
    assert values["EnvironmentFile"] == ["/etc/seen/seen.env"]
    audit = subprocess.run([SYSTEMD_ANALYZE, "security", "--offline=yes", name], cwd=local_units,
                           capture_output=True, text=True, timeout=60)
    exposure = float(re.search(r"Overall exposure level for \S+: ([\d.]+)", audit.stdout).group(1))
    assert exposure <= 2.5, audit.stdout[-2000:]


@pytest.mark.parametrize("name", sorted(APP_UNITS))
def test_unit_secrets_come_from_credentials(name):
    values = unit(name)
    credentials = {line.split(":", 1)[0] for line in values.get("LoadCredential", [])}
    env = env_of(values)
    for key, value in env.items():
        assert not (SECRETISH.search(key) and not key.endswith("_FILE")), f"{name}: {key} inline"
        if key.endswith("_FILE"):
            assert value.startswith("%d/") and value.removeprefix("%d/") in credentials, (name, key)
    assert all(path.split(":", 1)[1].startswith("/etc/seen/credentials/") for path in values["LoadCredential"])


def test_the_worker_unit_never_holds_database_credentials():
    values = unit("seen-worker.service")
    credentials = " ".join(values.get("LoadCredential", []))
    assert "database" not in credentials and "redis" not in credentials and "jwt" not in credentials
    assert not any(key.startswith(("DATABASE_URL", "REDIS_URL")) for key in env_of(values))
    unset = set(" ".join(values["UnsetEnvironment"]).split())
    assert {"DATABASE_URL", "DATABASE_URL_FILE", "REDIS_URL", "REDIS_URL_FILE"} <= unset
    assert values["ExecStart"][0].startswith("/opt/seen/.venv-worker/")  # a venv without psycopg


def test_units_stop_as_gracefully_as_the_containers(services):
    for name, service in APP_UNITS.items():
        assert unit(name)["TimeoutStopSec"] == [services[service]["stop_grace_period"].removesuffix("s")], name


def megabytes(limit: str) -> int:
    """A compose (512m, 2g) or systemd (512M, 2G) memory size in MiB."""
    number, unit_ = re.fullmatch(r"(\d+)([mMgG])", str(limit)).groups()
    return int(number) * (1024 if unit_ in "gG" else 1)


def test_each_app_process_has_the_same_memory_limit_in_compose_and_systemd_and_no_swap_past_it(services):
    # One process outgrowing its limit is killed and restarted alone (issue 33: an import grew to 22 GB).
    for name, service in APP_UNITS.items():
        values, container = unit(name), services[service]
        assert megabytes(values["MemoryMax"][0]) == megabytes(container["mem_limit"]), name
        assert values["MemorySwapMax"] == ["0"] and container["memswap_limit"] == container["mem_limit"], name
        assert values["Restart"] == ["always"] and int(values["RestartSec"][0]) > 0, name
        assert container["restart"] == "unless-stopped", service
    # The consumers' goals (make bench): events <= 150 MB steady, imports <= 300 MB peak on 100k rows.
    assert megabytes(services["events"]["mem_limit"]) >= 150 * 2 and megabytes(services["imports"]["mem_limit"]) > 300


def test_worker_events_and_imports_are_consumed_by_separate_processes(services):
    commands = {service: services[service]["command"] for service in ("events", "imports")}
    for name, service in (("seen-events.service", "events"), ("seen-imports.service", "imports")):
        exec_start = unit(name)["ExecStart"][0].split()
        assert exec_start[0] == "/opt/seen/.venv/bin/python" and exec_start[1:] == commands[service][1:], name
        assert commands[service][-2:] == ["--queues", service]
    imports = unit("seen-imports.service")
    assert env_of(imports) == env_of(unit("seen-events.service"))  # same app, same settings and secrets
    assert imports["LoadCredential"] == unit("seen-events.service")["LoadCredential"]
    assert services["imports"]["depends_on"] == {"api": {"condition": "service_healthy"}}  # migrations first


def test_caddy_drop_in_points_at_the_units():
    drop_in = (UNITS / "caddy-seen.conf").read_text()
    api = unit("seen-api.service")
    assert "--bind 127.0.0.1:8000" in api["ExecStart"][0] and "SEEN_API_UPSTREAM=127.0.0.1:8000" in drop_in
    assert env_of(unit("seen-worker.service"))["SEEN_STREAM_PORT"] == "8090"
    assert "SEEN_WORKER_UPSTREAM=127.0.0.1:8090" in drop_in
    assert "127.0.0.1/32" in env_of(api)["SEEN_TRUSTED_PROXIES"]


def test_the_self_hosting_guide_names_files_that_exist():
    guide = (ROOT / "docs" / "self-hosting.md").read_text()
    made_by_setup = ("infra/home/data/", "infra/home/secrets/", "infra/home/.env")
    named = {m.rstrip(".,:)`") for m in re.findall(r"infra/home/[\w./-]+", guide)}
    assert "infra/home/setup.sh" in named and "infra/home/systemd/seen-api.service" in named
    for path in named:
        assert path.startswith(made_by_setup) or (ROOT / path).exists(), path
    for link in re.findall(r"\]\(([\w.-]+\.md)\)", guide):
        assert (ROOT / "docs" / link).exists(), link


def test_the_api_image_ships_every_module_the_server_and_the_pump_import(tmp_path):
    """The sources api.Dockerfile copies, alone in a directory, import everything the server, the pump,
    backups and the healthchecks need (every chalicelib and server module, as lazy imports would)."""
    final_stage = re.sub(r"\\\n", " ", (HOME / "api.Dockerfile").read_text()).split("\nFROM ")[-1]
    for line in final_stage.splitlines():
        parts = line.split()
        if parts[:1] == ["COPY"] and not parts[1].startswith("--from"):
            for source in parts[1:-1]:
                if (ROOT / source).is_dir():
                    shutil.copytree(ROOT / source, tmp_path / source, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / source, tmp_path / source)
    code = ("import importlib, pkgutil, sys\n"
            "import app, embedded.pump, chalicelib, server\n"
            "for pkg in (chalicelib, server):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        m.name.endswith('__main__') or importlib.import_module(m.name)\n"
            "import server.__main__\n"
            "ours = ('app', 'chalicelib', 'server', 'embedded', 'worker')\n"
            "outside = [m.__file__ for n, m in sys.modules.items()\n"
            "           if n.split('.')[0] in ours and not m.__file__.startswith(sys.argv[1])]\n"
            "print(outside)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = f"{tmp_path}{os.pathsep}{tmp_path / 'localstack'}"
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code, str(tmp_path)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]", result.stdout


def test_minio_init_makes_the_bucket_and_a_user_per_real_key(tmp_path):
    """minio-init.sh against a recording stand-in for `mc`: bucket, CORS, a bucket-only policy, and one
    MinIO user per AWS key that is set (the placeholder setup.sh writes is skipped)."""
    (tmp_path / "bin").mkdir()
    calls = tmp_path / "calls"
    fake_mc = tmp_path / "bin" / "mc"
    fake_mc.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n'
                       f'[ "$2 $3" = "policy create" ] && cat "$6" >> {calls}\nexit 0\n')
    fake_mc.chmod(0o755)
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "minio_root_password").write_text("root-pw-123456\n")
    (secrets / "aws_credentials").write_bytes(b"[default]\r\naws_access_key_id = AKIAAPP\r\n"
                                              b"aws_secret_access_key=app-secret-123\r\n")
    (secrets / "aws_worker_credentials").write_text(
        "[default]\naws_access_key_id = REPLACE_ME\naws_secret_access_key = REPLACE_ME\n")
    env = {"PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}", "SECRETS_DIR": str(secrets),
           "CORS_FILE": str(HOME / "minio-cors.xml"), "MC_CONFIG_DIR": str(tmp_path / "mc"),
           "SEEN_BUCKET": "media-x"}
    result = subprocess.run(["sh", str(HOME / "minio-init.sh")], env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    log = calls.read_text().splitlines()
    assert log[:3] == ["alias set home http://minio:9000 seen-admin root-pw-123456",
                       "mb --ignore-existing home/media-x", f"cors set home/media-x {HOME / 'minio-cors.xml'}"]
    policy = next(line for line in log if line.startswith("{"))
    assert '"arn:aws:s3:::media-x","arn:aws:s3:::media-x/*"' in policy and "s3:::*" not in policy
    assert "admin user add home AKIAAPP app-secret-123" in log
    assert "admin policy attach home seen-bucket --user AKIAAPP" in log
    assert not any("REPLACE_ME" in line for line in log)
    assert "aws_worker_credentials has no key yet" in result.stdout
    assert (tmp_path / "mc" / "done").exists()  # what the compose healthcheck looks for (/tmp/mc/done)
