"""`manage.py sortition_verify <file>`: re-run a draw from its downloaded file.

Needs no database: the file holds the volunteers (by number), their profiles,
the lottery and the seed; the procedure is in faireavec/sortition/verify.py and
docs/sortition.md. The same works without Django:
`python -m faireavec.sortition.verify <file>`.
"""

from django.core.management.base import BaseCommand, CommandError

from faireavec.sortition.verify import verify_file


class Command(BaseCommand):
    help = "Re-run a draw from its file and say whether it gives the recorded panel."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the draw file (JSON) downloaded from the results page")

    def handle(self, *args, **options):
        try:
            same = verify_file(options["file"], out=self.stdout)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"cannot read the draw file: {exc}") from exc
        if not same:
            raise CommandError("the file does not give the panel it records")
