"""The demo data framework behind `manage.py demo`.

`organisations.demo` builds the demo organisation and its people; then every
other FaireAvec app that has a `demo.py` with `populate(ctx)` adds its own data,
in the order of `settings.FAIREAVEC_APPS`. Each `populate` must be idempotent:
running the demo twice changes nothing (check for existing rows first).

`small=True` makes just a few rows of each kind; tests use it to get one real
object behind every URL (see core/tests/test_tenancy_routes.py).
"""

import random
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.db import transaction

DEMO_PASSWORD = "demo-faireavec-2026"  # noqa: S105 -- printed on purpose, demo only


@dataclass
class DemoContext:
    organisation: object
    users: dict[str, object]  # "admin", "facilitator", "member", "participant", and more
    small: bool = False
    rng: random.Random = field(default_factory=lambda: random.Random(2026))


def demo_populate_apps(ctx: DemoContext) -> list[str]:
    """Let each app add its demo data; returns the apps that did."""
    populated = []
    for app in settings.FAIREAVEC_APPS:
        # core holds this framework; organisations builds the context itself.
        if app in {"faireavec.core", "faireavec.organisations"} or find_spec(f"{app}.demo") is None:
            continue
        module = import_module(f"{app}.demo")
        with transaction.atomic():
            module.populate(ctx)
        populated.append(app)
    return populated


def demo_build(*, small: bool = False) -> DemoContext:
    from faireavec.organisations.demo import build_organisation

    with transaction.atomic():
        ctx = build_organisation(small=small)
    demo_populate_apps(ctx)
    return ctx
