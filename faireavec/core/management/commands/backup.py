from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from faireavec.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's online backup), the private files "
        "and the media into a new folder under FOLDER, with a manifest of every "
        "table's row count and checksum. Safe while the platform runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            target = backup_create(folder=folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
