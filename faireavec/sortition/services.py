"""Writes of the sortition app: pools, categories, quotas, volunteers, draws, replacements."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faireavec.core.audit import audit_log
from faireavec.core.jobs import job_start
from faireavec.sortition import algorithms as alg
from faireavec.sortition.models import (
    Category,
    Draw,
    Feature,
    PanelMember,
    Pool,
    Replacement,
    Value,
    Volunteer,
)

MAX_VALUES = 30


@transaction.atomic
def pool_create(
    *, organisation, actor, title: str, panel_size: int, description: str = "", phase=None
) -> Pool:
    pool = Pool(
        organisation=organisation,
        title=title,
        panel_size=panel_size,
        description=description,
        phase=phase,
        created_by=actor,
    )
    pool.full_clean()
    pool.save()
    audit_log(actor=actor, organisation=organisation, action="sortition.pool_create", target=pool)
    return pool


@transaction.atomic
def category_create(*, pool: Pool, actor, name: str, values: list[str]) -> Category:
    """A category with its values (at least two, all different), quotas 0 to the panel size."""
    labels = [v.strip() for v in values if v.strip()]
    if len(labels) < 2 or len(set(labels)) != len(labels) or len(labels) > MAX_VALUES:
        raise ValidationError(
            {"values": _("Give between 2 and 30 different values, one per line.")}
        )
    if Category.objects.filter(pool=pool, name=name).exists():
        raise ValidationError({"name": _("This pool already has a category with this name.")})
    category = Category(pool=pool, name=name, position=pool.categories.count())
    category.full_clean()
    category.save()
    for position, label in enumerate(labels):
        value = Value(category=category, label=label, position=position, max_quota=None)
        value.full_clean()
        value.save()
    audit_log(
        actor=actor,
        organisation=pool.organisation,
        action="sortition.category_create",
        target=category,
    )
    return category


@transaction.atomic
def quotas_set(*, pool: Pool, actor, quotas: Mapping[int, tuple[int, int | None]]) -> None:
    """Set each value's minimum and maximum (values of this pool only)."""
    values = {v.pk: v for v in Value.objects.filter(category__pool=pool).select_for_update()}
    errors = {}
    for pk, (low, high) in quotas.items():
        value = values.get(pk)
        if value is None:
            raise ValidationError(_("This value is not in this pool."))
        if high is not None and low > high:
            errors[f"min_{pk}"] = _("The minimum of « %(value)s » is above its maximum.") % {
                "value": value.label
            }
            continue
        value.min_quota, value.max_quota = low, high
    if errors:
        raise ValidationError(errors)
    for value in values.values():
        value.full_clean()
        value.save(update_fields=["min_quota", "max_quota"])
    audit_log(
        actor=actor, organisation=pool.organisation, action="sortition.quotas_set", target=pool
    )


def quotas_proposed(
    *, pool: Pool, figures: Mapping[int, float] | None = None, margin: int = 1
) -> dict[int, tuple[int, int]]:
    """Quotas proportional to a reference population: the pool itself, or figures typed in
    (people per value, e.g. the membership by college). Nothing is saved."""
    values = list(Value.objects.filter(category__pool=pool).select_related("category"))
    if figures is None:
        counts = {
            row["value"]: row["n"]
            for row in Feature.objects.filter(volunteer__pool=pool)
            .values("value")
            .annotate(n=Count("pk"))
        }
        figures = {v.pk: counts.get(v.pk, 0) for v in values}
    shares = {(str(v.category_id), str(v.pk)): float(figures.get(v.pk, 0)) for v in values}
    proposed = alg.proportional_quotas(shares, pool.panel_size, margin=margin)
    return {int(value): quota for (_category, value), quota in proposed.items()}


def _check_features(pool: Pool, values: Mapping[int, int]) -> list[Value]:
    categories = list(pool.categories.all())
    chosen = {v.pk: v for v in Value.objects.filter(category__pool=pool, pk__in=values.values())}
    errors = {}
    result = []
    for category in categories:
        value = chosen.get(values.get(category.pk))
        if value is None or value.category_id != category.pk:
            errors[f"category_{category.pk}"] = _("Choose an answer.")
        else:
            result.append(value)
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def volunteer_register(
    *,
    pool: Pool,
    name: str,
    contact: str,
    values: Mapping[int, int],
    consent_text: str,
    source: str = Volunteer.Source.FORM,
    user=None,
    actor=None,
) -> Volunteer:
    """Add a volunteer with their value in every category and the consent they gave.

    From the public form, the pool must be open; a facilitator's assisted entry
    (`actor`) may add people after it closed.
    """
    if source == Volunteer.Source.FORM and not pool.registration_open:
        raise ValidationError(_("Registration for this draw is closed."))
    features = _check_features(pool, values)
    volunteer = Volunteer(
        pool=pool,
        name=name.strip(),
        contact=contact.strip(),
        source=source,
        consent_at=timezone.now(),
        consent_text=consent_text,
        user=user if getattr(user, "is_authenticated", False) else None,
    )
    volunteer.full_clean(validate_constraints=False)
    if Volunteer.objects.filter(pool=pool, contact=volunteer.contact).exists():
        raise ValidationError({"contact": _("Someone already registered with this contact.")})
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError:
        raise ValidationError(
            {"contact": _("Someone already registered with this contact.")}
        ) from None
    Feature.objects.bulk_create(
        [Feature(volunteer=volunteer, category_id=v.category_id, value=v) for v in features]
    )
    if actor is not None:
        audit_log(
            actor=actor,
            organisation=pool.organisation,
            action="sortition.volunteer_add",
            target=volunteer,
            details={"pool": pool.title},
        )
    return volunteer


def pool_problem(pool: Pool) -> tuple[alg.Problem, int]:
    """The pool as an instance for the algorithms, and how many volunteers were left out
    because they have no value for a category added after they registered."""
    categories = list(pool.categories.prefetch_related("values"))
    names = [str(c.pk) for c in categories]
    quotas = {
        (str(c.pk), str(v.pk)): (
            v.min_quota,
            v.max_quota if v.max_quota is not None else pool.panel_size,
        )
        for c in categories
        for v in c.values.all()
    }
    people: dict[str, dict[str, str]] = {}
    for volunteer in Volunteer.objects.filter(pool=pool, consent_at__isnull=False).prefetch_related(
        "features"
    ):
        people[str(volunteer.pk)] = {
            str(f.category_id): str(f.value_id) for f in volunteer.features.all()
        }
    complete = {pid: f for pid, f in people.items() if len(f) == len(names)}
    if not names:
        raise ValidationError(_("Add at least one category before drawing."))
    return alg.build_problem(
        people=complete, quotas=quotas, k=pool.panel_size, categories=names
    ), len(people) - len(complete)


def explanation_sentences(pool: Pool, explanation: alg.Explanation) -> list[str]:
    """What clashes and what to change, in words (categories and values by their names)."""
    names = {str(c.pk): c.name for c in pool.categories.all()}
    labels = {str(v.pk): v.label for v in Value.objects.filter(category__pool=pool)}
    sentences = []
    for clash in explanation.clashes:
        n = clash.numbers
        category = names.get(clash.category, clash.category)
        value = labels.get(clash.values[0][1], "") if clash.values else ""
        if clash.kind == "pool_too_small":
            sentences.append(
                ngettext(
                    "The pool has %(pool)s volunteer, fewer than the panel's %(k)s seats.",
                    "The pool has %(pool)s volunteers, fewer than the panel's %(k)s seats.",
                    n["pool"],
                )
                % n
            )
        elif clash.kind == "min_above_max":
            sentences.append(
                _("« %(value)s »: the minimum (%(min)s) is above the maximum (%(max)s).")
                % {"value": value, **n}
            )
        elif clash.kind == "min_above_available":
            sentences.append(
                _(
                    "« %(value)s »: the minimum is %(min)s but only %(available)s volunteers have it."
                )
                % {"value": value, **n}
            )
        elif clash.kind == "category_minimums":
            sentences.append(
                _("« %(category)s »: the minimums add up to %(sum)s, more than the %(k)s seats.")
                % {"category": category, **n}
            )
        elif clash.kind == "category_maximums":
            sentences.append(
                _(
                    "« %(category)s »: at most %(sum)s people can be taken (maximums and "
                    "volunteers available), fewer than the %(k)s seats."
                )
                % {"category": category, **n}
            )
        else:
            sentences.append(
                _("These quotas cannot all hold together: %(values)s.")
                % {"values": ", ".join(labels.get(v, v) for _c, v in clash.values)}
            )
    for change in explanation.changes:
        what = labels.get(change.value, change.value)
        if change.bound == "min":
            sentences.append(
                _("Smallest change: lower the minimum of « %(value)s » from %(old)s to %(new)s.")
                % {"value": what, "old": change.old, "new": change.new}
            )
        else:
            sentences.append(
                _("Smallest change: raise the maximum of « %(value)s » from %(old)s to %(new)s.")
                % {"value": what, "old": change.old, "new": change.new}
            )
    return sentences


@transaction.atomic
def draw_request(
    *, pool: Pool, actor, seed: str, seed_source: str, algorithm: str = Draw.Algorithm.LEXIMIN
) -> Draw:
    """Record the draw and start computing it in the background (a job with progress)."""
    from faireavec.sortition.tasks import draw_task

    draw = Draw(
        pool=pool,
        seed=seed.strip(),
        seed_source=seed_source.strip(),
        algorithm=algorithm,
        requested_by=actor,
    )
    draw.full_clean()
    draw.save()
    job = job_start(
        organisation=pool.organisation,
        requested_by=actor,
        label=_("Draw for « %(pool)s »") % {"pool": pool.title},
        task=draw_task,
        total=100,
        draw_id=draw.pk,
    )
    draw.job = job
    draw.save(update_fields=["job"])
    audit_log(
        actor=actor,
        organisation=pool.organisation,
        action="sortition.draw_request",
        target=pool,
        details={"seed": draw.seed},
    )
    return draw


def draw_compute(*, draw: Draw, progress: Callable[[str, float], None] | None = None) -> Draw:
    """Compute the lottery, compare the three methods, draw the panel and keep the file.

    Solving happens outside any transaction (progress is written as it goes);
    the results are written in one short transaction at the end.
    """
    pool = draw.pool
    try:
        problem, left_out = pool_problem(pool)
        lottery = alg.fair_lottery(problem, algorithm=draw.algorithm, progress=progress)
    except alg.Infeasible as exc:
        Draw.objects.filter(pk=draw.pk).update(
            status=Draw.Status.FAILED,
            message="\n".join(explanation_sentences(pool, exc.explanation))[:2000],
        )
        draw.refresh_from_db()
        return draw
    except (alg.SortitionError, ValidationError) as exc:
        Draw.objects.filter(pk=draw.pk).update(status=Draw.Status.FAILED, message=str(exc)[:2000])
        draw.refresh_from_db()
        return draw
    others = []
    for name in (alg.LEXIMIN, alg.MAXIMIN):
        if name != draw.algorithm:
            others.append(alg.fair_lottery(problem, algorithm=name))
    others.append(alg.uniform_lottery(problem, time_limit=60))
    by_name = {lot.algorithm: lot for lot in [lottery, *others]}
    comparison = alg.compare(problem, [by_name[n] for n in alg.ALGORITHMS])
    document = alg.lottery_document(lottery, seed=draw.seed)
    document["pool"] = pool.title
    document["seed_source"] = draw.seed_source
    document["categories_named"] = {str(c.pk): c.name for c in pool.categories.all()}
    document["values_named"] = {
        str(v.pk): v.label for v in Value.objects.filter(category__pool=pool)
    }
    document["people_left_out"] = left_out
    probability = {p["id"]: p["probability"] for p in document["people"]}
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        locked.status = Draw.Status.DONE
        locked.document = document
        locked.comparison = comparison
        locked.save(update_fields=["status", "document", "comparison", "updated_at"])
        PanelMember.objects.bulk_create(
            [
                PanelMember(draw=locked, volunteer_id=int(pid), probability=probability[pid])
                for pid in document["panel"]
            ]
        )
    return locked


@transaction.atomic
def replacement_record(*, draw: Draw, actor, leaving: Volunteer, reason: str) -> Replacement:
    """Replace someone who drops out by a volunteer with whom every quota still holds.

    The replacement is chosen with the draw's seed among those who fit
    (`algorithms.choose_replacement`), so it can be checked too.
    """
    draw = Draw.objects.select_for_update().select_related("pool").get(pk=draw.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this person leaves the panel.")})
    member = PanelMember.objects.filter(draw=draw, volunteer=leaving, active=True).first()
    if member is None:
        raise ValidationError(_("This person is not on the panel."))
    problem, _left_out = pool_problem(draw.pool)
    current = [str(m.volunteer_id) for m in PanelMember.objects.filter(draw=draw, active=True)]
    ever = {str(m.volunteer_id) for m in PanelMember.objects.filter(draw=draw)}
    candidates = [
        c
        for c in alg.replacement_candidates(problem, panel=current, leaving=str(leaving.pk))
        if c not in ever
    ]
    number = draw.replacements.count() + 1
    chosen = alg.choose_replacement(seed=draw.seed, candidates=candidates, number=number)
    if chosen is None:
        raise ValidationError(
            _("No volunteer left in the pool keeps every quota in this person's place.")
        )
    arriving = Volunteer.objects.get(pk=int(chosen), pool=draw.pool)
    member.active = False
    member.save(update_fields=["active", "updated_at"])
    probability = (draw.document or {}).get("people", [])
    chance = next((p["probability"] for p in probability if p["id"] == chosen), 0.0)
    PanelMember.objects.create(draw=draw, volunteer=arriving, probability=chance)
    replacement = Replacement(
        draw=draw,
        number=number,
        leaving=leaving,
        arriving=arriving,
        reason=reason.strip(),
        recorded_by=actor,
    )
    replacement.full_clean()
    replacement.save()
    audit_log(
        actor=actor,
        organisation=draw.pool.organisation,
        action="sortition.replacement",
        target=replacement,
        details={"pool": draw.pool.title, "reason": replacement.reason},
    )
    return replacement


@transaction.atomic
def draw_fill_seats(*, draw: Draw, actor, starts_on) -> list:
    """The panel takes the free seats of the pool's body: one mandate per panel member
    who holds none there yet, through governance's `mandate_add` (which checks each
    seat's reservation). Seats reserved for a college go first to panel members of
    that college; seats reserved for users of the services are left to be filled by
    hand (being a user is not in the register). All the mandates or none."""
    from faireavec.governance.models import Mandate, Seat
    from faireavec.governance.selectors import seats_of
    from faireavec.governance.services import mandate_add

    pool = draw.pool
    if pool.body is None:
        raise ValidationError(_("This pool is not attached to a body."))
    if draw.status != Draw.Status.DONE:
        raise ValidationError(_("This draw has no panel yet."))
    body = pool.body
    seated = set(
        Mandate.objects.filter(
            seat__body=body, starts_on__lte=starts_on, ends_on__gt=starts_on
        ).values_list("member_id", flat=True)
    )
    panel = [
        m.volunteer
        for m in PanelMember.objects.filter(draw=draw, active=True).select_related(
            "volunteer__member__college"
        )
    ]
    outside = [v.name for v in panel if v.member is None]
    if outside:
        raise ValidationError(
            _("Only members of the register can hold a seat; not in the register: %(names)s.")
            % {"names": ", ".join(outside)}
        )
    waiting = [v.member for v in panel if v.member_id not in seated]
    if not waiting:
        raise ValidationError(_("Every panel member already holds a seat of this body."))
    free = [
        s
        for s in seats_of(body=body, today=starts_on)
        if s.current is None and s.reserved_for != Seat.Reserved.USERS
    ]
    plan = []
    for seat in sorted(free, key=lambda s: s.reserved_for != Seat.Reserved.COLLEGE):
        if seat.reserved_for == Seat.Reserved.COLLEGE:
            member = next((m for m in waiting if m.college_id == seat.college_id), None)
        else:
            member = waiting[0] if waiting else None
        if member is not None:
            waiting.remove(member)
            plan.append((seat, member))
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s panel member finds no free seat open to them: %(names)s.",
                "%(count)s panel members find no free seat open to them: %(names)s.",
                len(waiting),
            )
            % {"count": len(waiting), "names": ", ".join(m.name for m in waiting)}
        )
    mandates = [
        mandate_add(actor=actor, seat=seat, member=member, starts_on=starts_on)
        for seat, member in plan
    ]
    audit_log(
        actor=actor,
        organisation=pool.organisation,
        action="sortition.seats_filled",
        target=pool,
        details={"count": len(mandates), "body": body.name},
    )
    return mandates
