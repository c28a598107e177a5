"""The instance secrets `make dev` keeps under ``.data/secrets/``, as the home install's ``setup.sh`` does.

The settings encryption key (``SEEN_SETTINGS_KEY``), the access-token signing secret (``SEEN_JWT_SECRET``) and
the stream-token secret (``SEEN_STREAM_SECRET``) are generated once with ``secrets`` into files of mode 0600 in a
directory of mode 0700, and reused on every later run: keys stored encrypted and sessions signed yesterday still
work today. The processes get ``X_FILE`` (read by ``chalicelib.config``), so the values stay out of their
environment listing. A secret the environment already sets (``X`` or ``X_FILE``) wins and no file is made for it.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InstanceSecret:
    variable: str  # what chalicelib.config reads (and X_FILE)
    file: str  # the same names as infra/home/secrets/
    generate: Callable[[], str]


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


INSTANCE_SECRETS = (
    InstanceSecret("SEEN_SETTINGS_KEY", "settings_key", _fernet_key),
    InstanceSecret("SEEN_JWT_SECRET", "jwt_secret", lambda: secrets.token_urlsafe(48)),
    InstanceSecret("SEEN_STREAM_SECRET", "stream_secret", lambda: secrets.token_urlsafe(48)),
)
# The worker verifies stream tokens and nothing else: it never gets the other secrets' files.
WORKER_SECRETS = ("SEEN_STREAM_SECRET",)


def ensure(directory: Path, env: Mapping[str, str]) -> dict[str, str]:
    """``X_FILE`` for each instance secret ``env`` does not set, its file created once (0600, dir 0700)."""
    wanted = [secret for secret in INSTANCE_SECRETS
              if not env.get(secret.variable) and not env.get(f"{secret.variable}_FILE")]
    if not wanted:
        return {}
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # mkdir's mode is masked by the umask, and an older dir may be wider
    found: dict[str, str] = {}
    for secret in wanted:
        path = directory / secret.file
        _create_once(path, secret.generate())
        os.chmod(path, 0o600)
        found[f"{secret.variable}_FILE"] = str(path)
    return found


def _create_once(path: Path, value: str) -> None:
    """Write ``value`` to ``path`` unless a file is there; complete or not at all, even with two runs at once
    (the e2e stacks start side by side): written to a private temporary name, then linked into place."""
    if path.exists() and path.stat().st_size > 0:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(value + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:  # another run made it first (or an empty one is there: replace that)
            if path.stat().st_size == 0:
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
