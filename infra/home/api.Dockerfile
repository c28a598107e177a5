# The /seen/ control plane served at home (the `at-home` compose profile): the
# Chalice app; the same image runs the event pump and scheduler that play Lambda's part.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app:/app/localstack

WORKDIR /app
COPY requirements.txt requirements-dev.txt ./
COPY worker/requirements.txt worker/requirements.txt
RUN pip install "pip<26.3" && pip install -r requirements.txt chalice==1.34.0 croniter==7.0.0

COPY app.py ./
COPY .chalice/ .chalice/
COPY chalicelib/ chalicelib/
COPY localstack/embedded/ localstack/embedded/

RUN useradd --create-home --uid 10001 seen
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health/live', timeout=4)"]

# The `events` compose service runs this image with `python -m embedded.pump` instead.
CMD ["sh", "-c", "python -m chalicelib.db.migrate && exec python -m embedded.chalice_local --project-dir /app --stage local --host 0.0.0.0 --port 8000"]
