"""Verify assemblies' hash chains and ballot seals; name the first broken link.

    manage.py governance_verify            # every assembly
    manage.py governance_verify 12 15      # these assemblies

Exits with an error (status 1) at the first assembly whose chain is broken.
"""

from django.core.management.base import BaseCommand, CommandError

from faireavec.governance.chain import chain_verify
from faireavec.governance.models import Assembly


class Command(BaseCommand):
    help = "Verify the hash chain and the ballot seal of assemblies; name the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("assembly", nargs="*", type=int, help="assembly ids (default: all)")

    def handle(self, *args, **options):
        assemblies = Assembly.objects.exclude(status=Assembly.Status.DRAFT).order_by("pk")
        if options["assembly"]:
            assemblies = assemblies.filter(pk__in=options["assembly"])
        checked = 0
        for assembly in assemblies.select_related("organisation"):
            check = chain_verify(assembly=assembly)
            if not check.ok:
                raise CommandError(
                    f"Assembly {assembly.pk} « {assembly.title} » ({assembly.organisation.slug}): "
                    f"broken at entry {check.broken_seq}: {check.reason}."
                )
            checked += 1
            self.stdout.write(
                f"Assembly {assembly.pk} « {assembly.title} »: {check.entries} entries, intact."
            )
        self.stdout.write(self.style.SUCCESS(f"{checked} assemblies verified."))
