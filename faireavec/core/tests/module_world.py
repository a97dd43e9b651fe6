"""Data built once for a whole test module (the demo, for the page walks)."""

from contextlib import contextmanager

from faireavec.accounts.models import User
from faireavec.organisations.models import Organisation


@contextmanager
def module_world(django_db_blocker):
    """Build inside this block what a module-scoped fixture needs, then yield it.

    Such data lives outside the per-test transactions: whatever the block added,
    organisations (with everything they own) and people, is removed at the end, so
    the tests that run next in the same process find the database as they expect.
    """
    with django_db_blocker.unblock():
        users = set(User.objects.values_list("pk", flat=True))
        organisations = set(Organisation.objects.values_list("pk", flat=True))
        try:
            yield
        finally:
            Organisation.objects.exclude(pk__in=organisations).delete()
            User.objects.exclude(pk__in=users).delete()
