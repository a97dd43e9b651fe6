"""What the apps above contributions may add to a contribution's public page.

contributions sits below the apps that put contributions inside something else
(processes: a proposal made in an initiative), so it never imports them. Such an
app declares on its AppConfig:

- `contribution_gates`: dotted paths of functions
  `(*, user, contribution, action) -> bool | None`, `action` being "view",
  "support" or "comment". A function answers None for a contribution that is not
  its own, else whether `user` may do `action` on it (processes: only while the
  initiative's running phase allows it, for the initiative's audience). The
  services (`contribution_support`, `comment_create`) and the idea page ask
  `contribution_open_for`, so the same gate closes every way in.
- `contribution_includes`: `NavInclude` templates shown on the idea page with
  `contribution` in the context (processes: « part of the initiative … »).
- `contribution_list_exclusions`: dotted paths of functions
  `(*, user, organisation) -> Q | None`, the contributions to leave out of the
  public lists (ideas to support, « vous avez dit, nous avons fait ») for `user`
  (processes: the proposals of initiatives `user` may not read), None for none.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string

ACTIONS = ("view", "support", "comment")


@cache
def _gates() -> tuple:
    gates = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        gates.extend(import_string(path) for path in getattr(config, "contribution_gates", ()))
    return tuple(gates)


def contribution_open_for(*, user, contribution, action: str) -> bool:
    """Whether no app above closes `action` on `contribution` to `user`."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown contribution action: {action!r}")
    for gate in _gates():
        answer = gate(user=user, contribution=contribution, action=action)
        if answer is not None:
            return bool(answer)
    return True


def contributions_listed_for(queryset, *, user, organisation):
    """`queryset` without the contributions an app above keeps from `user`'s public lists."""
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        for path in getattr(config, "contribution_list_exclusions", ()):
            excluded = import_string(path)(user=user, organisation=organisation)
            if excluded is not None:
                queryset = queryset.exclude(excluded)
    return queryset


def contribution_includes(*, user, contribution) -> list[str]:
    """The templates the apps above put on `contribution`'s public page that `user` may see."""
    templates = []
    for app_name in settings.FAIREAVEC_APPS:
        config = apps.get_app_config(app_name.rsplit(".", 1)[-1])
        for include in getattr(config, "contribution_includes", ()):
            if include.permission and not user.has_perm(include.permission, contribution):
                continue
            templates.append(include.template)
    return templates
