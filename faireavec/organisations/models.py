import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faireavec.core.models import (
    TEXT_DOCUMENT,
    TEXT_MEDIUM,
    TEXT_SHORT,
    TimeStampedModel,
    bounded_text_field,
    text_length_check,
)
from faireavec.organisations.validators import validate_slug_not_reserved


class Role(models.TextChoices):
    """Roles in an organisation, from most to least rights."""

    ADMIN = "admin", _("administrator")
    FACILITATOR = "facilitator", _("facilitator")
    MEMBER = "member", _("member")
    PARTICIPANT = "participant", _("participant")


class Organisation(TimeStampedModel):
    """The tenant: an association, cooperative, mutual or social enterprise."""

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("association (loi 1901)")
        SCIC = "scic", _("SCIC (cooperative society of collective interest)")
        SCOP = "scop", _("SCOP (worker cooperative)")
        COOPERATIVE = "cooperative", _("other cooperative")
        MUTUAL = "mutual", _("mutual")
        FOUNDATION = "foundation", _("foundation")
        ESUS = "esus", _("ESUS-approved company")
        OTHER = "other", _("other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public: anyone can see its public pages")
        PRIVATE = "private", _("private: only its members")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("web address"),
        max_length=60,
        unique=True,
        validators=[validate_slug_not_reserved],
        help_text=_("Lowercase letters, digits and dashes, as in « la-fabrique »."),
        error_messages={
            "unique": _("This address is already taken. Please choose another one."),
        },
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.ASSOCIATION
    )
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    description = bounded_text_field(_("who we are"), blank=True, max_length=TEXT_MEDIUM)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Settings used by the modules.
    allow_anonymous_contributions = models.BooleanField(
        _("allow contributions without an account"),
        default=True,
        help_text=_("People can then give their opinion without signing in."),
    )
    moderation_threshold = models.PositiveSmallIntegerField(
        _("reports before hiding"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A contribution reported by this many people is hidden until reviewed."),
    )
    complaint_acknowledge_days = models.PositiveSmallIntegerField(
        _("days to acknowledge a complaint"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    complaint_answer_days = models.PositiveSmallIntegerField(
        _("days to answer a complaint"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    stakeholder_review_months = models.PositiveSmallIntegerField(
        _("months before a stakeholder is to be reviewed"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    members_see_stakeholder_map = models.BooleanField(
        _("members may see the stakeholder map"), default=False
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        # Relations to it are written `settings.FAIREAVEC_ORGANISATION_MODEL` in
        # migrations, so core's depend on the setting, not on this app.
        swappable = "FAIREAVEC_ORGANISATION_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    complaint_acknowledge_days__lte=models.F("complaint_answer_days")
                ),
                name="org_ack_before_answer",
                violation_error_message=_(
                    "The time to acknowledge a complaint cannot be longer than the time to answer it."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(moderation_threshold__gte=1), name="org_moderation_threshold_min"
            ),
            text_length_check(
                field="description", max_length=TEXT_MEDIUM, name="org_description_length"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:home", kwargs={"org_slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE


class Site(TimeStampedModel):
    """A site or service of the organisation (établissement), which modules refer to."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField(_("name"), max_length=150)
    address = bounded_text_field(_("address"), blank=True, max_length=TEXT_SHORT)
    opening_hours = bounded_text_field(_("opening hours"), blank=True, max_length=TEXT_SHORT)
    accessibility = bounded_text_field(
        _("accessibility"),
        blank=True,
        max_length=TEXT_MEDIUM,
        help_text=_("Step-free access, toilets, hearing loop, guide dogs welcome…"),
    )

    class Meta:
        verbose_name = _("site or service")
        verbose_name_plural = _("sites and services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="site_unique_name_per_org",
                violation_error_message=_("This organisation already has a site with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__display_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="membership_unique_per_org",
                violation_error_message=_("This person is already a member."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(18)


# The short code printed beside the QR code, for people who type it: no 0/O,
# no 1/I/L (nor lower-case l), upper case only, read back whatever the case.
# Ten symbols out of 31: about 50 bits, the same as a follow-up code.
INVITATION_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
INVITATION_CODE_LENGTH = 10


def new_invitation_code() -> str:
    return "".join(secrets.choice(INVITATION_CODE_ALPHABET) for _ in range(INVITATION_CODE_LENGTH))


def normalise_invitation_code(text: str) -> str:
    """What a person typed, as stored: upper case, without spaces, dashes or dots."""
    return "".join(ch for ch in text if ch.isalnum()).upper()


class Invitation(TimeStampedModel):
    """A link that lets people join with a role until it expires or is used up.

    An invitation for one person has `max_uses=1`; one printed on a poster may
    leave `max_uses` empty (no limit) and rely on its expiry.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    token = models.CharField(
        _("token"), max_length=40, unique=True, default=new_invitation_token, editable=False
    )
    code = models.CharField(
        _("code"),
        max_length=INVITATION_CODE_LENGTH,
        unique=True,
        default=new_invitation_code,
        editable=False,
        help_text=_("Short code printed on the poster, for people who type it."),
    )
    label = models.CharField(
        _("label"),
        max_length=150,
        blank=True,
        help_text=_("For you, to recognise it: « poster in the hall », « Ms Martin »…"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires on"))
    max_uses = models.PositiveIntegerField(
        _("maximum uses"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for a poster that many people can use."),
    )
    uses = models.PositiveIntegerField(_("uses"), default=0)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True)
                | models.Q(uses__lte=models.F("max_uses")),
                name="invitation_uses_within_max",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[2-9A-HJKMNP-Z]{10}$"),
                name="invitation_code_unambiguous",
            ),
        ]

    def __str__(self) -> str:
        return self.label or str(_("Invitation as %(role)s") % {"role": self.get_role_display()})

    def get_absolute_url(self) -> str:
        return reverse(
            "organisations:invitation_join",
            kwargs={"org_slug": self.organisation.slug, "invitation_token": self.token},
        )

    @property
    def code_display(self) -> str:
        """The code in two groups, easier to read out and to type: « K7PMX-3XQAH »."""
        half = len(self.code) // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_used_up(self) -> bool:
        return self.max_uses is not None and self.uses >= self.max_uses

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired and not self.is_used_up


class CharterVersion(models.Model):
    """One published version of the organisation's ethics charter (code of
    conduct for its relations with stakeholders). Versions are never edited:
    a change publishes a new version, which people accept again."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="charter_versions",
    )
    number = models.PositiveIntegerField(_("version"))
    text = bounded_text_field(_("text"), max_length=TEXT_DOCUMENT)
    published_at = models.DateTimeField(_("published on"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="charter_version_unique_number"
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="charter_version_min"),
            text_length_check(
                field="text", max_length=TEXT_DOCUMENT, name="charter_version_text_length"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Charter, version %(number)s") % {"number": self.number})


class CharterAcceptance(models.Model):
    """A person accepted one version of a charter."""

    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("charter version"),
        on_delete=models.CASCADE,
        related_name="acceptances",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="charter_acceptances",
    )
    accepted_at = models.DateTimeField(_("accepted on"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter acceptance")
        verbose_name_plural = _("charter acceptances")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="charter_acceptance_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.version}"
