# opvang: the API and the dashboard in one image.
# Build: docker build -t opvang .   Run: docker run -p 8000:8000 -e OPVANG_SECRET_KEY=... \
#   -e OPVANG_ENVIRONMENT=production -e OPVANG_DATABASE_URL=postgresql+psycopg://... opvang
FROM python:3.11-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /srv/opvang
COPY pyproject.toml requirements.lock README.md ./
COPY api ./api
# Editable, so the package finds alembic.ini, migrations/ and frontend/ beside it.
RUN pip install -c requirements.lock -e .
COPY alembic.ini ./
COPY migrations ./migrations
COPY frontend/public ./frontend/public

RUN useradd --system --uid 10001 opvang && mkdir -p data && chown opvang data
USER opvang

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health').status != 200)"
# Migrations first, then the server; several workers share state through the database.
CMD ["sh", "-c", "opvang migrate && opvang serve --host 0.0.0.0 --port 8000 --workers ${OPVANG_WORKERS:-2}"]
