#!/bin/sh
# Prepares a host for infra/home/compose.yml. Run once as root (again after an upgrade: it is idempotent):
#
#   sudo infra/home/setup.sh
#
# - data directories under SEEN_DATA_DIR (default infra/home/data), owned by the uid that writes them;
# - random secrets in infra/home/secrets/ (mode 0600, or 0640 for the AWS credentials that minio-init
#   also reads), owned by the uid of the service that reads them; an existing secret is never replaced;
# - a .env skeleton (infra/home/.env) if there is none.
# UIDs match compose.yml: 10001 app (api, events, imports, worker), 999 postgres, 10002 minio, 10003 cache, 10004 caddy.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SECRETS="$HERE/secrets"
ENV_FILE="$HERE/.env"

if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: run as root (it sets owners for the containers' users): sudo $0" >&2
    exit 1
fi

# SEEN_DATA_DIR from the environment, else from .env, else ./data (relative to infra/home, as compose reads it).
if [ -z "${SEEN_DATA_DIR:-}" ] && [ -f "$ENV_FILE" ]; then
    SEEN_DATA_DIR=$(sed -n 's/^SEEN_DATA_DIR=//p' "$ENV_FILE" | tail -n 1)
fi
case "${SEEN_DATA_DIR:=./data}" in
    /*) DATA="$SEEN_DATA_DIR" ;;
    *) DATA="$HERE/${SEEN_DATA_DIR#./}" ;;
esac

# dir OWNER MODE
make_dir() {
    mkdir -p "$1"
    chown "$2" "$1"
    chmod "$3" "$1"
}

make_dir "$DATA" root:root 0755
make_dir "$DATA/postgres" 999:999 0700
make_dir "$DATA/minio" 10002:10002 0700
make_dir "$DATA/staging" 10001:10001 0750
make_dir "$DATA/backups" 10001:10001 0700
make_dir "$DATA/caddy" root:root 0755
make_dir "$DATA/caddy/data" 10004:10004 0700
make_dir "$DATA/caddy/config" 10004:10004 0700

random() {  # $1 bytes of randomness, URL- and shell-safe text
    head -c "$1" /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'
}

umask 077
make_dir "$SECRETS" root:root 0755
[ -f "$SECRETS/.gitignore" ] || printf '*\n!.gitignore\n' > "$SECRETS/.gitignore"

# secret NAME OWNER MODE: writes stdin to secrets/NAME unless it exists; always fixes owner and mode.
secret() {
    if [ -s "$SECRETS/$1" ]; then
        cat > /dev/null
        echo "kept      secrets/$1"
    else
        cat > "$SECRETS/$1"
        echo "generated secrets/$1"
    fi
    chown "$2" "$SECRETS/$1"
    chmod "$3" "$SECRETS/$1"
}

# Read back a secret (an existing one wins over a fresh value, so derived files stay consistent).
value() { tr -d '\n' < "$SECRETS/$1"; }

random 32 | secret postgres_password 999:999 0600
printf 'postgresql://seen:%s@postgres:5432/seen\n' "$(value postgres_password)" | secret database_url 10001:10001 0600
random 32 | secret cache_password root:root 0600
printf 'requirepass %s\nsave ""\nappendonly no\nmaxmemory 256mb\nmaxmemory-policy allkeys-lru\n' \
    "$(value cache_password)" | secret cache.conf 10003:10003 0600
printf 'redis://:%s@cache:6379/0\n' "$(value cache_password)" | secret redis_url 10001:10001 0600
random 48 | secret jwt_secret 10001:10001 0600
random 48 | secret stream_secret 10001:10001 0600
# A Fernet key: urlsafe base64 of 32 bytes, with its padding.
head -c 32 /dev/urandom | base64 | tr '+/' '-_' | secret settings_key 10001:10001 0600
random 32 | secret minio_root_password 10002:10002 0600
for name in aws_credentials aws_worker_credentials; do
    printf '[default]\naws_access_key_id = REPLACE_ME\naws_secret_access_key = REPLACE_ME\n' \
        | secret "$name" 10001:10001 0640
done

if [ ! -f "$ENV_FILE" ]; then
    cat > "$ENV_FILE" <<'ENV'
# /seen/ at home: read by `docker compose` (variables only; secrets live in ./secrets).
# The address people type: a public domain (Let's Encrypt), a LAN IP, or a LAN name with SEEN_TLS=internal.
SEEN_SITE_ADDRESS=seen.example.com
# The same address as a URL: presigned media URLs are signed for it.
SEEN_PUBLIC_URL=https://seen.example.com
#SEEN_TLS=internal
#SEEN_ACME_EMAIL=you@example.com
# This e-mail's account is the admin (otherwise the first account to register is).
SEEN_ADMIN_EMAIL=you@example.com
AWS_DEFAULT_REGION=us-east-1
# Your media folders, mounted read-only at /library in the worker.
LIBRARY_PATH=/srv/media
#SEEN_DATA_DIR=./data
#SEEN_WEB_WORKERS=4
ENV
    chmod 0644 "$ENV_FILE"
    echo "wrote     .env (edit SEEN_SITE_ADDRESS and SEEN_PUBLIC_URL)"
fi

echo "data in $DATA; put the AWS keys in secrets/aws_credentials (app) and secrets/aws_worker_credentials (worker)"
