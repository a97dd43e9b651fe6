"""Back office: meetings and series, registrations and attendance, the attendance
sheet, minutes, contributions recorded during a meeting, and the open forum's board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faireavec.core.forms import add_service_errors, posted_data
from faireavec.core.pdf import pdf_response, render_pdf
from faireavec.core.permissions import permission_required
from faireavec.core.submissions import AlreadySubmitted, submit_once
from faireavec.meetings.forms import (
    CONSENT_TEXT,
    AssistedRegistrationForm,
    AttendanceForm,
    CancelForm,
    MeetingContributionForm,
    MeetingForm,
    MinutesForm,
    NotesForm,
    PlaceForm,
    RoomForm,
    SeriesForm,
    SlotForm,
)
from faireavec.meetings.selectors import (
    forum_board,
    meeting_attendees,
    meeting_contributions,
    meeting_get,
    meeting_registrations,
    meetings_of_organisation,
    topic_get,
    with_seat_counts,
)
from faireavec.meetings.services import (
    attendance_record,
    meeting_cancel,
    meeting_contribution_record,
    meeting_create,
    meeting_update,
    minutes_set,
    registration_create,
    room_add,
    series_create,
    slot_add,
    topic_notes_set,
    topic_place,
)


def _meeting_or_404(request: HttpRequest, meeting_pk: int):
    meeting = meeting_get(organisation=request.organisation, pk=meeting_pk)
    if meeting is None:
        raise Http404
    return meeting


def _topic_or_404(request: HttpRequest, forumtopic_pk: int):
    topic = topic_get(organisation=request.organisation, pk=forumtopic_pk)
    if topic is None:
        raise Http404
    return topic


def _manage(meeting) -> HttpResponse:
    return redirect(meeting.get_manage_url())


def _forum_url(meeting) -> str:
    return reverse(
        "meetings:forum_manage",
        kwargs={"org_slug": meeting.organisation.slug, "meeting_pk": meeting.pk},
    )


@permission_required("meetings.manage_meeting")
def meeting_list(request: HttpRequest) -> HttpResponse:
    period = "past" if request.GET.get("periode") == "passees" else "upcoming"
    page = Paginator(
        meetings_of_organisation(organisation=request.organisation, period=period), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": with_seat_counts(page.object_list),
            "page_obj": page,
            "period": period,
        },
    )


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = MeetingForm(posted_data(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = submit_once(
                request,
                lambda: meeting_create(
                    organisation=organisation, actor=request.user, **form.values()
                ),
                result_url=lambda m: m.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is created."))
            return _manage(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def series_create_view(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = SeriesForm(posted_data(request), organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            series = submit_once(
                request,
                lambda: series_create(
                    organisation=organisation,
                    actor=request.user,
                    frequency=form.cleaned_data["frequency"],
                    count=form.cleaned_data["count"],
                    **form.values(),
                ),
                result_url=lambda _s: reverse(
                    "meetings:meeting_list", kwargs={"org_slug": organisation.slug}
                ),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The series « %(title)s » is created with its %(count)s meetings.")
                % {"title": series.title, "count": form.cleaned_data["count"]},
            )
            return redirect("meetings:meeting_list", org_slug=organisation.slug)
    return render(
        request, "meetings/series_form.html", {"form": form}, status=400 if form.errors else 200
    )


@permission_required("meetings.manage_meeting")
def meeting_manage(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """A meeting's back-office page: registrations (with the waiting list in its
    order), attendance, minutes, contributions recorded during it."""
    meeting = _meeting_or_404(request, meeting_pk)
    registrations = meeting_registrations(meeting=meeting)
    attendees = [r for r in registrations if r.status in ("confirmed", "attended")]
    return render(
        request,
        "meetings/meeting_manage.html",
        {
            "meeting": meeting,
            "registrations": registrations,
            "attendance_form": AttendanceForm(registrations=attendees),
            "attendees": attendees,
            "contributions": meeting_contributions(meeting=meeting),
            "minutes_form": MinutesForm(
                initial={"minutes": meeting.minutes, "published": meeting.minutes_published}
            ),
        },
    )


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    if meeting.is_cancelled:
        messages.error(request, _("This meeting is cancelled: it can no longer be changed."))
        return _manage(meeting)
    # The form works on a copy: the service gets the meeting as stored and the new values.
    copy = meeting_get(organisation=request.organisation, pk=meeting.pk)
    form = MeetingForm(posted_data(request), instance=copy, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(actor=request.user, meeting=meeting, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return _manage(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "meeting": meeting, "creating": False},
        status=400 if form.errors else 200,
    )


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    form = CancelForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is cancelled; everyone registered is told."))
            return _manage(meeting)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def registration_add(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Register someone who called or came by: a seat, or the waiting list."""
    meeting = _meeting_or_404(request, meeting_pk)
    form = AssistedRegistrationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = submit_once(
                request,
                lambda: registration_create(
                    meeting=meeting,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    needs=data["needs"],
                    consent_text=str(CONSENT_TEXT),
                    actor=request.user,
                ),
                result_url=lambda _r: meeting.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is registered: %(status)s.")
                % {"name": registration.name, "status": registration.get_status_display()},
            )
            return _manage(meeting)
    return render(
        request,
        "meetings/registration_add.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


@permission_required("meetings.manage_meeting")
@require_POST
def attendance_view(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    attendees = meeting_attendees(meeting=meeting)
    form = AttendanceForm(request.POST, registrations=attendees)
    if not form.is_valid():
        messages.error(request, _("Choose people from the list of registrations."))
        return _manage(meeting)
    try:
        count = attendance_record(
            actor=request.user, meeting=meeting, attended_ids=set(form.cleaned_data["attended"])
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attendance recorded: %(count)s present.") % {"count": count})
    return _manage(meeting)


@permission_required("meetings.manage_meeting")
def attendance_sheet(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The printable attendance sheet: one line per person with a seat, a column to sign,
    and blank lines for people who come without registering."""
    meeting = _meeting_or_404(request, meeting_pk)
    attendees = meeting_attendees(meeting=meeting)
    content = render_pdf(
        template_name="meetings/attendance_sheet_pdf.html",
        context={
            "organisation": request.organisation,
            "meeting": meeting,
            "attendees": attendees,
            "blank_lines": range(max(5, 12 - len(attendees))),
        },
    )
    return pdf_response(content=content, filename=f"feuille-de-presence-{meeting.pk}.pdf")


@permission_required("meetings.manage_meeting")
@require_POST
def minutes_view(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            minutes_set(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                published=form.cleaned_data["published"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The minutes are published.")
                if form.cleaned_data["published"]
                else _("The minutes are saved (not published)."),
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _manage(meeting)


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def contribution_add(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """Write down what someone said during the meeting (assisted entry)."""
    meeting = _meeting_or_404(request, meeting_pk)
    form = MeetingContributionForm(
        posted_data(request),
        organisation=request.organisation,
        meeting=meeting,
        initial={"topic": request.GET.get("topic", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution = submit_once(
                request,
                lambda: meeting_contribution_record(
                    actor=request.user,
                    meeting=meeting,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    topic=data.get("topic"),
                    contact_name=data["contact_name"],
                    contact_details=data["contact_details"],
                    contact_consent=data["contact_consent"],
                    severity=data.get("severity") or "",
                ),
                result_url=lambda _c: meeting.get_manage_url(),
            )
        except AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Recorded. Give the person their follow-up code: %(code)s")
                % {"code": contribution.follow_up_code},
            )
            return _manage(meeting)
    return render(
        request,
        "meetings/contribution_add.html",
        {"form": form, "meeting": meeting},
        status=400 if form.errors else 200,
    )


# Open forum ------------------------------------------------------------------


@permission_required("meetings.manage_meeting")
def forum_manage(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The board: a table of time slots by rooms, a plain form per topic to place it,
    and the conflicts to look at."""
    meeting = _meeting_or_404(request, meeting_pk)
    if not meeting.is_open_forum:
        return _manage(meeting)
    board = forum_board(meeting=meeting)
    return render(
        request,
        "meetings/forum_manage.html",
        {
            "meeting": meeting,
            "board": board,
            "place_forms": [
                (
                    topic,
                    PlaceForm(
                        rooms=board.rooms,
                        slots=board.slots,
                        initial={
                            "cell": f"{topic.slot_id}-{topic.room_id}" if topic.is_placed else ""
                        },
                        prefix=f"t{topic.pk}",
                    ),
                )
                for topic in board.topics
            ],
            "room_form": RoomForm(),
            "slot_form": SlotForm(),
        },
    )


@permission_required("meetings.manage_meeting")
@require_POST
def room_add_view(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            room_add(
                actor=request.user,
                meeting=meeting,
                name=form.cleaned_data["name"],
                seats=form.cleaned_data["seats"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The room is added."))
    else:
        messages.error(request, _("Give the room a name and its number of seats."))
    return redirect(_forum_url(meeting))


@permission_required("meetings.manage_meeting")
@require_POST
def slot_add_view(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, meeting_pk)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot_add(
                actor=request.user,
                meeting=meeting,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The time slot is added."))
    else:
        messages.error(request, _("Give the start and the end of the time slot."))
    return redirect(_forum_url(meeting))


@permission_required("meetings.manage_meeting")
@require_POST
def topic_place_view(request: HttpRequest, forumtopic_pk: int) -> HttpResponse:
    topic = _topic_or_404(request, forumtopic_pk)
    meeting = topic.meeting
    board = forum_board(meeting=meeting)
    form = PlaceForm(request.POST, rooms=board.rooms, slots=board.slots, prefix=f"t{topic.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a room and a time from the list."))
        return redirect(_forum_url(meeting))
    room, slot = form.placement()
    try:
        topic_place(actor=request.user, topic=topic, room=room, slot=slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("« %(title)s » is placed.") % {"title": topic.title}
            if room
            else _("« %(title)s » is off the board.") % {"title": topic.title},
        )
    return redirect(_forum_url(meeting))


@permission_required("meetings.manage_meeting")
@require_http_methods(["GET", "POST"])
def topic_session(request: HttpRequest, forumtopic_pk: int) -> HttpResponse:
    """A session of the forum: its notes, and the proposals it produced."""
    topic = _topic_or_404(request, forumtopic_pk)
    form = NotesForm(
        posted_data(request), instance=topic_get(organisation=request.organisation, pk=topic.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            topic_notes_set(actor=request.user, topic=topic, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The notes are saved."))
            return redirect(
                "meetings:topic_session", org_slug=request.organisation.slug, forumtopic_pk=topic.pk
            )
    return render(
        request,
        "meetings/topic_session.html",
        {
            "topic": topic,
            "meeting": topic.meeting,
            "form": form,
            "contributions": topic.contributions.select_related("contribution__organisation"),
        },
        status=400 if form.errors else 200,
    )
