from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from faireavec.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this platform's database "
        "(an empty PostgreSQL database, or a SQLite file that does not exist yet) and "
        "its empty file folders, then compare every table and folder with the "
        "backup's manifest; fails if anything differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)

    def handle(self, *args, backup: Path, **options):
        connections["default"].close()
        try:
            differences = backup_restore(
                backup=backup, database=connections["default"].settings_dict
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            for difference in differences:
                self.stderr.write(
                    f"{difference.what}: expected {difference.expected}, found {difference.found}"
                )
            raise CommandError(
                f"The restore differs from the backup in {len(differences)} place(s)."
            )
        self.stdout.write(self.style.SUCCESS("Restored; every table and file matches the backup."))
