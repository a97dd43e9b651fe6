"""Every write on contributions: creation, status moves, answers, supports,
comments, reports, moderation and escalation."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from faireavec.contributions.hooks import contribution_open_for
from faireavec.contributions.models import (
    ANSWER_STATUSES,
    FINAL_STATUSES,
    REOPEN_TO,
    TRANSITIONS,
    Channel,
    Comment,
    Contribution,
    HistoryEntry,
    Kind,
    Report,
    Severity,
    Stance,
    Status,
    Support,
    new_follow_up_code,
)
from faireavec.contributions.selectors import (
    contributions_of_organisation,
    contributions_to_escalate,
    idea_box_opened,
    open_report_count,
    organisation_admins,
)
from faireavec.core.audit import audit_log
from faireavec.core.i18n import lazy_message, untranslated
from faireavec.core.navigation import menu_changed
from faireavec.core.notifications import notify
from faireavec.organisations.models import Organisation, Site

IDEA_KINDS = {Kind.IDEA, Kind.PROPOSAL}


def _history(
    *,
    contribution: Contribution,
    event: str,
    actor=None,
    message: str = "",
    from_status: str = "",
    to_status: str = "",
    is_public: bool = True,
) -> HistoryEntry:
    entry = HistoryEntry(
        contribution=contribution,
        event=event,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        message=message,
        from_status=from_status,
        to_status=to_status,
        is_public=is_public,
    )
    entry.full_clean()
    entry.save()
    return entry


def _follow_up_path(contribution: Contribution) -> str:
    return reverse(
        "contributions:followup_detail",
        kwargs={
            "org_slug": contribution.organisation.slug,
            "contribution_follow_up_code": contribution.follow_up_code,
        },
    )


def _tell_author(contribution: Contribution, *, title: Promise, body: Promise) -> None:
    """The contributor hears of each public step (anonymous ones see it with their code)."""
    if contribution.author_id is None:
        return
    notify(
        recipients=[contribution.author],
        title=title,
        body=body,
        url=_follow_up_path(contribution),
        organisation=contribution.organisation,
    )


def _locked(contribution: Contribution) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("organisation", "author", "site")
        .get(pk=contribution.pk)
    )


@transaction.atomic
def contribution_create(
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    body: str,
    author=None,
    site: Site | None = None,
    photo: ContentFile | None = None,
    show_author_name: bool = False,
    channel: str = Channel.ONLINE,
    recorded_by=None,
    contact_name: str = "",
    contact_details: str = "",
    contact_consent: bool = False,
    severity: str = "",
    is_public: bool = False,
    now: datetime | None = None,
) -> Contribution:
    """Record what a person said.

    `is_public` shows an idea or a proposal on the public pages at once (proposals
    made inside an initiative: others support them during the phase; moderation
    then works by reports and the moderation queue, as for published ideas).

    Online and without an account, nothing about the person is kept. A
    complaint gets its deadlines from the organisation's settings. Assisted
    entry (`recorded_by`, a channel other than online) records who wrote it
    down and keeps contact details only with the person's consent.
    """
    now = now or timezone.now()
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose idea, complaint or testimony.")})
    if site is not None and site.organisation_id != organisation.pk:
        raise ValidationError({"site": _("Choose a site from the list.")})
    author = author if getattr(author, "is_authenticated", False) else None
    if channel == Channel.ONLINE and recorded_by is not None:
        raise ValidationError(_("A contribution written down by a facilitator needs its channel."))
    if channel != Channel.ONLINE and recorded_by is None:
        raise ValidationError(_("Say who wrote this contribution down."))
    if is_public and kind not in IDEA_KINDS:
        raise ValidationError(_("Only ideas and proposals can be made public."))
    contribution = Contribution(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        site=site,
        author=author,
        show_author_name=bool(show_author_name and author is not None),
        channel=channel,
        recorded_by=recorded_by,
        contact_name=contact_name.strip(),
        contact_details=contact_details.strip(),
        contact_consent=contact_consent,
        is_public=is_public,
    )
    if kind == Kind.COMPLAINT:
        contribution.severity = severity or Severity.MEDIUM
        contribution.acknowledge_due = now + timedelta(days=organisation.complaint_acknowledge_days)
        contribution.answer_due = now + timedelta(days=organisation.complaint_answer_days)
    contribution.full_clean(exclude=["photo"])
    if photo is not None:
        contribution.photo.save("photo.jpg", photo, save=False)
    # A code collision is as likely as guessing one; retry rather than fail.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                contribution.save()
            break
        except IntegrityError:
            if Contribution.objects.filter(follow_up_code=contribution.follow_up_code).exists():
                contribution.follow_up_code = new_follow_up_code()
                continue
            raise
    _history(
        contribution=contribution,
        event=HistoryEntry.Event.CREATED,
        actor=recorded_by or author,
        to_status=Status.RECEIVED,
    )
    if recorded_by is not None:
        audit_log(
            actor=recorded_by,
            organisation=organisation,
            action="contributions.assisted_entry",
            target=contribution,
            details={"channel": channel},
        )
    return contribution


# Where a status move puts its public message on the row: it fills « What was
# decided » (or « What was done ») only while that is empty. A decision written
# with the answer form is never replaced by a status message, which stays in
# the public history.
def _apply_message(contribution: Contribution, to_status: str, message: str) -> None:
    if not message:
        return
    if to_status in {Status.DECLINED, Status.ANSWERED, Status.ACCEPTED, Status.CLOSED}:
        if not contribution.answer:
            contribution.answer = message
    elif to_status == Status.DONE and not contribution.outcome:
        contribution.outcome = message


@transaction.atomic
def contribution_change_status(
    *, actor, contribution: Contribution, to_status: str, message: str = ""
) -> Contribution:
    """Move a contribution along its kind's table (TRANSITIONS).

    Declining needs a reason and answering needs the answer: the message
    becomes the public answer. A final status (done, declined, closed) can
    only be left through `contribution_reopen`.
    """
    contribution = _locked(contribution)
    message = (message or "").strip()
    from_status = contribution.status
    if to_status not in Status.values:
        raise ValidationError({"to_status": _("Choose a status from the list.")})
    if from_status in FINAL_STATUSES:
        raise ValidationError(
            _("This contribution is finished. To take it up again, reopen it with a message.")
        )
    if to_status not in TRANSITIONS[contribution.kind][from_status]:
        raise ValidationError(
            {
                "to_status": _("A contribution cannot go from « %(from)s » to « %(to)s ».")
                % {"from": Status(from_status).label, "to": Status(to_status).label}
            }
        )
    if to_status == Status.DECLINED and not message:
        raise ValidationError({"message": _("Say why the idea is declined.")})
    if to_status == Status.ANSWERED and not message and not contribution.answer:
        raise ValidationError({"message": _("Write the answer given to the person.")})
    now = timezone.now()
    _apply_message(contribution, to_status, message)
    contribution.status = to_status
    contribution.status_changed_at = now
    if contribution.first_response_at is None:
        contribution.first_response_at = now
        contribution.first_response_seconds = max(
            0, int((now - contribution.created_at).total_seconds())
        )
    if to_status in ANSWER_STATUSES and contribution.answered_at is None:
        contribution.answered_at = now
        menu_changed(organisation=contribution.organisation)  # « Vous avez dit » may join
    contribution.full_clean()
    contribution.save()
    _history(
        contribution=contribution,
        event=HistoryEntry.Event.STATUS,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        message=message,
    )
    audit_log(
        actor=actor,
        organisation=contribution.organisation,
        action="contributions.status",
        target=contribution,
        details={"from": from_status, "to": to_status},
    )
    _tell_author(
        contribution,
        title=lazy_message(
            gettext_lazy("Your contribution « %(title)s » is now: %(status)s"),
            title=contribution.title[:80],
            status=Status(to_status).label,
        ),
        body=untranslated(message),
    )
    return contribution


@transaction.atomic
def contribution_reopen(*, actor, contribution: Contribution, message: str) -> Contribution:
    """Take a finished contribution up again; the public message says why."""
    contribution = _locked(contribution)
    message = (message or "").strip()
    if contribution.status not in FINAL_STATUSES:
        raise ValidationError(_("Only a finished contribution can be reopened."))
    if not message:
        raise ValidationError({"message": _("Say why it is reopened: the person will read it.")})
    from_status = contribution.status
    to_status = REOPEN_TO[contribution.kind]
    contribution.status = to_status
    contribution.status_changed_at = timezone.now()
    contribution.full_clean()
    contribution.save()
    _history(
        contribution=contribution,
        event=HistoryEntry.Event.REOPENED,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        message=message,
    )
    audit_log(
        actor=actor,
        organisation=contribution.organisation,
        action="contributions.reopen",
        target=contribution,
        details={"from": from_status, "to": to_status},
    )
    _tell_author(
        contribution,
        title=lazy_message(
            gettext_lazy("Your contribution « %(title)s » is reopened"),
            title=contribution.title[:80],
        ),
        body=untranslated(message),
    )
    return contribution


@transaction.atomic
def contribution_update_answer(
    *,
    actor,
    contribution: Contribution,
    answer: str,
    outcome: str,
    public_summary: str,
    severity: str = "",
) -> Contribution:
    """Edit what was decided, what was done, the public summary (and a complaint's severity)."""
    contribution = _locked(contribution)
    answer, outcome, public_summary = answer.strip(), outcome.strip(), public_summary.strip()
    # What the person reads in the history: the new decision, else what was done.
    if answer != contribution.answer and answer:
        public_message = answer
    elif outcome != contribution.outcome and outcome:
        public_message = outcome
    else:
        public_message = ""
    changed = (
        answer != contribution.answer
        or outcome != contribution.outcome
        or public_summary != contribution.public_summary
    )
    contribution.answer = answer
    contribution.outcome = outcome
    contribution.public_summary = public_summary
    if contribution.kind == Kind.COMPLAINT and severity:
        contribution.severity = severity
    contribution.full_clean()
    contribution.save()
    if changed:
        _history(
            contribution=contribution,
            event=HistoryEntry.Event.ANSWER,
            actor=actor,
            message=public_message,
            is_public=bool(public_message),
        )
    audit_log(
        actor=actor,
        organisation=contribution.organisation,
        action="contributions.answer",
        target=contribution,
    )
    if public_message:
        _tell_author(
            contribution,
            title=lazy_message(
                gettext_lazy("The organisation answered « %(title)s »"),
                title=contribution.title[:80],
            ),
            body=untranslated(public_message),
        )
    return contribution


@transaction.atomic
def contribution_set_public(*, actor, contribution: Contribution, public: bool) -> Contribution:
    """Show an idea on the public ideas page (or take it off)."""
    contribution = _locked(contribution)
    if contribution.kind not in IDEA_KINDS:
        raise ValidationError(_("Only ideas and proposals can be made public."))
    if contribution.is_public == public:
        return contribution
    contribution.is_public = public
    contribution.full_clean()
    contribution.save()
    menu_changed(organisation=contribution.organisation)  # « Idées à soutenir » may change
    _history(
        contribution=contribution,
        event=HistoryEntry.Event.PUBLISHED if public else HistoryEntry.Event.UNPUBLISHED,
        actor=actor,
        is_public=True,
    )
    audit_log(
        actor=actor,
        organisation=contribution.organisation,
        action="contributions.publish" if public else "contributions.unpublish",
        target=contribution,
    )
    return contribution


def idea_box_open(*, actor, organisation: Organisation) -> bool:
    """The team opens its idea box: it prints the poster or shares the address of
    « Donner mon avis ». Recorded once in the activity log, which the first steps of a
    new organisation read; returns whether it was recorded now."""
    with transaction.atomic():
        # Two clicks at once record it once.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if idea_box_opened(organisation=organisation):
            return False
        audit_log(actor=actor, organisation=organisation, action="contributions.idea_box_open")
        return True


@dataclass
class BulkResult:
    done: int = 0
    failed: list[tuple[Contribution, ValidationError]] = field(default_factory=list)


def contributions_bulk_apply(
    *, actor, organisation: Organisation, pks: list[int], action: str, message: str = ""
) -> BulkResult:
    """Apply one inbox action (`status:<status>`, `publish`, `unpublish`) to the
    contributions `pks` of `organisation` (other ids are ignored). Each
    contribution is changed in its own transaction by its own service, so the
    ones the action does not fit (a finished contribution, a complaint to
    publish…) are returned with the reason and do not undo the others."""
    result = BulkResult()
    for contribution in contributions_of_organisation(organisation=organisation).filter(pk__in=pks):
        try:
            if action.startswith("status:"):
                contribution_change_status(
                    actor=actor,
                    contribution=contribution,
                    to_status=action.split(":", 1)[1],
                    message=message,
                )
            elif action in ("publish", "unpublish"):
                contribution_set_public(
                    actor=actor, contribution=contribution, public=action == "publish"
                )
            else:
                raise ValueError(f"Unknown bulk action {action!r}")
        except ValidationError as exc:
            result.failed.append((contribution, exc))
        else:
            result.done += 1
    return result


@transaction.atomic
def contribution_set_hidden(
    *, actor, contribution: Contribution, hidden: bool, reason: str
) -> Contribution:
    """Hide or restore a contribution; the reason stays in its history.
    Restoring marks its pending reports as reviewed."""
    contribution = _locked(contribution)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is kept in the history.")})
    contribution.is_hidden = hidden
    contribution.full_clean()
    contribution.save()
    menu_changed(organisation=contribution.organisation)  # the public lists may empty
    Report.objects.filter(
        contribution=contribution, comment__isnull=True, reviewed_at__isnull=True
    ).update(reviewed_at=timezone.now())
    _history(
        contribution=contribution,
        event=HistoryEntry.Event.HIDDEN if hidden else HistoryEntry.Event.RESTORED,
        actor=actor,
        message=reason,
        is_public=False,
    )
    audit_log(
        actor=actor,
        organisation=contribution.organisation,
        action="contributions.hide" if hidden else "contributions.restore",
        target=contribution,
        details={"reason": reason},
    )
    return contribution


@transaction.atomic
def comment_set_hidden(*, actor, comment: Comment, hidden: bool, reason: str) -> Comment:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is kept in the history.")})
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("contribution", "contribution__organisation")
        .get(pk=comment.pk)
    )
    comment.is_hidden = hidden
    comment.moderation_note = reason
    comment.full_clean()
    comment.save()
    Report.objects.filter(comment=comment, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now()
    )
    _history(
        contribution=comment.contribution,
        event=HistoryEntry.Event.HIDDEN if hidden else HistoryEntry.Event.RESTORED,
        actor=actor,
        message=_("Comment by %(name)s: %(reason)s") % {"name": comment.author, "reason": reason},
        is_public=False,
    )
    audit_log(
        actor=actor,
        organisation=comment.contribution.organisation,
        action="contributions.comment_hide" if hidden else "contributions.comment_restore",
        target=comment,
        details={"reason": reason},
    )
    return comment


def _can_take_part(contribution: Contribution, *, user, action: str) -> None:
    """Supports and comments only on a public, visible idea (as stored now, not as
    passed), and only where no app above closes them (a proposal of an initiative:
    while its phase allows it; see hooks.py)."""
    open_idea = Contribution.objects.filter(
        pk=contribution.pk, is_public=True, is_hidden=False, kind__in=IDEA_KINDS
    ).exists()
    if not open_idea:
        raise ValidationError(_("This idea is not open to supports and comments."))
    if not contribution_open_for(user=user, contribution=contribution, action=action):
        if action == "support":
            raise ValidationError(_("Supports are closed for this proposal at this stage."))
        raise ValidationError(_("Comments are closed for this proposal at this stage."))


def contribution_support(*, user, contribution: Contribution) -> bool:
    """Support a public idea, once per person. Returns False if already supported.

    Two clicks at once (double tap, two tabs) meet the unique constraint: the
    second one is simply "already supported", never an error page.
    """
    _can_take_part(contribution, user=user, action="support")
    try:
        with transaction.atomic():
            Support.objects.create(contribution=contribution, user=user)
            Contribution.objects.filter(pk=contribution.pk).update(
                support_count=F("support_count") + 1
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def contribution_unsupport(*, user, contribution: Contribution) -> bool:
    """Withdraw one's support, while supports are open (see `_can_take_part`)."""
    if not contribution_open_for(user=user, contribution=contribution, action="support"):
        raise ValidationError(_("Supports are closed for this proposal at this stage."))
    deleted, _rows = Support.objects.filter(contribution=contribution, user=user).delete()
    if deleted:
        Contribution.objects.filter(pk=contribution.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
    return bool(deleted)


@transaction.atomic
def comment_create(
    *, author, contribution: Contribution, body: str, stance: str = Stance.NEUTRAL
) -> Comment:
    """A comment for, against or neutral (the default) on a public idea or proposal."""
    _can_take_part(contribution, user=author, action="comment")
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose for, against or neutral.")})
    comment = Comment(
        contribution=contribution, author=author, body=(body or "").strip(), stance=stance
    )
    comment.full_clean()
    comment.save()
    return comment


def _report(
    *, contribution: Contribution, comment: Comment | None, user, session_key: str, reason: str
) -> bool:
    """Record one report; hide the target when enough distinct people reported it.
    Returns False when this person had already reported it."""
    reporter = user if getattr(user, "is_authenticated", False) else None
    if reporter is None and not session_key:
        raise ValidationError(_("Your report could not be recorded. Please try again."))
    report = Report(
        contribution=contribution,
        comment=comment,
        reporter=reporter,
        session_key="" if reporter else session_key,
        reason=(reason or "").strip()[:500],
    )
    report.full_clean(validate_constraints=False)
    with transaction.atomic():
        # Lock the target so that two reports at once count each other.
        locked = _locked(contribution)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            return False
        threshold = locked.organisation.moderation_threshold
        count = open_report_count(contribution=locked, comment=comment)
        if count >= threshold:
            message = _(
                "Hidden automatically after %(n)s reports, until a facilitator reviews it."
            ) % {"n": count}
            if comment is None and not locked.is_hidden:
                locked.is_hidden = True
                locked.save(update_fields=["is_hidden", "updated_at"])
                menu_changed(organisation=locked.organisation)
                _history(
                    contribution=locked,
                    event=HistoryEntry.Event.HIDDEN,
                    message=message,
                    is_public=False,
                )
            elif comment is not None:
                updated = Comment.objects.filter(pk=comment.pk, is_hidden=False).update(
                    is_hidden=True, moderation_note=message
                )
                if updated:
                    _history(
                        contribution=locked,
                        event=HistoryEntry.Event.HIDDEN,
                        message=_("Comment by %(name)s: %(reason)s")
                        % {"name": comment.author, "reason": message},
                        is_public=False,
                    )
    return True


def contribution_report(
    *, contribution: Contribution, user=None, session_key: str = "", reason: str = ""
) -> bool:
    return _report(
        contribution=contribution, comment=None, user=user, session_key=session_key, reason=reason
    )


def comment_report(*, comment: Comment, user=None, session_key: str = "", reason: str = "") -> bool:
    return _report(
        contribution=comment.contribution,
        comment=comment,
        user=user,
        session_key=session_key,
        reason=reason,
    )


@transaction.atomic
def contributions_escalate_overdue(
    *, organisation: Organisation, actor=None, now: datetime | None = None
) -> list[Contribution]:
    """Tell the organisation's administrators, once, about each overdue complaint.

    `escalated_at` records it, so running this again (the daily command, or a
    facilitator's button) never repeats an escalation.
    """
    now = now or timezone.now()
    overdue = list(
        contributions_to_escalate(organisation=organisation, now=now).select_for_update(
            of=("self",)
        )
    )
    if not overdue:
        return []
    Contribution.objects.filter(pk__in=[c.pk for c in overdue], escalated_at__isnull=True).update(
        escalated_at=now
    )
    HistoryEntry.objects.bulk_create(
        [
            HistoryEntry(
                contribution=c,
                event=HistoryEntry.Event.ESCALATED,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                is_public=False,
            )
            for c in overdue
        ]
    )
    admins = list(organisation_admins(organisation=organisation))
    if admins:
        lines = [
            lazy_message(
                gettext_lazy("- %(title)s (code %(code)s), to answer by %(due)s"),
                title=c.title,
                code=c.follow_up_code,
                due=c.answer_due,
            )
            for c in overdue
        ]
        notify(
            recipients=admins,
            title=lazy_message(
                ngettext_lazy(
                    "%(count)s complaint overdue at %(org)s",
                    "%(count)s complaints overdue at %(org)s",
                    "count",
                ),
                count=len(overdue),
                org=organisation.name,
            ),
            # Each line is translated when the whole body is read, in the reader's language.
            body=format_lazy("\n".join("{}" for _line in lines), *lines),
            url=reverse("contributions:overdue_list", kwargs={"org_slug": organisation.slug}),
            organisation=organisation,
        )
    audit_log(
        actor=actor,
        organisation=organisation,
        action="contributions.escalate",
        details={"contributions": [c.pk for c in overdue]},
    )
    for c in overdue:
        c.escalated_at = now
    return overdue


def follow_up_code_email(*, contribution: Contribution, email: str, follow_up_url: str) -> None:
    """Send a contribution's follow-up code to `email`, once, in the current language.

    The address is used for this email only: it is written nowhere (no row, no task
    argument, no log), so an anonymous contribution stays anonymous. Hence sent in
    the request rather than by a task. The email carries no text typed by the
    contributor (not even the title), so it cannot be used to send someone else a
    message. Raises OSError (smtplib errors included) if the mail server refuses.
    """
    context = {
        "organisation": contribution.organisation,
        "code": contribution.follow_up_code_display,
        "follow_up_url": follow_up_url,
        "sent_on": contribution.created_at,
    }
    send_mail(
        subject=_("Your follow-up code for %(name)s") % {"name": contribution.organisation.name},
        message=render_to_string("contributions/email/follow_up_code.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
