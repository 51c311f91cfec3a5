# Production image of the TNT co-ordination portal: gunicorn (web), celery worker and celery beat all run from it.
# Build: docker build -t osce-tnt .   Run: see docker-compose.yml (all configuration comes from the environment).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_MEDIA_ROOT=/app/media \
    CELERY_BEAT_SCHEDULE_FILENAME=/app/.tmp/beat/celerybeat

# WeasyPrint renders PDFs with Pango and HarfBuzz; DejaVu covers Latin and Cyrillic (English and Russian UI).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libharfbuzz0b fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 tnt \
    && useradd --system --uid 10001 --gid tnt --home-dir /app --no-create-home --shell /usr/sbin/nologin tnt

WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

COPY . .
# Static files are collected into the image (WhiteNoise serves them with hashed names). The settings refuse to
# load without a secret key when DEBUG is off, so the build uses a random throwaway key that is never stored.
RUN DJANGO_DEBUG=0 DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput -v0 \
    && rm -f /tmp/collectstatic.sqlite3 \
    && mkdir -p /app/media /app/.tmp/beat \
    && chown -R tnt:tnt /app/media /app/.tmp

USER tnt
EXPOSE 8000

# /healthz is exempt from the HTTPS redirect; the Host header must be one of DJANGO_ALLOWED_HOSTS.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; host = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip(); sys.exit(0 if u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=8).status == 200 else 1)"]

CMD ["gunicorn", "osce_tnt.wsgi:application", "-c", "gunicorn.conf.py"]
