"""make backup / make restore: a backup restored into an empty database and an empty file store has every row and
every stored file."""

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.reliability.helpers import request_report, submitted_report
from tests.reliability.stack import PYTHON, ROOT, wait_for

pytestmark = pytest.mark.reliability
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
TABLES = [
    "auth_user",
    "programmes_project",
    "programmes_event",
    "programmes_activityreport",
    "programmes_reportattachment",
    "reporting_generatedreport",
    "focal_points_focalpoint",
    "taskforces_meeting",
]


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def _counts(stack, database: str) -> dict[str, int]:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=stack.cluster.port, user="postgres", dbname=database)
    try:
        with conn.cursor() as cursor:
            counts = {}
            for table in TABLES:
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


def test_backup_and_restore(make_stack, tmp_path):
    stack = make_stack().start(beat=False)
    report = submitted_report(stack, submit=False)
    upload = stack.api("field").post(
        stack.url(f"/api/activity-reports/{report}/attachments/"),
        files={"file": ("photo.png", PNG, "image/png")},
        timeout=30,
    )
    assert upload.status_code == 201, upload.text
    generated = request_report(stack).json()["id"]
    wait_for(
        lambda: stack.scalar("SELECT status FROM reporting_generatedreport WHERE id = %s", (generated,)) == "done",
        timeout=90,
        what="the report files",
    )
    before_rows, before_files = _counts(stack, stack.database), _files(stack.media_root)
    assert len(before_files) >= 4  # the attachment and the report's PDF, XLSX and CSV

    backup = tmp_path / "backup"
    subprocess.run(
        [PYTHON, "manage.py", "backup", "--output", str(backup)],
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
    )
    empty = f"{stack.database}_restored"
    stack.cluster.execute(f"CREATE DATABASE {empty}")
    restored_media = tmp_path / "restored-media"
    env = {**stack.env, "DATABASE_URL": stack.cluster.url(empty), "DJANGO_MEDIA_ROOT": str(restored_media)}
    result = subprocess.run(
        [PYTHON, "manage.py", "restore", str(backup)], cwd=ROOT, env=env, capture_output=True, text=True
    )

    try:
        assert result.returncode == 0, result.stderr
        assert "every row count and file matches" in result.stdout
        assert _counts(stack, empty) == before_rows
        assert _files(restored_media) == before_files
    finally:
        stack.cluster.execute(f"DROP DATABASE IF EXISTS {empty} WITH (FORCE)")
