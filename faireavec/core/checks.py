"""System checks of core.

core's own views need permissions that depend on roles (`core.view_auditentry`
for the activity log, `core.view_backgroundjob` for jobs…), but roles belong to
`organisations`, above core. So core only *names* the permissions its views
require, and the app that knows the roles registers their rules (django-rules'
registry, filled in organisations/rules.py). This check makes the arrangement
safe: every permission a routed view declares with `@permission_required` must
have a rule, or `manage.py check` (and so runserver and the test suite) fails —
a forgotten rule would otherwise deny everyone silently.
"""

from collections.abc import Iterator

import rules
from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver


def _declared_permissions(patterns) -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _declared_permissions(p.url_patterns)
        elif isinstance(p, URLPattern):
            perm = getattr(p.callback, "permission_required", None)
            if perm:
                yield perm, p.lookup_str


@checks.register(checks.Tags.security)
def check_view_permissions_have_rules(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"The view {view} requires the permission {perm!r}, which no rules.py registers.",
            hint="Add rules.add_perm(...) in the rules.py of the app that knows the roles.",
            id="faireavec.E001",
        )
        for perm, view in sorted(set(_declared_permissions(get_resolver().url_patterns)))
        if not rules.perm_exists(perm)
    ]
