"""Tell administrators about overdue complaints, once each. Run it daily (cron)."""

from django.core.management.base import BaseCommand

from faireavec.contributions.services import contributions_escalate_overdue
from faireavec.organisations.models import Organisation


class Command(BaseCommand):
    help = "Escalate overdue complaints to each organisation's administrators (once each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="Only this organisation (its slug).")

    def handle(self, *args, **options) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
        total = 0
        for organisation in organisations.iterator():
            escalated = contributions_escalate_overdue(organisation=organisation)
            if escalated:
                self.stdout.write(f"{organisation.slug}: {len(escalated)}")
            total += len(escalated)
        self.stdout.write(self.style.SUCCESS(f"Escalated: {total}"))
