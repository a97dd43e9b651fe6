from django.core.management.base import BaseCommand

from faireavec.core.demo import DEMO_PASSWORD
from faireavec.organisations.demo import demo_build_all


class Command(BaseCommand):
    help = "Create (or complete) the demo organisations and their data. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true", help="A few rows of each kind only.")

    def handle(self, *args, small: bool = False, **options):
        contexts = demo_build_all(small=small)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for ctx in contexts:
            org = ctx.organisation
            self.stdout.write(self.style.SUCCESS(f"{org.name} — /{org.slug}/"))
            for role, user in ctx.users.items():
                self.stdout.write(f"  {role:<12} {user.email}")
