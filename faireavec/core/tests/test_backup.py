"""Backup and restore give back every row of every table and every file: the
restore is compared with the backup's manifest (row counts and checksums), and
with the live database the backup was made from."""

import sqlite3

import psycopg
import pytest
from django.db import connection

from faireavec.core.backup import (
    BackupError,
    backup_create,
    backup_restore,
    folder_manifest,
    postgres_manifest,
    sqlite_manifest,
)
from faireavec.organisations.demo import demo_build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def files(settings, tmp_path):
    """A few private and media files."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "private" / "jobs").mkdir(parents=True)
    (tmp_path / "private" / "jobs" / "export.csv").write_text("a;b\n1;2\n")
    (tmp_path / "media" / "photos").mkdir(parents=True)
    (tmp_path / "media" / "photos" / "p.jpg").write_bytes(bytes(range(256)) * 40)
    return tmp_path


@pytest.fixture
def platform(files):
    """The demo (small) and the files."""
    demo_build(small=True)
    return files


def restored_folders(tmp_path):
    return {"private": tmp_path / "r-private", "media": tmp_path / "r-media"}


def test_sqlite_backup_restores_every_row_and_file(platform):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup (the PostgreSQL one is tested below)")
    backup = backup_create(folder=platform / "backups")
    target = platform / "restored.sqlite3"
    differences = backup_restore(
        backup=backup, database={"NAME": str(target)}, folders=restored_folders(platform)
    )
    assert differences == []
    tables = sqlite_manifest(target)
    assert tables["organisations_organisation"]["rows"] == 2
    assert tables["contributions_contribution"]["rows"] > 0
    assert folder_manifest(platform / "r-media")["files"] == 1
    assert (platform / "r-private" / "jobs" / "export.csv").read_text() == "a;b\n1;2\n"

    # Someone edits the backup's database after it was made: the restore says so.
    with sqlite3.connect(backup / "database.sqlite3") as db:
        db.execute(
            "DELETE FROM contributions_contribution "
            "WHERE id = (SELECT min(id) FROM contributions_contribution)"
        )
    again = platform / "again"
    differences = backup_restore(
        backup=backup,
        database={"NAME": str(again / "restored.sqlite3")},
        folders={"private": again / "private", "media": again / "media"},
    )
    assert [d.what for d in differences] == ["table contributions_contribution"]


def test_a_restore_refuses_a_folder_that_is_not_empty(files):
    platform = files
    backup = backup_create(folder=platform / "backups")
    folders = restored_folders(platform)
    folders["media"].mkdir()
    (folders["media"] / "left.txt").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(
            backup=backup, database={"NAME": str(platform / "x.sqlite3")}, folders=folders
        )


@pytest.mark.postgres
def test_postgres_backup_restores_every_row_and_file(platform):
    live = connection.settings_dict
    backup = backup_create(folder=platform / "backups")
    restored_name = f"{live['NAME']}_restored"
    admin = {"host": live["HOST"], "port": live["PORT"], "user": live["USER"], "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        conn.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        differences = backup_restore(
            backup=backup,
            database={**live, "NAME": restored_name},
            folders=restored_folders(platform),
        )
        assert differences == []
        # And the restored database is the live one, table by table.
        with connection.cursor() as cursor:
            live_tables = postgres_manifest(cursor.cursor)
        with psycopg.connect(**{**admin, "dbname": restored_name}) as restored:
            assert postgres_manifest(restored.cursor()) == live_tables
        assert live_tables["organisations_organisation"]["rows"] == 2
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
