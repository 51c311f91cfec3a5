#!/usr/bin/env bash
# A production install works: a fresh virtualenv from requirements.txt ONLY (as the Dockerfile builds it) can run
# migrations, start a Celery worker against Redis, run a job end to end through the outbox, and serve the WSGI app
# under gunicorn with gunicorn.conf.py. Runs inside .ci/services.sh (DATABASE_URL, CELERY_BROKER_URL set).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK="$(mktemp -d /tmp/osce-prod-install.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== fresh virtualenv from requirements.txt only"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --upgrade pip
"$WORK/venv/bin/pip" install -q -r requirements.txt -c constraints.txt
PY="$WORK/venv/bin/python"
# The Redis transport's own imports: the failure the plain `celery` pin had (no `packaging`).
"$PY" -c "import kombu.transport.redis, packaging, redis; print('kombu redis transport importable')"

db_base="${DATABASE_URL%/*}"
redis_base="${CELERY_BROKER_URL%/*}"
export DATABASE_URL="$db_base/osce_prod_install"
export CELERY_BROKER_URL="$redis_base/5"
export REDIS_URL="$redis_base/6"
export DJANGO_SETTINGS_MODULE=osce_tnt.settings DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECRET_KEY="production-install-check-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_MEDIA_ROOT="$WORK/media" DJANGO_STATIC_ROOT="$WORK/static"
export CELERY_BEAT_SCHEDULE_FILENAME="$WORK/celerybeat" PORTAL_SERVICE_HEARTBEAT_SECONDS=2

"$PY" - <<'PYEOF'
import os, psycopg2
from urllib.parse import urlparse
url = urlparse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(host=url.hostname, port=url.port, user=url.username or "postgres", dbname="postgres")
conn.autocommit = True
with conn.cursor() as cursor:
    cursor.execute("DROP DATABASE IF EXISTS osce_prod_install")
    cursor.execute("CREATE DATABASE osce_prod_install")
PYEOF
"$PY" manage.py migrate --noinput -v0

echo "== Celery worker from the production install"
"$WORK/venv/bin/celery" -A osce_tnt worker --loglevel=WARNING --concurrency=1 --without-gossip --without-mingle \
  >"$WORK/worker.log" 2>&1 &
pids+=($!)

echo "== one job end to end: enqueue_on_commit -> outbox -> Redis -> worker"
if ! "$PY" - <<'PYEOF'
import time
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from programmes.events import tasks
from programmes.events.models import CalendarBundle
from programmes.jobs import enqueue_on_commit
from programmes.models import OutboxJob

with transaction.atomic():
    today = timezone.localdate()
    bundle = CalendarBundle.objects.create(period_start=today.replace(day=1), period_end=today)
    enqueue_on_commit(tasks.build_calendar_bundle, bundle.pk)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    bundle.refresh_from_db()
    job = OutboxJob.objects.get(args=[bundle.pk])
    if bundle.status in ("done", "failed") and job.done_at:
        break
    time.sleep(0.5)
print("bundle", bundle.status, bundle.error or "", "| outbox sent", bool(job.sent_at), "done", bool(job.done_at))
raise SystemExit(0 if bundle.status == "done" and job.done_at else 1)
PYEOF
then
  echo "the job did not run; worker log:"; tail -50 "$WORK/worker.log"; exit 1
fi

echo "== WSGI app under gunicorn"
"$WORK/venv/bin/gunicorn" --check-config -c gunicorn.conf.py osce_tnt.wsgi:application
"$PY" manage.py collectstatic --noinput -v0
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=1 GUNICORN_ACCESSLOG="$WORK/access.log" \
  "$WORK/venv/bin/gunicorn" -c gunicorn.conf.py osce_tnt.wsgi:application >"$WORK/web.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  if "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz?require=database,cache,broker,worker', timeout=3)" 2>/dev/null; then
    echo "healthz 200 with database, cache, broker and worker up"
    echo "production install OK"
    exit 0
  fi
  sleep 1
done
echo "gunicorn did not answer /healthz with 200"; tail -30 "$WORK/web.log"; exit 1
