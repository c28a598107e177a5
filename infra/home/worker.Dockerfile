# The /seen/ home-server worker: downloads (libtorrent, httpx), scanner (guessit, ffprobe), uploads.
FROM python:3.11.13-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# ffmpeg/ffprobe probe media and remux MKV to MP4 without re-encoding; fpcalc (chromaprint) fingerprints the
# audio that finds a season's shared intro and credits.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg=7:5.1.* libchromaprint-tools=1.5.1-* \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY worker/requirements.txt worker/requirements.txt
RUN pip install -r worker/requirements.txt

# Only what the worker runs: never the Postgres layer.
COPY chalicelib/__init__.py chalicelib/aws.py chalicelib/logs.py \
     chalicelib/messages.py chalicelib/telemetry.py chalicelib/streamtoken.py chalicelib/jsondepth.py chalicelib/
COPY chalicelib/config/ chalicelib/config/
COPY chalicelib/egress/ chalicelib/egress/
# /metrics on the Range server: the names and the Prometheus registry, not the Redis buckets (no cache client here);
# the stream spans over OTLP when SEEN_OTLP_ENDPOINT is set
COPY chalicelib/observability/__init__.py chalicelib/observability/access.py chalicelib/observability/names.py \
     chalicelib/observability/prom.py chalicelib/observability/tracing.py chalicelib/observability/otlp.py \
     chalicelib/observability/
COPY chalicelib/library/__init__.py chalicelib/library/naming.py chalicelib/library/naming_folders.py \
     chalicelib/library/naming_rules.py chalicelib/library/naming_stems.py chalicelib/library/naming_brackets.py \
     chalicelib/library/
COPY worker/ worker/

RUN useradd --no-log-init --create-home --uid 10001 --user-group seen \
    && mkdir -p /data/staging \
    && chown -R seen:seen /data
USER 10001:10001

# Healthy while the heartbeat loop keeps reaching DynamoDB.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "worker.healthcheck"]

STOPSIGNAL SIGTERM
CMD ["python", "-m", "worker"]
