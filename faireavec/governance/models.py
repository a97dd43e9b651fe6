"""Governance: the member register, voting colleges, statutes, bodies with their
seats and mandates, and general assemblies with proxies and a secret ballot.

Trust rests on a few rules the database itself enforces:

- a member votes once per resolution: `VoteRecord` (the register of who voted,
  with who acted and who was represented) is unique per (resolution, voter), and
  is written in the same transaction as the `Ballot`;
- the ballot holds no link to the member: it knows its resolution, its college
  (for the weighted tally), the choice and a random tracker the voter keeps; its
  key is random and it has no time, so neither order nor time ties it to a voter;
- nothing is written after the close: triggers (PostgreSQL and SQLite, see the
  migration `0002_ballot_triggers`) refuse any INSERT of a ballot or vote record
  once the assembly's voting is closed, and any UPDATE of either at any time;
- the assembly's log (`AssemblyLogEntry`) is hash-chained; at the close, the
  Merkle root of each resolution's ballots is sealed in it (see `chain.py`).
"""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faireavec.core.models import (
    TEXT_LONG,
    TEXT_MEDIUM,
    TEXT_SHORT,
    OrganisationOwnedModel,
    bounded_text_field,
)

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class StatuteSettings(OrganisationOwnedModel):
    """What the statutes say about votes: one row per organisation."""

    class VotingMode(models.TextChoices):
        COLLEGES = "colleges", _("weighted by colleges")
        ONE_MEMBER_ONE_VOTE = "one_member", _("one member, one vote")

    class EmptyCollege(models.TextChoices):
        PRO_RATA = "pro_rata", _("shared among the other colleges in proportion to their weights")
        EQUAL = "equal", _("shared equally among the other colleges")

    class TieRule(models.TextChoices):
        REJECTED = "rejected", _("a tie rejects the resolution")
        REVOTE = "revote", _("a tie puts the resolution to a new vote")

    voting_mode = models.CharField(
        _("voting"), max_length=12, choices=VotingMode.choices, default=VotingMode.COLLEGES
    )
    empty_college = models.CharField(
        _("weight of a college without votes"),
        max_length=10,
        choices=EmptyCollege.choices,
        default=EmptyCollege.PRO_RATA,
        help_text=_("What the statutes say when nobody of a college votes."),
    )
    abstentions_count = models.BooleanField(
        _("abstentions count as votes cast"),
        default=False,
        help_text=_(
            "Since 2019 French company law leaves abstentions out of the votes cast; "
            "tick only if your statutes count them."
        ),
    )
    tie_rule = models.CharField(
        _("tie"), max_length=10, choices=TieRule.choices, default=TieRule.REJECTED
    )
    proxy_cap = models.PositiveSmallIntegerField(
        _("proxies a member may hold"),
        default=2,
        validators=[MaxValueValidator(100)],
        help_text=_("Beyond this number, a member cannot accept another proxy."),
    )
    notice_days_first = models.PositiveSmallIntegerField(
        _("notice period, first convocation (days)"), default=15
    )
    notice_days_second = models.PositiveSmallIntegerField(
        _("notice period, second convocation (days)"), default=6
    )
    quorum_ordinary_first = models.DecimalField(
        _("quorum, ordinary assembly, first convocation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENT,
    )
    quorum_ordinary_second = models.DecimalField(
        _("quorum, ordinary assembly, second convocation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT,
    )
    quorum_extraordinary_first = models.DecimalField(
        _("quorum, extraordinary assembly, first convocation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("25"),
        validators=PERCENT,
    )
    quorum_extraordinary_second = models.DecimalField(
        _("quorum, extraordinary assembly, second convocation (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENT,
    )
    mandate_notice_days = models.PositiveSmallIntegerField(
        _("show mandates to renew this many days ahead"), default=90
    )
    question_answer_days = models.PositiveSmallIntegerField(
        _("days the board has to answer a member's question"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Past this, an unanswered question shows as late in the back office."),
    )
    statutes_note = bounded_text_field(
        _("what the statutes say"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("The articles on colleges, quorum and majorities, for the minutes."),
    )

    class Meta:
        verbose_name = _("statute settings")
        verbose_name_plural = _("statute settings")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="statutes_one_per_org"),
            models.CheckConstraint(
                condition=models.Q(proxy_cap__lte=100), name="statutes_proxy_cap_max"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Statute settings"))

    @property
    def uses_colleges(self) -> bool:
        return self.voting_mode == self.VotingMode.COLLEGES


class College(OrganisationOwnedModel):
    """A voting college and its weight in percent (decimals allowed)."""

    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    description = bounded_text_field(_("who belongs to it"), blank=True, max_length=TEXT_SHORT)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="college_name_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=100), name="college_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(OrganisationOwnedModel):
    """A member (sociétaire) of the register, with or without an account."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("member status", "active")
        RESIGNED = "resigned", pgettext_lazy("member status", "resigned")
        EXCLUDED = "excluded", pgettext_lazy("member status", "excluded")

    number = models.CharField(_("member number"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    college = models.ForeignKey(
        College,
        verbose_name=_("college"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="members",
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_members",
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="member_number_unique"),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="member_user_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "resigned", "excluded"]),
                name="member_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(left_on__isnull=False),
                name="member_left_on_when_gone",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="member_org_status")]

    def __str__(self) -> str:
        return f"{self.number} — {self.name}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Body(OrganisationOwnedModel):
    """A board, a users' committee, a « conseil de la vie sociale » or a working group."""

    class Kind(models.TextChoices):
        BOARD = "board", _("board")
        USERS_COMMITTEE = "users_committee", _("users' committee")
        SOCIAL_LIFE_COUNCIL = "cvs", _("conseil de la vie sociale")
        WORKING_GROUP = "working_group", _("working group")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    description = bounded_text_field(_("role"), blank=True, max_length=TEXT_MEDIUM)
    mandate_months = models.PositiveSmallIntegerField(
        _("length of a mandate (months)"), default=36, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="body_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A seat of a body, open to anyone or reserved for users or for a college."""

    class Reserved(models.TextChoices):
        NONE = "none", pgettext_lazy("seat reserved for", "anyone")
        USERS = "users", pgettext_lazy("seat reserved for", "users of the services")
        COLLEGE = "college", pgettext_lazy("seat reserved for", "a college")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats"
    )
    label = models.CharField(_("seat"), max_length=100)
    reserved_for = models.CharField(
        _("reserved for"), max_length=10, choices=Reserved.choices, default=Reserved.NONE
    )
    college = models.ForeignKey(
        College,
        verbose_name=_("college"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="seats",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["body", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(reserved_for="college", college__isnull=False)
                    | (~models.Q(reserved_for="college") & models.Q(college__isnull=True))
                ),
                name="seat_college_when_reserved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.label}"


class Mandate(models.Model):
    """A member on a seat from one date to another."""

    seat = models.ForeignKey(
        Seat, verbose_name=_("seat"), on_delete=models.CASCADE, related_name="mandates"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.RESTRICT, related_name="mandates"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_user = models.BooleanField(
        _("is a user of the services"),
        default=False,
        help_text=_("Needed for a seat reserved for users."),
    )

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["seat", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} — {self.seat}"


class Assembly(OrganisationOwnedModel):
    """A general assembly, from its convocation to its minutes."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", pgettext_lazy("assembly kind", "ordinary")
        EXTRAORDINARY = "extraordinary", pgettext_lazy("assembly kind", "extraordinary")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid (in person and online)")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assembly status", "in preparation")
        CONVENED = "convened", pgettext_lazy("assembly status", "convened, votes open")
        CLOSED = "closed", pgettext_lazy("assembly status", "closed")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    convocation_number = models.PositiveSmallIntegerField(
        _("convocation"),
        choices=[(1, _("first convocation")), (2, _("second convocation"))],
        default=1,
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.HYBRID)
    session_at = models.DateTimeField(_("session date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    description = bounded_text_field(_("presentation"), blank=True, max_length=TEXT_MEDIUM)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Copied from the statutes at the convocation, so the rules cannot change on the way.
    quorum_percent = models.DecimalField(
        _("quorum (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    uses_colleges = models.BooleanField(_("weighted by colleges"), default=True)
    empty_college = models.CharField(
        _("weight of a college without votes"),
        max_length=10,
        choices=StatuteSettings.EmptyCollege.choices,
        default=StatuteSettings.EmptyCollege.PRO_RATA,
    )
    abstentions_count = models.BooleanField(_("abstentions count as votes cast"), default=False)
    tie_rule = models.CharField(
        _("tie"),
        max_length=10,
        choices=StatuteSettings.TieRule.choices,
        default=StatuteSettings.TieRule.REJECTED,
    )
    proxy_cap = models.PositiveSmallIntegerField(_("proxies a member may hold"), default=2)
    chair = models.ForeignKey(
        "Voter",
        verbose_name=_("chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    secretary = models.CharField(_("secretary"), max_length=200, blank=True)
    scrutineers = models.CharField(_("scrutineers"), max_length=300, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    minutes_note = bounded_text_field(_("notes for the minutes"), blank=True, max_length=TEXT_LONG)

    class Meta:
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        ordering = ["-session_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "convened", "closed"]),
                name="assembly_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="assembly_closed_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(convened_at__isnull=False),
                name="assembly_convened_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:assembly_detail",
            kwargs={"org_slug": self.organisation.slug, "assembly_pk": self.pk},
        )

    def get_public_url(self) -> str:
        return reverse(
            "governance:assembly_public",
            kwargs={"org_slug": self.organisation.slug, "assembly_pk": self.pk},
        )

    @property
    def is_open_for_votes(self) -> bool:
        return self.status == self.Status.CONVENED

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class AssemblyCollege(models.Model):
    """A college's weight as it was at the convocation (the tally uses these)."""

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="colleges"
    )
    college = models.ForeignKey(
        College, verbose_name=_("college"), on_delete=models.RESTRICT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("college at the assembly")
        verbose_name_plural = _("colleges at the assembly")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "college"], name="assemblycollege_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Voter(models.Model):
    """A member entitled to vote at an assembly (the list of voters, drawn up at the
    convocation from the active members), with their attendance."""

    class Attendance(models.TextChoices):
        ABSENT = "absent", pgettext_lazy("attendance", "absent")
        PRESENT = "present", pgettext_lazy("attendance", "present")
        REPRESENTED = "represented", pgettext_lazy("attendance", "represented")
        REMOTE = "remote", pgettext_lazy("attendance", "remote (online)")
        POSTAL = "postal", pgettext_lazy("attendance", "postal vote")

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="voters"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.RESTRICT, related_name="voters"
    )
    college = models.ForeignKey(
        AssemblyCollege,
        verbose_name=_("college"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="voters",
    )
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.ABSENT
    )

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["member__number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "member"], name="voter_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    attendance__in=["absent", "present", "represented", "remote", "postal"]
                ),
                name="voter_attendance_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.member)


class Proxy(models.Model):
    """A proxy (pouvoir): a voter is represented by another member, or by the chair."""

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="proxies"
    )
    giver = models.OneToOneField(
        Voter,
        verbose_name=_("represented member"),
        on_delete=models.CASCADE,
        related_name="proxy_given",
    )
    holder = models.ForeignKey(
        Voter,
        verbose_name=_("proxy holder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proxies_held",
    )
    to_chair = models.BooleanField(_("to the chair"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(to_chair=True, holder__isnull=True))
                | (models.Q(to_chair=False, holder__isnull=False)),
                name="proxy_holder_or_chair",
            ),
            models.CheckConstraint(
                condition=~models.Q(holder=models.F("giver")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder or _('the chair')}"


class Resolution(models.Model):
    """A resolution on the agenda, with the majority it needs."""

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("simple majority (more than half)")
        TWO_THIRDS = "two_thirds", _("two thirds")
        THREE_QUARTERS = "three_quarters", _("three quarters")

    class Base(models.TextChoices):
        CAST = "cast", _("of the votes cast")
        MEMBERS = "members", _("of the members")

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("resolution outcome", "not yet counted")
        ADOPTED = "adopted", pgettext_lazy("resolution outcome", "adopted")
        REJECTED = "rejected", pgettext_lazy("resolution outcome", "rejected")
        TIE_REVOTE = "tie_revote", pgettext_lazy("resolution outcome", "tie: to be voted again")
        NO_QUORUM = "no_quorum", pgettext_lazy("resolution outcome", "not decided: no quorum")

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="resolutions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = bounded_text_field(_("text"), max_length=TEXT_LONG)
    majority = models.CharField(
        _("majority"), max_length=15, choices=Majority.choices, default=Majority.SIMPLE
    )
    base = models.CharField(_("counted on"), max_length=10, choices=Base.choices, default=Base.CAST)
    amendments = bounded_text_field(
        _("amendments"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("Amendments adopted before the vote, and by whom they were moved."),
    )
    document = models.URLField(_("document (address)"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    tally = models.JSONField(_("tally"), default=dict, blank=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["assembly", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "number"], name="resolution_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Choice(models.TextChoices):
    FOR = "for", pgettext_lazy("vote", "for")
    AGAINST = "against", pgettext_lazy("vote", "against")
    ABSTAIN = "abstain", pgettext_lazy("vote", "abstain")


def new_tracker() -> str:
    """A ballot tracker the voter keeps: 12 characters, easy to read out."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Ballot(models.Model):
    """A secret ballot: no member, no voter, no time; a random key and tracker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="ballots"
    )
    college = models.ForeignKey(
        AssemblyCollege,
        verbose_name=_("college"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    tracker = models.CharField(_("ballot tracker"), max_length=16, unique=True, default=new_tracker)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice__in=["for", "against", "abstain"]),
                name="ballot_choice_valid",
            ),
        ]
        indexes = [models.Index(fields=["resolution", "college", "choice"], name="ballot_tally")]

    def __str__(self) -> str:
        return self.tracker


class VoteRecord(models.Model):
    """The register of who voted (never what): one per voter and resolution.

    `voter` is the member whose vote it is; `acted_by` the voter who acted for
    them (themselves, or their proxy holder); `recorded_by` the account that
    sent it (the member, or the bureau for a paper vote)."""

    class Channel(models.TextChoices):
        ONLINE = "online", pgettext_lazy("vote channel", "online")
        IN_PERSON = "in_person", pgettext_lazy("vote channel", "in person")
        POSTAL = "postal", pgettext_lazy("vote channel", "postal")
        PROXY = "proxy", pgettext_lazy("vote channel", "by proxy")

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="records"
    )
    voter = models.ForeignKey(
        Voter, verbose_name=_("voter"), on_delete=models.CASCADE, related_name="records"
    )
    acted_by = models.ForeignKey(
        Voter,
        verbose_name=_("acted by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="acted_records",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("voted at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote record")
        verbose_name_plural = _("register of votes")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "voter"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} — {self.resolution}"


class AssemblyLogEntry(models.Model):
    """One link of an assembly's hash chain. Never changed: `chain.py` appends,
    `manage.py governance_verify` checks every link."""

    class Kind(models.TextChoices):
        CONVENED = "convened", _("convocation, list of voters")
        PROXY = "proxy", _("proxy")
        ATTENDANCE = "attendance", _("attendance")
        CLOSED = "closed", _("close, ballots sealed")
        TALLY = "tally", _("tally")
        MINUTES = "minutes", _("minutes published")

    assembly = models.ForeignKey(
        Assembly, verbose_name=_("assembly"), on_delete=models.CASCADE, related_name="log"
    )
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    payload = models.JSONField(_("content"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("assembly log entry")
        verbose_name_plural = _("assembly log")
        ordering = ["assembly", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["assembly", "seq"], name="assemblylog_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.kind}"


# Consultations outside assemblies ---------------------------------------------


class Poll(OrganisationOwnedModel):
    """A consultation of the members (of the register) or of every participant,
    open between two dates, counted by majority judgment, approval or single choice.

    Like the assembly's ballot, the answer is kept apart from the person:
    `PollParticipation` records who took part (one per person, a database
    constraint), `PollBallot` and its `PollMark`s what was answered, with no link
    to the person."""

    class Method(models.TextChoices):
        MAJORITY_JUDGMENT = "judgment", _("majority judgment (a grade for each option)")
        APPROVAL = "approval", _("approval (every option one accepts)")
        SINGLE = "single", _("single choice (one option)")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("the members of the register")
        PARTICIPANTS = "participants", _("everyone taking part in the organisation")

    title = models.CharField(_("question"), max_length=200)
    description = bounded_text_field(_("presentation"), blank=True, max_length=TEXT_MEDIUM)
    method = models.CharField(
        _("way of voting"), max_length=10, choices=Method.choices, default=Method.MAJORITY_JUDGMENT
    )
    audience = models.CharField(
        _("who may answer"), max_length=12, choices=Audience.choices, default=Audience.MEMBERS
    )
    max_choices = models.PositiveSmallIntegerField(
        _("options one may approve at most"),
        null=True,
        blank=True,
        help_text=_("For an election: the number of seats to fill."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-closes_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=["judgment", "approval", "single"]),
                name="poll_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=["members", "participants"]),
                name="poll_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:poll_public",
            kwargs={"org_slug": self.organisation.slug, "poll_pk": self.pk},
        )

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def is_open_now(self) -> bool:
        return self.is_open()

    @property
    def is_closed_now(self) -> bool:
        return self.is_closed()

    @property
    def is_judgment(self) -> bool:
        return self.method == self.Method.MAJORITY_JUDGMENT


class PollOption(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["poll", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="polloption_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class PollParticipation(models.Model):
    """Who answered (never what): one per person and consultation."""

    poll = models.ForeignKey(
        Poll,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="poll_participations",
    )
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("participation in a consultation")
        verbose_name_plural = _("participations in consultations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_answer_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.poll}"


class PollBallot(models.Model):
    """What one person answered, without them: a random key and no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="ballots"
    )

    class Meta:
        verbose_name = _("consultation ballot")
        verbose_name_plural = _("consultation ballots")

    def __str__(self) -> str:
        return str(self.id)


class PollMark(models.Model):
    """A ballot's mark on one option: a grade (0 « to reject » … 5 « very good ») for
    majority judgment, 1 for an option approved or chosen."""

    ballot = models.ForeignKey(
        PollBallot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="marks"
    )
    option = models.ForeignKey(
        PollOption, verbose_name=_("option"), on_delete=models.CASCADE, related_name="marks"
    )
    value = models.PositiveSmallIntegerField(_("grade"))

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="pollmark_once_per_option"),
            models.CheckConstraint(condition=models.Q(value__lte=5), name="pollmark_value_range"),
        ]
        indexes = [models.Index(fields=["option", "value"], name="pollmark_count")]

    def __str__(self) -> str:
        return f"{self.option}: {self.value}"


# Members' space -----------------------------------------------------------------


class ModeratedModel(models.Model):
    """What a member writes in the members' space: hidden by an administrator when
    it breaks the charter (it stays in the database, with who hid it and why)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        abstract = True


class Discussion(OrganisationOwnedModel, ModeratedModel):
    """A discussion thread of the members' space."""

    title = models.CharField(_("subject"), max_length=200)
    body = bounded_text_field(_("message"), max_length=TEXT_LONG)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:discussion_detail",
            kwargs={"org_slug": self.organisation.slug, "discussion_pk": self.pk},
        )


class DiscussionReply(ModeratedModel):
    discussion = models.ForeignKey(
        Discussion, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="replies"
    )
    body = bounded_text_field(_("reply"), max_length=TEXT_LONG)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["discussion", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.discussion} — {self.pk}"


class BoardQuestion(OrganisationOwnedModel, ModeratedModel):
    """A member's question to the board, answered in public."""

    title = models.CharField(_("question"), max_length=200)
    body = bounded_text_field(_("details"), blank=True, max_length=TEXT_LONG)
    answer = bounded_text_field(_("the board's answer"), blank=True, max_length=TEXT_LONG)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("answer expected by"))

    class Meta:
        verbose_name = _("question to the board")
        verbose_name_plural = _("questions to the board")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(answered_at__isnull=True) & models.Q(answer=""))
                | (models.Q(answered_at__isnull=False) & ~models.Q(answer="")),
                name="boardquestion_answer_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "answered_at", "due_at"], name="boardq_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:question_detail",
            kwargs={"org_slug": self.organisation.slug, "boardquestion_pk": self.pk},
        )

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_late(self, now=None) -> bool:
        return not self.is_answered and (now or timezone.now()) > self.due_at


# Elections of seats ---------------------------------------------------------------


class Election(OrganisationOwnedModel):
    """An election of some seats of a body by the members, through a consultation
    whose options are the candidates; once it is closed, the winners' mandates fill
    the seats."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="elections"
    )
    poll = models.OneToOneField(
        Poll, verbose_name=_("ballot"), on_delete=models.RESTRICT, related_name="election"
    )
    seats = models.ManyToManyField(Seat, verbose_name=_("seats"), related_name="elections")
    mandates_start_on = models.DateField(_("mandates start on"))
    filled_at = models.DateTimeField(_("mandates filled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.poll.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:election_detail",
            kwargs={"org_slug": self.organisation.slug, "election_pk": self.pk},
        )


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.RESTRICT, related_name="candidacies"
    )
    option = models.OneToOneField(
        PollOption, verbose_name=_("option"), on_delete=models.CASCADE, related_name="candidate"
    )
    is_user = models.BooleanField(_("is a user of the services"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="candidate_once"),
        ]

    def __str__(self) -> str:
        return self.member.name
