"""Every read of meetings, registrations and open forums, scoped to one organisation:
another organisation's meeting is "not found".

Lists annotate their counts (seats taken, people waiting) in the same query, so
they do not grow in queries with the number of meetings (bench/bench_meetings.py).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from faireavec.meetings.models import (
    SEAT_STATUSES,
    ForumRoom,
    ForumSlot,
    ForumTopic,
    Meeting,
    MeetingContribution,
    MeetingRegistration,
)
from faireavec.organisations.models import Organisation
from faireavec.organisations.selectors import membership_get

Status = MeetingRegistration.Status


def _with_counts(meetings: QuerySet) -> QuerySet:
    return meetings.annotate(
        seats_taken_count=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
        waiting_count=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
    )


def with_seat_counts(meetings) -> list[Meeting]:
    """The meetings (a page of a list) each with `seats_taken_count` and
    `waiting_count`, from one query over their registrations only: counting inside
    the list's own query would count every meeting's before the page is cut."""
    meetings = list(meetings)
    counts = (
        MeetingRegistration.objects.filter(meeting__in=meetings)
        .values("meeting_id")
        .annotate(
            seats=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
            waiting=Count("pk", filter=Q(status=Status.WAITING)),
        )
    )
    by_meeting = {row["meeting_id"]: row for row in counts} if meetings else {}
    for meeting in meetings:
        row = by_meeting.get(meeting.pk, {})
        meeting.seats_taken_count = row.get("seats", 0)
        meeting.waiting_count = row.get("waiting", 0)
    return meetings


def _visible(meetings: QuerySet, *, organisation: Organisation, user) -> QuerySet:
    """Meetings for the organisation's people are hidden from everyone else."""
    in_organisation = bool(
        getattr(user, "is_authenticated", False)
        and membership_get(user=user, organisation=organisation)
    )
    return meetings if in_organisation else meetings.filter(is_public=True)


def meetings_upcoming(*, organisation: Organisation, user, when=None) -> QuerySet:
    """The public list: meetings not over yet that `user` may see, soonest first
    (cancelled ones stay, marked, so that nobody comes for nothing). Without their
    counts: give the page to `with_seat_counts`."""
    when = when or timezone.now()
    meetings = Meeting.objects.filter(organisation=organisation, ends_at__gt=when)
    return (
        _visible(meetings, organisation=organisation, user=user)
        .select_related("organisation", "site", "phase__initiative")
        .order_by("starts_at", "pk")
    )


def meetings_with_minutes(*, organisation: Organisation, user) -> QuerySet:
    """Past meetings whose minutes are published, most recent first."""
    meetings = Meeting.objects.filter(organisation=organisation, minutes_published=True)
    return (
        _visible(meetings, organisation=organisation, user=user)
        .select_related("organisation")
        .order_by("-starts_at", "-pk")
    )


def has_upcoming_public_meetings(*, organisation: Organisation) -> bool:
    return Meeting.objects.filter(
        organisation=organisation, is_public=True, ends_at__gt=timezone.now()
    ).exists()


def meetings_of_organisation(*, organisation: Organisation, period: str = "upcoming") -> QuerySet:
    """The back office's list: `upcoming` (soonest first) or `past` (latest first);
    give the page to `with_seat_counts`."""
    now = timezone.now()
    meetings = Meeting.objects.filter(organisation=organisation)
    if period == "past":
        meetings = meetings.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        meetings = meetings.filter(ends_at__gt=now).order_by("starts_at", "pk")
    return meetings.select_related("organisation", "site", "series")


def calendar_meetings(*, organisation: Organisation, when=None) -> QuerySet:
    """The organisation's public calendar feed: public meetings from a month ago on
    (cancelled ones included, so calendars show them cancelled)."""
    when = when or timezone.now()
    return (
        Meeting.objects.filter(
            organisation=organisation, is_public=True, ends_at__gt=when - timedelta(days=31)
        )
        .select_related("organisation", "site")
        .order_by("starts_at", "pk")
    )


def calendar_version(*, organisation: Organisation, when=None) -> str:
    """What the feed depends on, in one query: it changes when a meeting of the feed is
    added, changed or leaves it (the feed's cache key)."""
    from django.db.models import Max

    figures = calendar_meetings(organisation=organisation, when=when).aggregate(
        count=Count("pk"), changed=Max("updated_at")
    )
    changed = figures["changed"].isoformat() if figures["changed"] else "-"
    return f"{figures['count']}:{changed}"


def meeting_get(*, organisation: Organisation, pk: int) -> Meeting | None:
    return (
        _with_counts(Meeting.objects.filter(organisation=organisation, pk=pk))
        .select_related("organisation", "site", "series", "phase__initiative__organisation")
        .first()
    )


def meetings_of_initiative(*, initiative, user, when=None) -> list[Meeting]:
    """Meetings attached to the initiative's phases that are not over, that `user` sees."""
    when = when or timezone.now()
    meetings = Meeting.objects.filter(
        organisation=initiative.organisation, phase__initiative=initiative, ends_at__gt=when
    )
    return list(
        _visible(meetings, organisation=initiative.organisation, user=user)
        .select_related("organisation", "site", "phase__initiative__organisation")
        .order_by("starts_at", "pk")
    )


def registration_get_by_code(
    *, organisation: Organisation, code: str
) -> MeetingRegistration | None:
    return (
        MeetingRegistration.objects.filter(meeting__organisation=organisation, code=code)
        .select_related("meeting__organisation", "meeting__site", "user")
        .first()
    )


def registration_of_user(*, meeting: Meeting, user) -> MeetingRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        meeting.registrations.filter(user=user)
        .exclude(status=Status.CANCELLED)
        .select_related("meeting__organisation")
        .first()
    )


def meeting_registrations(*, meeting: Meeting) -> list[MeetingRegistration]:
    """Everyone registered, by status then in order of registration (the waiting list
    in its order)."""
    order = {
        s: i
        for i, s in enumerate(
            [Status.CONFIRMED, Status.ATTENDED, Status.OFFERED, Status.WAITING, Status.CANCELLED]
        )
    }
    registrations = meeting.registrations.select_related("user").order_by("created_at", "pk")
    return sorted(registrations, key=lambda r: order[r.status])


def meeting_attendees(*, meeting: Meeting) -> list[MeetingRegistration]:
    """The people with a seat, by name (the attendance sheet)."""
    return list(
        meeting.registrations.filter(status__in=[Status.CONFIRMED, Status.ATTENDED])
        .select_related("user")
        .order_by("name", "pk")
    )


def meeting_contributions(*, meeting: Meeting) -> QuerySet:
    return (
        MeetingContribution.objects.filter(meeting=meeting)
        .select_related("contribution__organisation", "topic")
        .order_by("created_at", "pk")
    )


# Open forum ------------------------------------------------------------------


def topic_get(*, organisation: Organisation, pk: int) -> ForumTopic | None:
    return (
        ForumTopic.objects.filter(meeting__organisation=organisation, pk=pk)
        .select_related("meeting__organisation", "room", "slot")
        .first()
    )


@dataclass
class Board:
    """An open forum's board: rooms by slots, the topics in each cell, the topics not
    placed yet, and the conflicts a facilitator is warned of."""

    rooms: list[ForumRoom]
    slots: list[ForumSlot]
    topics: list[ForumTopic]
    cells: dict[tuple[int, int], ForumTopic] = field(default_factory=dict)
    unplaced: list[ForumTopic] = field(default_factory=list)
    warnings: list[tuple[ForumTopic, str]] = field(default_factory=list)

    def rows(self):
        """For the table: each slot with the topic (or None) of every room."""
        for slot in self.slots:
            yield slot, [self.cells.get((slot.pk, room.pk)) for room in self.rooms]


def forum_board(*, meeting: Meeting) -> Board:
    from django.utils.translation import gettext as _

    rooms = list(ForumRoom.objects.filter(meeting=meeting).order_by("name", "pk"))
    slots = list(ForumSlot.objects.filter(meeting=meeting).order_by("starts_at", "pk"))
    topics = list(
        ForumTopic.objects.filter(meeting=meeting)
        .annotate(support_count=Count("supports"))
        .select_related("room", "slot")
        .order_by("-support_count", "created_at", "pk")
    )
    board = Board(rooms=rooms, slots=slots, topics=topics)
    hosts: dict[tuple[int, str], list[ForumTopic]] = {}
    for topic in topics:
        if not topic.is_placed:
            board.unplaced.append(topic)
            continue
        board.cells[(topic.slot_id, topic.room_id)] = topic
        hosts.setdefault((topic.slot_id, topic.host_name.strip().casefold()), []).append(topic)
        if topic.support_count > topic.room.seats:
            board.warnings.append(
                (
                    topic,
                    _(
                        "%(count)s supports for %(seats)s seats in « %(room)s »: choose a larger room."
                    )
                    % {
                        "count": topic.support_count,
                        "seats": topic.room.seats,
                        "room": topic.room.name,
                    },
                )
            )
    for _key, same in hosts.items():
        if len(same) > 1:
            for topic in same:
                board.warnings.append(
                    (
                        topic,
                        _("%(host)s hosts two sessions at %(slot)s.")
                        % {"host": topic.host_name, "slot": topic.slot},
                    )
                )
    return board


def topic_supported_by(*, meeting: Meeting, user, session_key: str) -> set[int]:
    """The topics of the forum this person (account or browser session) supports."""
    from faireavec.meetings.models import ForumSupport

    supports = ForumSupport.objects.filter(topic__meeting=meeting)
    if getattr(user, "is_authenticated", False):
        supports = supports.filter(user=user)
    elif session_key:
        supports = supports.filter(session_key=session_key)
    else:
        return set()
    return set(supports.values_list("topic_id", flat=True))
