"""Backups: the PostgreSQL database as a pg_dump custom-format archive plus a tar of MEDIA_ROOT, and a manifest of
what they hold (rows per model, every stored file with its size and SHA-256) so a restore can prove it is complete.

Used by ``manage.py backup`` / ``manage.py restore`` (``make backup`` / ``make restore``)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, transaction

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Database:
    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def default(cls) -> Database:
        config = settings.DATABASES["default"]
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError(
                "Backups need PostgreSQL (DATABASE_URL=postgres://...); the SQLite demo is one file: copy db.sqlite3."
            )
        return cls(
            config["NAME"],
            config.get("USER") or "",
            config.get("PASSWORD") or "",
            str(config.get("HOST") or ""),
            str(config.get("PORT") or ""),
        )

    def args(self) -> list[str]:
        args = ["--dbname", self.name]
        if self.user:
            args += ["--username", self.user]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        return args

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def _tool(name: str) -> str:
    """pg_dump must be at least the server's version: prefer PG_BIN, then the PostgreSQL 15 the portal targets."""
    for folder in (os.environ.get("PG_BIN"), "/usr/lib/postgresql/15/bin"):
        if folder and (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found; install the PostgreSQL client or set PG_BIN")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is a fixed PostgreSQL tool with arguments from settings, never from a request.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inventory() -> dict:
    """What the database and the file store hold now."""
    rows = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    media = Path(settings.MEDIA_ROOT)
    files = {}
    if media.is_dir():
        for path in sorted(p for p in media.rglob("*") if p.is_file()):
            files[str(path.relative_to(media))] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    return {"rows": rows, "files": files}


def backup(output: Path) -> dict:
    output.mkdir(parents=True, exist_ok=True)
    database = Database.default()
    # The manifest and the dump see the same snapshot: rows written meanwhile are in neither, so the restore check
    # holds on a live portal too.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        manifest = inventory()
        # Custom format: compressed, restorable table by table, and pg_restore can --clean an existing database.
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(output / DUMP_NAME),
                *database.args(),
            ],
            database.env(),
        )
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(output / MEDIA_NAME, "w:gz") as archive:
        if media.is_dir():
            for name in list(manifest["files"]):
                if (media / name).is_file():
                    archive.add(media / name, arcname=name)
                else:  # deleted since it was listed: it is not in the backup, so the manifest must not claim it
                    del manifest["files"][name]
    (output / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore(source: Path) -> dict:
    """Restore the database and the files of a backup over the configured ones, then compare with the manifest.
    Returns what differs (empty when the restore is complete)."""
    for name in (DUMP_NAME, MEDIA_NAME, MANIFEST_NAME):
        if not (source / name).is_file():
            raise BackupError(f"{source / name} is missing: not a backup folder")
    database = Database.default()
    connections.close_all()
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            *database.args(),
            str(source / DUMP_NAME),
        ],
        database.env(),
    )
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_NAME, "r:gz") as archive:
        archive.extractall(media, filter="data")  # "data" refuses absolute paths and links out of MEDIA_ROOT
    return compare(json.loads((source / MANIFEST_NAME).read_text()), inventory())


def compare(expected: dict, actual: dict) -> dict:
    rows = {
        label: (count, actual["rows"].get(label))
        for label, count in expected["rows"].items()
        if actual["rows"].get(label) != count
    }
    files = sorted(name for name, meta in expected["files"].items() if actual["files"].get(name) != meta)
    return {key: value for key, value in (("rows", rows), ("files", files)) if value}
