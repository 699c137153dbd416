# opvang: the API and the dashboard in one small image, run as a non-root user.
# Build: docker build -t opvang .   Run: docker run -p 8000:8000 -e OPVANG_SECRET_KEY=... \
#   -e OPVANG_ENVIRONMENT=production -e OPVANG_DATABASE_URL=postgresql+psycopg://... opvang
# It migrates, then serves API + dashboard on port 8000 (README, "Running").
# Lint: make hadolint (.hadolint.yaml).

# 1. The dashboard: `npm ci && npm run build` writes frontend/dist (Node only in this stage).
FROM node:20-slim AS dashboard
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# 2. The Python environment: the pinned runtime dependencies (requirements.lock as
#    constraints: no test or lint tools) and the package, in a virtualenv.
FROM python:3.11-slim AS python-deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv/opvang
RUN python -m venv /opt/venv
COPY pyproject.toml requirements.lock README.md ./
COPY api ./api
# Editable, so the package finds alembic.ini, migrations/ and frontend/dist beside it
# (the same /srv/opvang path in the final stage).
RUN /opt/venv/bin/pip install --no-cache-dir -c requirements.lock -e .

# 3. The image: the virtualenv, the code, the migrations and the built dashboard.
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    OPVANG_ENVIRONMENT=production
WORKDIR /srv/opvang
RUN groupadd --system --gid 10001 opvang \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin opvang
COPY --from=python-deps /opt/venv /opt/venv
COPY --from=python-deps /srv/opvang ./
COPY alembic.ini ./
COPY migrations ./migrations
COPY --from=dashboard /build/frontend/dist ./frontend/dist
RUN mkdir data && chown 10001:10001 data
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=2).status != 200)"]
# Migrations first, then the server; several workers share state through the database.
CMD ["sh", "-c", "opvang migrate && exec opvang serve --host 0.0.0.0 --port 8000 --workers ${OPVANG_WORKERS:-2}"]
