# Northstar container image. Build: docker build -t northstar .
# Run (Socket Mode): docker run --env-file .env -v northstar-data:/data northstar
# Run (HTTP mode):   docker run --env-file .env -p 3000:3000 -v northstar-data:/data northstar
# NORTHSTAR_SECRET_KEY and the Slack variables must be in that environment (see README.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --user-group northstar

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY scheduler ./scheduler
COPY fakeslack ./fakeslack
RUN pip install --no-cache-dir . \
    && mkdir /data \
    && chown northstar:northstar /data

# SQLite lives on the /data volume unless DATABASE_URL points elsewhere (e.g. PostgreSQL).
# NORTHSTAR_SECRET_KEY must come from the environment: the image has no writable .env to
# generate it into, and a key that died with a container would be lost for good.
ENV DATABASE_URL=sqlite+aiosqlite:////data/northstar.db \
    PORT=3000
VOLUME ["/data"]

USER northstar
EXPOSE 3000

# Probes GET /healthz (200 while the database answers), served on PORT in both modes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${PORT:-3000}/healthz', timeout=4).status == 200 else 1)"

# `northstar run` upgrades the database schema before it starts serving.
CMD ["northstar", "run"]
