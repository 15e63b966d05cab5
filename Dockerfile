# Northstar container image. Build: docker build -t northstar .
# Run (Socket Mode): docker run --env-file .env -v northstar-data:/data northstar
# Run (HTTP mode):   docker run --env-file .env -p 3000:3000 -v northstar-data:/data northstar
# NORTHSTAR_SECRET_KEY and the Slack variables must be in that environment (see README.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed uid and gid, so the USER below is numeric (Kubernetes' runAsNonRoot can check it).
RUN groupadd --gid 10001 northstar \
    && useradd --uid 10001 --gid 10001 --create-home northstar \
    && mkdir /data \
    && chown 10001:10001 /data

WORKDIR /app

# The dependencies first, exactly as locked (versions and hashes), as `make run` installs them:
# this layer is rebuilt only when requirements.lock changes, not for every change of the code.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

# Then Northstar itself, without resolving anything again.
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY scheduler ./scheduler
COPY fakeslack ./fakeslack
RUN pip install --no-cache-dir --no-deps .

# SQLite lives on the /data volume unless DATABASE_URL points elsewhere (e.g. PostgreSQL).
# NORTHSTAR_SECRET_KEY must come from the environment: the image has no writable .env to
# generate it into, and a key that died with a container would be lost for good.
ENV DATABASE_URL=sqlite+aiosqlite:////data/northstar.db \
    PORT=3000
VOLUME ["/data"]

USER 10001:10001
EXPOSE 3000

# Probes GET /healthz (200 while the database answers), served on PORT in both modes. Exec
# form, no shell: PORT is read in Python; any error (refused, timeout, 503) exits non-zero.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'); sys.exit(0 if urllib.request.urlopen(url, timeout=4).status == 200 else 1)"]

# `northstar run` upgrades the database schema before it starts serving. SIGTERM ends it
# gracefully and running jobs get up to 20 seconds, more than `docker stop` waits by default
# (10 s) before SIGKILL: use `docker stop -t 30` (docker-compose.yml sets stop_grace_period).
CMD ["northstar", "run"]
