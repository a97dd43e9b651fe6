"""Base models shared by every app, and the platform-wide records: audit log,
notifications and background jobs."""

from uuid import uuid4

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faireavec.core.storage import private_storage

# Sizes for free text, in characters. Everything people type has a maximum: a text
# shown to every contributor (a charter) must stay readable, and nobody should be
# able to store half a megabyte in a note. A test walks every TextField.
TEXT_SHORT = 500  # an address, a reason
TEXT_MEDIUM = 2000  # a description, a summary
TEXT_LONG = 5000  # a message, notes
TEXT_DOCUMENT = 20000  # a charter, a section of the diagnosis (about eight pages)


def bounded_text_field(verbose_name, *, max_length: int, **kwargs) -> models.TextField:
    """A TextField with a maximum length checked everywhere: the form (Django passes
    `max_length` to the form field and the textarea) and `full_clean()` (TextField has
    no length validator of its own, so services calling `full_clean()` get one)."""
    validators = [MaxLengthValidator(max_length), *kwargs.pop("validators", [])]
    return models.TextField(verbose_name, max_length=max_length, validators=validators, **kwargs)


def text_length_check(*, field: str, max_length: int, name: str) -> models.CheckConstraint:
    """The same maximum in the database, for texts shown widely (a charter, a diagnosis),
    so nothing written around the services can store more."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), max_length),
        name=name,
        # Seldom seen: the field's own validator (with the number) speaks first.
        violation_error_message=_("This text is longer than allowed."),
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class OrganisationOwnedModel(TimeStampedModel):
    """A tenant-owned root row: it carries its organisation. Children reach the
    organisation through their parent instead of repeating it."""

    organisation = models.ForeignKey(
        settings.FAIREAVEC_ORGANISATION_MODEL,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """One back-office action: who did what, when, on which object. Never changed
    nor deleted once written (the queryset and the model refuse it)."""

    organisation = models.ForeignKey(
        settings.FAIREAVEC_ORGANISATION_MODEL,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="audit_entries",
        null=True,
        blank=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="audit_org_created")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")


class Notification(models.Model):
    """Something a person should know, shown in the app and sent by email either
    at once or in a daily digest, as the person chose."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organisation = models.ForeignKey(
        settings.FAIREAVEC_ORGANISATION_MODEL,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    body = bounded_text_field(_("message"), blank=True, max_length=TEXT_DOCUMENT)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    email_error = models.CharField(_("last email error"), max_length=255, blank=True)
    # Set after the last try failed: the back office lists it as undelivered.
    email_failed_at = models.DateTimeField(_("email given up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            # A person's notifications, newest first (their list, the unread badge's page).
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            models.Index(fields=["emailed_at"], name="notif_emailed"),
            models.Index(fields=["organisation", "email_failed_at"], name="notif_org_failed"),
        ]

    def __str__(self) -> str:
        return self.title


def job_result_path(job: "BackgroundJob", filename: str) -> str:
    """Where a job's file goes in the private storage: one folder per organisation and job."""
    return f"jobs/{job.organisation_id}/{job.pk or 'new'}/{filename}"


class BackgroundJob(OrganisationOwnedModel):
    """Long work (imports, reports, draws) run by a task, with the progress a
    page shows to the person who asked for it.

    A job may leave a file (an export): `result_file`, in the private storage
    (outside MEDIA_ROOT), downloaded through `core:job_download` only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    message = bounded_text_field(_("message"), blank=True, max_length=TEXT_LONG)
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    result_file = models.FileField(
        _("result file"),
        upload_to=job_result_path,
        storage=private_storage,
        max_length=255,
        blank=True,
    )
    # The job's address: a random id, so that nobody finds a job by counting.
    uuid = models.UUIDField(_("public id"), default=uuid4, unique=True, editable=False)
    file_expires_at = models.DateTimeField(_("file kept until"), null=True, blank=True)
    file_removed_at = models.DateTimeField(_("file removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="job_done_not_above_total",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse(
            "core:job_detail",
            kwargs={"org_slug": self.organisation.slug, "backgroundjob_uuid": self.uuid},
        )

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.done / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def file_available(self) -> bool:
        """A finished job's file that may still be downloaded (not expired, not removed)."""
        if self.status != self.Status.DONE or not self.result_file:
            return False
        return self.file_expires_at is None or self.file_expires_at > timezone.now()


class FormSubmission(models.Model):
    """A one-time form token once used: the key a create form carried, and where
    its result is. A second POST with the same key (Back then send again, a
    double click) finds this row and is sent to the result instead of creating
    a second one. The unique key makes the check safe when both arrive at once.
    Rows are removed after a few days (`FORM_TOKEN_DAYS`). Back in Chromium
    brings a fresh key, so the row also keeps a fingerprint of the content
    (sender, path, posted data): the same one within `FORM_FINGERPRINT_MINUTES`
    is a replay too (see `core/submissions.py`)."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    fingerprint = models.CharField(
        _("content fingerprint"), max_length=64, blank=True, db_index=True
    )
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.key
