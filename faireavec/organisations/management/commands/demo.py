from django.core.management.base import BaseCommand

from faireavec.core.demo import DEMO_PASSWORD
from faireavec.organisations.demo import demo_build


class Command(BaseCommand):
    help = "Create (or complete) the demo organisation and its data. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true", help="A few rows of each kind only.")

    def handle(self, *args, small: bool = False, **options):
        ctx = demo_build(small=small)
        org = ctx.organisation
        self.stdout.write(self.style.SUCCESS(f"Demo organisation: {org.name} — /{org.slug}/"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, user in ctx.users.items():
            self.stdout.write(f"  {role:<12} {user.email}")
