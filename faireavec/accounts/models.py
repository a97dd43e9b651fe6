from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str):
        """Sign-in is by email, whatever its case (« Claire@… » is « claire@… »)."""
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. Email is the login; the display name is what others see."""

    class NotificationFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("as they happen")
        DAILY = "daily", _("once a day, in a digest")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name shown with your comments. A first name or a pseudonym is fine; "
            "your email address is never shown."
        ),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    large_text = models.BooleanField(_("larger text"), default=False)
    easy_read = models.BooleanField(_("easy-to-read versions when available"), default=False)
    notification_frequency = models.CharField(
        _("email notifications"),
        max_length=10,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A person with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        # Shown on public pages (comments, « said by »): never the email, nor part of it.
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name others see: the chosen display name, or a neutral label."""
        return self.display_name or str(_("A participant"))

    @property
    def backoffice_label(self) -> str:
        """Name and email, for the organisation's team who must tell people apart."""
        return f"{self.public_name} ({self.email})"

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)
