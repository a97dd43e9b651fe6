"""Entry points that each app adds to an organisation's pages.

An app lists its links on its AppConfig, as `public_links` (shown on the
organisation's public home and menu), `backoffice_links` (the back-office
menu) and `personal_links` (a person's own pages in that organisation, listed
under it on « Mon espace »). Each link names the permission it needs on the organisation, so a
person only sees what they can open. Links come in the order of
`FAIREAVEC_APPS`; a link with a higher `weight` goes after those with a lower one
(the audit log closes the back-office menu although core comes first). Adding a module means adding its links to
its own AppConfig, nothing here.

A link may also name `shown_if`, the dotted path of a function
`(*, organisation) -> bool`: a module not set up yet (no published need, no
diagnosis) then stays out of the participants' menu instead of opening on an
empty page. Every page shows the menu, so the answers are not asked on each
page: `shown_answers` asks every declared `shown_if` of the organisation at
once and keeps the answers in the cache (one entry per organisation, for
`settings.MENU_CACHE_SECONDS`, 120 by default, for what changes with time
alone, such as a survey that closes at a date). A service that changes an
answer (publishes the first need, starts the diagnosis, publishes the
charter, adds a site…) calls `menu_changed(organisation=…)`, which forgets
them once its transaction commits. A new check plugs in by being declared: it
is asked with the others, and its app calls `menu_changed` from the services
that change its answer.

An app also lists the first steps of a new organisation (`onboarding_steps`,
`OnboardingStep`), each done when the data says so — a function named by its
dotted path, like `shown_if`, so that the back-office home (in `organisations`)
shows them without importing the apps above it.

An app can also put a small block of its own on the organisation's public home
(`home_includes`) and in the footer of its public pages (`footer_includes`):
`NavInclude(template, permission)` — the follow-up code look-up, for instance.

An app above `processes` (surveys, meetings, sortition, opinions) shows what it
attaches to an initiative on the initiative's page through `initiative_includes`:
`NavInclude("<app>/includes/initiative_<x>.html", "<app>.<perm>")`, the permission
checked on the initiative itself. processes renders each template with `initiative`
and `phases` in the context (`initiative_includes()` below), so it never imports them.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    permission: str | None = None
    description: str = ""
    weight: int = 0
    shown_if: str = ""  # dotted path of `(*, organisation) -> bool`; empty: always


@dataclass(frozen=True)
class OnboardingStep:
    """One first step of a new organisation: `done_if` is the dotted path of a function
    `(*, organisation) -> bool` that reads the data (never a box ticked by hand)."""

    label: str
    url_name: str
    done_if: str
    description: str = ""
    permission: str | None = None
    weight: int = 0


@dataclass(frozen=True)
class ResolvedStep:
    label: str
    url: str
    description: str
    done: bool


@dataclass(frozen=True)
class Onboarding:
    steps: list[ResolvedStep]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def is_complete(self) -> bool:
        return self.done_count == self.total


@dataclass(frozen=True)
class NavInclude:
    template: str
    permission: str | None = None


@dataclass(frozen=True)
class ResolvedLink:
    label: str
    url: str
    description: str
    url_name: str


SIDES = ("public", "backoffice", "personal")


def _declared_links(side: str) -> list[NavLink]:
    declared = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        declared.extend(getattr(config, f"{side}_links", ()))
    return declared


def _declared_checks() -> set[str]:
    return {link.shown_if for side in SIDES for link in _declared_links(side) if link.shown_if}


def _menu_cache_key(organisation_id: int) -> str:
    return f"faireavec:menu:shown-if:{organisation_id}"


def shown_answers(*, organisation) -> dict[str, bool]:
    """Every declared `shown_if` (dotted path) with its answer for `organisation`:
    asked together, kept in the cache until `menu_changed` or the time runs out."""
    key = _menu_cache_key(organisation.pk)
    checks = _declared_checks()
    answers = cache.get(key)
    if answers is None or not checks <= answers.keys():  # a check added since
        answers = {path: bool(import_string(path)(organisation=organisation)) for path in checks}
        cache.set(key, answers, int(getattr(settings, "MENU_CACHE_SECONDS", 120)))
    return answers


def menu_changed(*, organisation) -> None:
    """A `shown_if` answer of `organisation` may have changed: forget them all, now
    (the same request sees the change) and again once the current transaction
    commits (meanwhile another request may have cached the old answers)."""
    key = _menu_cache_key(organisation.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def organisation_links(*, user, organisation, side: str) -> list[ResolvedLink]:
    """The links of `side` ("public", "backoffice" or "personal") that `user` may open."""
    declared = _declared_links(side)
    asks = any(link.shown_if for link in declared)
    answers = shown_answers(organisation=organisation) if asks else {}
    links = []
    for link in sorted(declared, key=lambda link: link.weight):  # sorted() keeps app order
        if link.permission and not user.has_perm(link.permission, organisation):
            continue
        if link.shown_if and not answers[link.shown_if]:
            continue
        links.append(
            ResolvedLink(
                label=str(link.label),
                url=reverse(link.url_name, kwargs={"org_slug": organisation.slug}),
                description=str(link.description),
                url_name=link.url_name,
            )
        )
    return links


def organisation_includes(*, user, organisation, place: str) -> list[str]:
    """The templates apps put at `place` ("home" or "footer") that `user` may use."""
    templates = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        for include in getattr(config, f"{place}_includes", ()):
            if include.permission and not user.has_perm(include.permission, organisation):
                continue
            templates.append(include.template)
    return templates


def initiative_includes(*, user, initiative) -> list[str]:
    """The templates the apps above `processes` put on `initiative`'s page that `user`
    may see (each include's permission is checked on the initiative, whose
    `organisation` the rules read), in the order of `FAIREAVEC_APPS`."""
    templates = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        for include in getattr(config, "initiative_includes", ()):
            if include.permission and not user.has_perm(include.permission, initiative):
                continue
            templates.append(include.template)
    return templates


def organisation_onboarding(*, user, organisation) -> Onboarding:
    """The first steps `user` may take for `organisation`, each with whether it is done."""
    declared = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        declared.extend(getattr(config, "onboarding_steps", ()))
    steps = []
    for step in sorted(declared, key=lambda step: step.weight):
        if step.permission and not user.has_perm(step.permission, organisation):
            continue
        steps.append(
            ResolvedStep(
                label=str(step.label),
                url=reverse(step.url_name, kwargs={"org_slug": organisation.slug}),
                description=str(step.description),
                done=bool(import_string(step.done_if)(organisation=organisation)),
            )
        )
    return Onboarding(steps=steps)
