# The /seen/ control plane at home (compose profile `at-home`): `python -m server` (gunicorn) serves
# the built SPA and the Chalice app; the same image runs the event pump and scheduler
# (`python -m embedded.pump`) that play Lambda's part. No secret is baked in: they arrive as files.

FROM node:20.19.5-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11.13-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app:/app/localstack

# pg_dump/psql for `python -m server.backup` (Debian 12's client: the same major as the postgres service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15=15.* \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt requirements-server.txt ./
# chalice: the app object and the event-source decorators the pump reads; croniter: the scheduler's cron.
RUN pip install -r requirements.txt -r requirements-server.txt chalice==1.34.0 croniter==7.0.0

COPY app.py ./
COPY .chalice/ .chalice/
COPY chalicelib/ chalicelib/
COPY server/ server/
COPY localstack/embedded/ localstack/embedded/
COPY --from=spa /src/frontend/dist/ /app/dist/

RUN useradd --no-log-init --create-home --uid 10001 --user-group seen
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health/live', timeout=4)"]

STOPSIGNAL SIGTERM
CMD ["python", "-m", "server", "--bind", "0.0.0.0:8000", "--workers", "4", "--migrate", "--dist", "/app/dist"]
