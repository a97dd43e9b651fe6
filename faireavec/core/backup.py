"""Backups of the whole platform, and their restore, checked table by table.

A backup is a folder holding:
- the database: `database.dump` (PostgreSQL, `pg_dump` custom format) or
  `database.sqlite3` (SQLite's online backup: safe while the platform runs);
- the files: `private.tar.gz` (exports, uploads: PRIVATE_STORAGE_ROOT) and
  `media.tar.gz` (MEDIA_ROOT);
- `manifest.json`: each table's row count and checksum, read from the same
  snapshot as the dump (PostgreSQL: an exported snapshot shared with `pg_dump`;
  SQLite: the copy itself), and each file folder's file count and checksum.

`backup_restore` puts a backup back into an empty database and empty folders,
then reads the restored tables and files again and compares them with the
manifest: a restore that does not give back every row and every file fails.
Commands: `manage.py backup <folder>` and `manage.py restore <backup>`.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from faireavec.core.storage import private_storage_root

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Difference:
    what: str
    expected: object
    found: object


# Tables ----------------------------------------------------------------------


def _postgres_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def postgres_manifest(cursor) -> dict[str, dict]:
    """Row count and checksum of every table, in the cursor's transaction."""
    tables = {}
    for table in _postgres_tables(cursor):
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608 -- table names read from pg_tables
        )
        count, checksum = cursor.fetchone()
        tables[table] = {"rows": count, "checksum": checksum}
    return tables


def sqlite_manifest(path: Path) -> dict[str, dict]:
    """Row count and checksum of every table of the SQLite file at `path`."""
    tables = {}
    with sqlite3.connect(path) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in names:
            digest = hashlib.md5(usedforsecurity=False)
            rows = 0
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY 1'):  # noqa: S608 -- names from sqlite_master
                digest.update(repr(row).encode())
                rows += 1
            tables[table] = {"rows": rows, "checksum": digest.hexdigest()}
    return tables


# Files -----------------------------------------------------------------------


def folder_manifest(root: Path) -> dict:
    """File count and one checksum over every file's path and content."""
    digest = hashlib.sha256()
    count = 0
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
            count += 1
    return {"files": count, "checksum": digest.hexdigest()}


def _folders() -> dict[str, Path]:
    return {"private": private_storage_root(), "media": Path(settings.MEDIA_ROOT)}


def _archive(root: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        if root.exists():
            archive.add(root, arcname=".")


def _unpack(archive_path: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(root, filter="data")


# Backup ----------------------------------------------------------------------


def _postgres_url(settings_dict: dict, name: str | None = None) -> list[str]:
    """pg_dump/pg_restore connection options for a Django database."""
    options = ["--dbname", name or settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        options += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        options += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        options += ["--username", settings_dict["USER"]]
    return options


def _client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(f"{program} is not installed (Debian package postgresql-client).")
    return path


def _postgres_env(settings_dict: dict) -> dict:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def backup_create(*, folder: Path, using: str = "default") -> Path:
    """Write a backup of the database and the files into a new folder under
    `folder`; returns it."""
    target = Path(folder) / f"faireavec-{timezone.now():%Y%m%d-%H%M%S-%f}"
    target.mkdir(parents=True)
    connection = connections[using]
    manifest = {"created_at": timezone.now().isoformat(), "vendor": connection.vendor}
    if connection.vendor == "postgresql":
        manifest["tables"] = _postgres_backup(connection, target / "database.dump")
    elif connection.vendor == "sqlite":
        copy = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as destination:
            connection.connection.backup(destination)
        manifest["tables"] = sqlite_manifest(copy)
    else:
        raise BackupError(f"No backup for the {connection.vendor} database.")
    manifest["folders"] = {}
    for name, root in _folders().items():
        _archive(root, target / f"{name}.tar.gz")
        manifest["folders"][name] = folder_manifest(root)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


def _postgres_backup(connection, dump: Path) -> dict:
    """Dump the database and read its manifest from one snapshot: rows written
    while the backup runs are in neither."""
    import psycopg

    params = connection.get_connection_params()
    # The exported snapshot lives as long as this transaction.
    with (
        psycopg.connect(**params, autocommit=True) as snapshot_holder,
        snapshot_holder.transaction(),
    ):
        cursor = snapshot_holder.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        result = subprocess.run(  # noqa: S603 -- PostgreSQL's own client, options from settings
            [
                _client("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(dump),
                *_postgres_url(connection.settings_dict),
            ],
            env=_postgres_env(connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return postgres_manifest(cursor)


# Restore ---------------------------------------------------------------------


def backup_read_manifest(backup: Path) -> dict:
    try:
        return json.loads((Path(backup) / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{backup} is not a FaireAvec backup: {exc}") from exc


def backup_restore(
    *,
    backup: Path,
    database: dict,
    folders: dict[str, Path] | None = None,
) -> list[Difference]:
    """Restore `backup` into `database` (a Django DATABASES entry, whose database
    exists and is empty, or a SQLite file path that does not exist yet) and into
    `folders` (default: this platform's private and media folders, which must be
    empty); returns what differs from the manifest (nothing: the restore is whole)."""
    backup = Path(backup)
    manifest = backup_read_manifest(backup)
    folders = folders or _folders()
    for name, root in folders.items():
        if root.exists() and any(root.iterdir()):
            raise BackupError(f"The {name} folder {root} is not empty.")
    if manifest["vendor"] == "postgresql":
        restored_tables = _postgres_restore(backup / "database.dump", database)
    else:
        path = Path(database["NAME"])
        if path.exists() and path.stat().st_size:
            raise BackupError(f"The database file {path} already exists.")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup / "database.sqlite3", path)
        restored_tables = sqlite_manifest(path)
    for name, root in folders.items():
        _unpack(backup / f"{name}.tar.gz", root)
    differences = _compare("table", manifest["tables"], restored_tables)
    restored_folders = {name: folder_manifest(root) for name, root in folders.items()}
    differences += _compare("folder", manifest["folders"], restored_folders)
    return differences


def _postgres_restore(dump: Path, database: dict) -> dict:
    import psycopg

    result = subprocess.run(  # noqa: S603 -- PostgreSQL's own client, options from settings
        [
            _client("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            *_postgres_url(database),
            str(dump),
        ],
        env=_postgres_env(database),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as restored:
        return postgres_manifest(restored.cursor())


def _compare(kind: str, expected: dict, found: dict) -> list[Difference]:
    differences = []
    for name in sorted(set(expected) | set(found)):
        if expected.get(name) != found.get(name):
            differences.append(Difference(f"{kind} {name}", expected.get(name), found.get(name)))
    return differences
