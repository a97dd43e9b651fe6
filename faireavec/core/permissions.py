"""Permission checks for views, on top of django-rules.

Rules are declared per app in `rules.py` (one line each) from the predicates
in `predicates.py`; a view declares the permission it needs with
`@permission_required("app.verb_model")`. The object checked is the current
organisation unless the view passes another one to `require_perm`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require_perm(request: HttpRequest, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless the user has `perm` on `obj` (default: the organisation)."""
    target = request.organisation if obj is None else obj
    if not request.user.has_perm(perm, target):
        raise PermissionDenied


def permission_required(perm: str) -> Callable:
    """View decorator: anonymous visitors go to the login page, others without
    the permission on the current organisation get a 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.has_perm(perm, request.organisation):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_required = perm
        return wrapped

    return decorator
