"""Public pages: upcoming meetings, a meeting, registering without an account, a
registration's own page (cancel, accept or decline a seat, by its code), the
calendar files, and the open forum's topics. No JavaScript anywhere."""

from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.ratelimit import Limit, rate_limit_hit
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.meetings.forms import CONSENT_TEXT, RegistrationForm, TopicForm
from faireavec.meetings.ical import calendar_bytes
from faireavec.meetings.models import MeetingRegistration
from faireavec.meetings.selectors import (
    calendar_meetings,
    calendar_version,
    forum_board,
    meeting_get,
    meetings_upcoming,
    meetings_with_minutes,
    registration_get_by_code,
    registration_of_user,
    topic_get,
    topic_supported_by,
    with_seat_counts,
)
from faireavec.meetings.services import (
    offer_accept,
    offer_decline,
    registration_cancel,
    registration_create,
    registration_refusal,
    topic_propose,
    topic_support,
)

# A whole hall may share one address (the association's wifi): generous.
REGISTRATION_POST = Limit("meeting_registration", 30, 600)
TOPIC_POST = Limit("forum_topic", 30, 600)
CODE_MISS = Limit("meeting_code_miss", 30, 900)
PAGE_SIZE = 30
# Calendar apps poll the feed; writing 1,000 events takes about a second, so the
# file is kept until a meeting of the feed changes (its version) or this long.
FEED_CACHE_SECONDS = 300


def _meeting_or_404(request: HttpRequest, meeting_pk: int):
    meeting = meeting_get(organisation=request.organisation, pk=meeting_pk)
    if meeting is None or not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    return meeting


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def meeting_list_public(request: HttpRequest) -> HttpResponse:
    """Upcoming meetings by month, and the minutes of past ones."""
    if not request.user.has_perm("meetings.view_meeting", request.organisation):
        raise Http404
    page = Paginator(
        meetings_upcoming(organisation=request.organisation, user=request.user), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    months: OrderedDict = OrderedDict()
    for meeting in with_seat_counts(page.object_list):
        local = timezone.localtime(meeting.starts_at)
        months.setdefault(local.date().replace(day=1), []).append(meeting)
    return render(
        request,
        "meetings/meeting_list_public.html",
        {
            "months": months,
            "page_obj": page,
            "minutes": meetings_with_minutes(organisation=request.organisation, user=request.user)[
                :10
            ],
        },
    )


def meeting_detail(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "refusal": registration_refusal(meeting),
            "can_register": request.user.has_perm("meetings.register_meeting", meeting),
            "own_registration": registration_of_user(meeting=meeting, user=request.user),
            "seats_left": (
                None
                if meeting.capacity is None
                else max(meeting.capacity - meeting.seats_taken_count, 0)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_register(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    own = registration_of_user(meeting=meeting, user=request.user)
    if own is not None:
        return redirect(own.get_absolute_url())
    can_register = request.user.has_perm("meetings.register_meeting", meeting)
    form = RegistrationForm(posted_data(request), with_account=request.user.is_authenticated)
    status = 200
    if request.method == "POST" and not can_register:
        form.add_error(None, registration_refusal(meeting) or _("Registration is closed."))
        status = 400
    elif request.method == "POST" and rate_limit_hit(REGISTRATION_POST, request):
        form.add_error(
            None, _("Many registrations came from here in a short time. Wait a few minutes.")
        )
        status = 429
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = submit_once(
                request,
                lambda: registration_create(
                    meeting=meeting,
                    user=request.user,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    phone=data.get("phone", ""),
                    needs=data["needs"],
                    consent_text="" if request.user.is_authenticated else str(CONSENT_TEXT),
                ),
                result_url=lambda r: r.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if registration.status == MeetingRegistration.Status.WAITING:
                messages.info(request, _("The meeting is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered."))
            return redirect(registration.get_absolute_url())
    if form.errors:
        status = max(status, 400)
    return render(
        request,
        "meetings/meeting_register.html",
        {"meeting": meeting, "form": form, "can_register": can_register},
        status=status,
    )


def _registration_or_404(request: HttpRequest, code: str) -> MeetingRegistration:
    registration = registration_get_by_code(organisation=request.organisation, code=code)
    if registration is None:
        rate_limit_hit(CODE_MISS, request)
        raise Http404
    return registration


@require_http_methods(["GET", "POST"])
def registration_manage(request: HttpRequest, meetingregistration_code: str) -> HttpResponse:
    """The registration's own page, reached by its link: where it stands, and the
    buttons to accept or decline a seat offered, or to cancel."""
    registration = _registration_or_404(request, meetingregistration_code)
    if request.method == "POST":
        action = request.POST.get("action", "")
        services = {"accept": offer_accept, "decline": offer_decline, "cancel": registration_cancel}
        if action not in services:
            return render(
                request,
                "meetings/registration_manage.html",
                {"registration": registration, "error": _("Choose one of the buttons.")},
                status=400,
            )
        try:
            services[action](registration=registration)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                {
                    "accept": _("The seat is yours. See you there!"),
                    "decline": _("Thank you for telling us: the seat goes to the next person."),
                    "cancel": _("Your registration is cancelled."),
                }[action],
            )
        return redirect(registration.get_absolute_url())
    return render(request, "meetings/registration_manage.html", {"registration": registration})


def meeting_ics(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    response = HttpResponse(
        calendar_bytes(meetings=[meeting], name=meeting.title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(meeting.title) or "reunion"}.ics"'
    )
    return response


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The organisation's public meetings, for a calendar app to subscribe to."""
    organisation = request.organisation
    if organisation.is_private:
        raise Http404  # a calendar app has no session: only public organisations feed
    key = f"meetings:feed:{organisation.pk}:{calendar_version(organisation=organisation)}"
    content = cache.get(key)
    if content is None:
        with translation.override(settings.LANGUAGE_CODE):  # one file for every reader
            name = _("Meetings of %(name)s") % {"name": organisation.name}
        content = calendar_bytes(meetings=calendar_meetings(organisation=organisation), name=name)
        cache.set(key, content, FEED_CACHE_SECONDS)
    return HttpResponse(content, content_type="text/calendar; charset=utf-8")


# Open forum ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def forum_public(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The forum's board as it stands, the topics to support, and a form to propose one."""
    meeting = _meeting_or_404(request, meeting_pk)
    if not meeting.is_open_forum:
        return redirect(meeting.get_absolute_url())
    can_propose = request.user.has_perm("meetings.propose_topic", meeting)
    initial = {"host_name": request.user.display_name} if request.user.is_authenticated else {}
    form = TopicForm(posted_data(request), initial=initial)
    status = 200
    if request.method == "POST":
        if not can_propose:
            form.add_error(None, _("The board is closed: topics can no longer be proposed."))
            status = 400
        elif rate_limit_hit(TOPIC_POST, request):
            form.add_error(
                None, _("Many topics came from here in a short time. Wait a few minutes.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                submit_once(
                    request,
                    lambda: topic_propose(
                        meeting=meeting,
                        title=data["title"],
                        host_name=data["host_name"],
                        description=data["description"],
                        user=request.user,
                    ),
                    result_url=lambda _t: request.path,
                )
            except AlreadySubmitted as done:
                return done.response(request)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your topic is on the list. Thank you!"))
                return redirect(request.path)
        if form.errors:
            status = max(status, 400)
    return render(
        request,
        "meetings/forum_public.html",
        {
            "meeting": meeting,
            "board": forum_board(meeting=meeting),
            "form": form,
            "can_propose": can_propose,
            "supported": topic_supported_by(
                meeting=meeting,
                user=request.user,
                session_key=request.session.session_key or "",
            ),
        },
        status=status,
    )


@require_POST
def topic_support_view(request: HttpRequest, forumtopic_pk: int) -> HttpResponse:
    topic = topic_get(organisation=request.organisation, pk=forumtopic_pk)
    if topic is None or not request.user.has_perm("meetings.view_meeting", topic.meeting):
        raise Http404
    if not request.user.has_perm("meetings.support_topic", topic.meeting):
        messages.error(request, _("The board is closed: topics can no longer be supported."))
    else:
        try:
            added = topic_support(topic=topic, user=request.user, session_key=_session_key(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Your support is counted.") if added else _("You already support this topic."),
            )
    return redirect(
        "meetings:forum_public", org_slug=request.organisation.slug, meeting_pk=topic.meeting_id
    )
