# syntax=docker/dockerfile:1
# One image for web, worker and beat (docker-compose.yml picks the command).
# Untested here: Docker does not run on the machines this was written on.

# --- Front-end assets: GOV.UK Frontend compiled with the council's settings ------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
RUN npm run build

# --- Application ------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cre_portal.settings.base

# Pango and HarfBuzz for WeasyPrint PDFs; Liberation Sans is metric-compatible with Arial.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin app

WORKDIR /app
# Dependencies first, so a code change does not reinstall them. pyproject lists no packages,
# so this installs the dependencies only; the code runs from /app.
COPY pyproject.toml ./
RUN pip install .

# Code and built assets stay owned by root: the app user can read them, not change them.
COPY . .
COPY --from=assets /src/static/build ./static/build
# The dummy values only satisfy settings at build time; nothing connects to them.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret \
    DATABASE_URL=postgres://unused@localhost/unused \
    python manage.py collectstatic --noinput --verbosity 0

USER app
EXPOSE 8000
# Bind address only here: behind a reverse proxy, set FORWARDED_ALLOW_IPS to its address.
CMD ["gunicorn", "--config", "cre_portal/gunicorn.conf.py", "--bind", "0.0.0.0:8000", \
     "cre_portal.wsgi:application"]
