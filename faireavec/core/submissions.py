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

Back in Chromium fetches the form again, with a fresh token: the token alone
would let « Envoyer » create a second row. So each protected POST also gets a
content fingerprint (sha256 of who sent it, the path and the posted data
without the CSRF and form tokens): the same fingerprint within
`FORM_FINGERPRINT_MINUTES` (10) is a replay too. Two POSTs with one
fingerprint at the same moment are serialised by a PostgreSQL advisory lock on
it, taken in the transaction that records it. « Who » is the signed-in user,
else the browser's CSRF cookie, else the session; a request with none of them
(no browser behind it) gets no fingerprint, so two strangers who type the same
words are never confused.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from faireavec.core.models import FormSubmission

FORM_TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
# Posted fields that differ between two sendings of the same form's content.
_NOT_CONTENT = {FORM_TOKEN_FIELD, "csrfmiddlewaretoken"}
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


def form_fingerprint(request: HttpRequest) -> str:
    """sha256 hex of who posted, where, and what (not the tokens); "" if nobody is known."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    # The CSRF cookie before the session: a first anonymous POST may create the
    # session (its follow-up code is kept there), the cookie was already set.
    if user is not None and user.is_authenticated:
        who = f"user:{user.pk}"
    elif request.META.get("CSRF_COOKIE"):
        who = f"browser:{request.META['CSRF_COOKIE']}"
    elif session is not None and getattr(session, "session_key", None):
        who = f"session:{session.session_key}"
    else:
        return ""
    data = sorted(
        (name, values) for name, values in request.POST.lists() if name not in _NOT_CONTENT
    )
    files = sorted(
        (name, [(f.name, f.size) for f in request.FILES.getlist(name)]) for name in request.FILES
    )
    content = json.dumps([who, request.path, data, files], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def _recent_same_content(fingerprint: str) -> FormSubmission | None:
    if not fingerprint:
        return None
    minutes = getattr(settings, "FORM_FINGERPRINT_MINUTES", 10)
    since = timezone.now() - timedelta(minutes=minutes)
    return (
        FormSubmission.objects.filter(fingerprint=fingerprint, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )


def _lock_fingerprint(fingerprint: str) -> None:
    """Until this transaction ends, another POST with the same content waits here
    (then finds this one's row). SQLite runs one write transaction at a time."""
    if fingerprint and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # 60 bits of the hash: a signed bigint, as pg_advisory_xact_lock takes.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(fingerprint[:15], 16)])


def submission_replay(request: HttpRequest) -> HttpResponse | None:
    """The redirect to what this POST created, if its form token was used already
    or the same content was sent a moment ago (Back, then « Envoyer » again)."""
    token = form_token_posted(request)
    if not token:
        return None
    done = FormSubmission.objects.filter(key=token).first() or _recent_same_content(
        form_fingerprint(request)
    )
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
    fingerprint = form_fingerprint(request)
    with transaction.atomic():
        _lock_fingerprint(fingerprint)
        if same := _recent_same_content(fingerprint):
            raise AlreadySubmitted(same.result_url)
        try:
            with transaction.atomic():
                FormSubmission.objects.create(key=token, fingerprint=fingerprint)
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
