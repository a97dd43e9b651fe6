"""One-time form tokens: a create form sent twice creates one row.

Back then « Envoyer » again, or a double click, posts the same form twice. Each
create form carries a random token (`{% form_token %}` in the template, from
`faireavec_forms`); the view runs its service through `submit_once`, which
records the token in the same transaction as the creation. The token's
unique key decides: the first POST creates, any other POST with that token
(after, or at the same moment: it waits for the first to finish) raises
`AlreadySubmitted`, whose `response()` sends the person to what was created.

In a view, around the service call that creates::

    try:
        need = submit_once(request, lambda: need_create(...), result_url=need_url)
    except AlreadySubmitted as done:
        return done.response(request)
    except ValidationError as exc:
        add_service_errors(form, exc)

A form that checks uniqueness itself (a ModelForm with a unique name or
slug) would refuse the second POST as a duplicate before `submit_once` runs:
such a view first asks `submission_replay(request)`, one line at the top::

    if replay := submission_replay(request):
        return replay

A POST without a token (an old page, a script) is not protected, but works.
"""

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.core.models import FormSubmission

FORM_TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

T = TypeVar("T")


def form_token_new() -> str:
    return secrets.token_urlsafe(24)


def form_token_posted(request: HttpRequest) -> str:
    """The well-formed token the request posted, or ""."""
    token = request.POST.get(FORM_TOKEN_FIELD, "") if request.method == "POST" else ""
    return token if _TOKEN_RE.match(token) else ""


class AlreadySubmitted(Exception):
    """This form was already sent; `result_url` is what it created ("" if unknown)."""

    def __init__(self, result_url: str = "") -> None:
        super().__init__(result_url)
        self.result_url = result_url

    def response(self, request: HttpRequest) -> HttpResponse:
        messages.info(
            request,
            _("This form was already sent: it was recorded once. Here is what was recorded."),
        )
        return redirect(self.result_url or request.get_full_path())


def submission_replay(request: HttpRequest) -> HttpResponse | None:
    """The redirect to what this POST's form token created, if it was used already."""
    token = form_token_posted(request)
    done = FormSubmission.objects.filter(key=token).first() if token else None
    return AlreadySubmitted(done.result_url).response(request) if done else None


def submit_once(
    request: HttpRequest, create: Callable[[], T], *, result_url: Callable[[T], str]
) -> T:
    """Run `create` unless this request's form token was already used.

    The token is claimed, `create` runs and the token gets the result's URL in
    one transaction: if `create` fails (a ValidationError), nothing is kept
    and the corrected form can be sent again with the same token.
    """
    token = form_token_posted(request)
    if not token:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                FormSubmission.objects.create(key=token)
        except IntegrityError:
            # Sent before, or being sent right now: on PostgreSQL the insert
            # waited for the other transaction, so its row is committed.
            done = FormSubmission.objects.filter(key=token).first()
            raise AlreadySubmitted(done.result_url if done else "") from None
        result = create()
        FormSubmission.objects.filter(key=token).update(result_url=result_url(result)[:500])
        _forget_old_tokens()
    return result


def _forget_old_tokens() -> None:
    days = getattr(settings, "FORM_TOKEN_DAYS", 7)
    FormSubmission.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).delete()
