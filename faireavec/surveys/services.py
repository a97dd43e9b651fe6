"""Every write of the surveys app: surveys and their structure, waves, tokens,
drafts, responses, and free-text answers turned into contributions."""

import copy
import smtplib
from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from faireavec.contributions.models import Channel, Contribution
from faireavec.contributions.models import Kind as ContributionKind
from faireavec.contributions.services import contribution_create
from faireavec.core.audit import audit_log
from faireavec.needs.models import Need, Source
from faireavec.needs.services import need_link_contribution, need_update
from faireavec.organisations.models import Organisation
from faireavec.surveys.conditions import condition_errors, condition_remap, is_empty
from faireavec.surveys.models import (
    CHOICE_KINDS,
    OTHER_CODE,
    Answer,
    FreeTextLink,
    Kind,
    Participation,
    Question,
    Response,
    ResponseDraft,
    Section,
    Survey,
    SurveyToken,
    new_token_code,
)
from faireavec.surveys.selectors import (
    question_has_answers,
    survey_layout,
    survey_structure,
)
from faireavec.surveys.tallies import answers_store

SURVEY_FIELDS = {
    "title",
    "description",
    "thanks",
    "audience",
    "identity",
    "limit",
    "display",
    "opens_at",
    "closes_at",
    "wave_label",
    "phase",
}
SECTION_FIELDS = {"title", "description", "condition"}
QUESTION_FIELDS = {
    "code",
    "kind",
    "label",
    "help_text",
    "required",
    "choices",
    "allow_other",
    "items",
    "min_value",
    "max_value",
    "condition",
    "is_hidden",
}
MAX_TOKENS_AT_ONCE = 2000
PARKING_POSITION = 1_000_000_000  # above any real position, for swaps


def _only(data: Mapping[str, Any], allowed: Collection[str]) -> dict[str, Any]:
    unknown = set(data).difference(allowed)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    return dict(data)


# Options -------------------------------------------------------------------


def options_from_lines(text: str, *, existing: list[dict] | None = None) -> list[dict]:
    """Options typed one per line, as [{"value": code, "label": text}]: an option
    kept from before keeps its code (so past answers and conditions still match)."""
    known = {o["label"].strip().casefold(): o["value"] for o in existing or []}
    options, used = [], set()
    for line in (text or "").splitlines():
        label = line.strip()
        if not label:
            continue
        value = known.get(label.casefold()) or slugify(label)[:30] or "option"
        base, n = value, 2
        while value in used or value == OTHER_CODE:
            value = f"{base[:26]}-{n}"
            n += 1
        used.add(value)
        options.append({"value": value, "label": label[:200]})
    return options


def _check_question(question: Question) -> None:
    """What the model alone cannot say: options, grid items and bounds by kind."""
    errors: dict[str, str] = {}
    if question.kind in CHOICE_KINDS and len(question.choices) < 2:
        errors["choices"] = _("Give at least two options, one per line.")
    if question.kind == Kind.MATRIX and len(question.items) < 1:
        errors["items"] = _("Give at least one item of the grid, one per line.")
    if question.kind not in CHOICE_KINDS:
        question.choices = []
        question.allow_other = False
    if question.kind != Kind.MATRIX:
        question.items = []
    if question.kind != Kind.NUMBER:
        question.min_value = question.max_value = None
    if errors:
        raise ValidationError(errors)


def survey_check_conditions(*, survey: Survey) -> None:
    """Every condition of the survey, as it is now laid out, is valid; otherwise a
    ValidationError (field `condition`) that names what is wrong. Services call
    it after a change, inside their transaction, so a refused change is undone."""
    sections = survey_structure(survey=survey)
    layout = survey_layout(survey=survey)
    problems = []
    for rank, section in enumerate(sections):
        for message in condition_errors(section.condition, layout=layout, section_rank=rank):
            problems.append(
                _("Section « %(title)s »: %(message)s")
                % {"title": section.title, "message": message}
            )
        for question in section.questions.all():
            if question.is_hidden:
                continue
            index = layout.order[question.pk][1]
            for message in condition_errors(
                question.condition, layout=layout, section_rank=rank, question_index=index
            ):
                problems.append(
                    _("Question « %(label)s »: %(message)s")
                    % {"label": question.label, "message": message}
                )
    if problems:
        raise ValidationError({"condition": problems})


# Surveys -------------------------------------------------------------------


def _check_phase(survey: Survey) -> None:
    """A survey is attached only to a phase of its own organisation's initiatives."""
    if (
        survey.phase_id is not None
        and survey.phase.initiative.organisation_id != survey.organisation_id
    ):
        raise ValidationError({"phase": _("Choose a phase from the list.")})


@transaction.atomic
def survey_create(*, actor, organisation: Organisation, data: Mapping[str, Any]) -> Survey:
    survey = Survey(organisation=organisation, created_by=actor, **_only(data, SURVEY_FIELDS))
    _check_phase(survey)
    survey.full_clean()
    survey.save()
    audit_log(actor=actor, organisation=organisation, action="survey.create", target=survey)
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, data: Mapping[str, Any]) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    changed = []
    has_responses = survey.responses.exists()
    for field, value in _only(data, SURVEY_FIELDS).items():
        if getattr(survey, field) != value:
            changed.append(field)
            setattr(survey, field, value)
    if has_responses and "identity" in changed:
        raise ValidationError(
            {
                "identity": _(
                    "People have answered already: whether the survey is anonymous "
                    "cannot change any more (it was promised to them)."
                )
            }
        )
    _check_phase(survey)
    survey.full_clean()
    survey.save()
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.update",
        target=survey,
        details={"fields": sorted(changed)},
    )
    return survey


@transaction.atomic
def survey_set_status(*, actor, survey: Survey, status: str) -> Survey:
    """Publish (it takes answers between its dates), put back as a draft (only
    while nobody answered), or archive (closed for good)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if status not in Survey.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Survey.Status.PUBLISHED:
        if not any(s.questions.all() for s in survey_structure(survey=survey)):
            raise ValidationError(_("Add at least one question before publishing."))
        survey_check_conditions(survey=survey)
    if status == Survey.Status.DRAFT and survey.responses.exists():
        raise ValidationError(
            _("People have answered already: close the survey (archive it) instead.")
        )
    previous = survey.status
    survey.status = status
    survey.full_clean()
    survey.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.status",
        target=survey,
        details={"from": previous, "to": status},
    )
    return survey


@transaction.atomic
def survey_delete(*, actor, survey: Survey) -> None:
    """Delete a survey that nobody answered yet (with answers: archive it)."""
    if survey.responses.exists():
        raise ValidationError(_("People have answered this survey: archive it instead."))
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.delete",
        target=survey,
        details={"title": survey.title},
    )
    survey.delete()


def _copy_structure(*, source: Survey, target: Survey) -> None:
    """Sections and questions of `source` into `target`, with the same codes and the
    conditions pointing at the copies. Hidden questions are left out."""
    mapping: dict[int, int] = {}
    pending: list[tuple[Question, dict]] = []
    pending_sections: list[tuple[Section, dict]] = []
    for section in survey_structure(survey=source):
        new_section = Section(
            survey=target,
            title=section.title,
            description=section.description,
            position=section.position,
        )
        new_section.full_clean()
        new_section.save()
        pending_sections.append((new_section, section.condition))
        for question in section.questions.all():
            if question.is_hidden:
                continue
            new_question = copy.copy(question)
            new_question.pk = None
            new_question.id = None
            new_question.section = new_section
            new_question.condition = {}
            new_question.choices = copy.deepcopy(question.choices)
            new_question.items = copy.deepcopy(question.items)
            new_question.full_clean()
            new_question.save()
            mapping[question.pk] = new_question.pk
            pending.append((new_question, question.condition))
    for new_section, condition in pending_sections:
        if not is_empty(condition):
            new_section.condition = condition_remap(condition, mapping)
            new_section.save(update_fields=["condition"])
    for new_question, condition in pending:
        if not is_empty(condition):
            new_question.condition = condition_remap(condition, mapping)
            new_question.save(update_fields=["condition"])


@transaction.atomic
def survey_new_wave(
    *,
    actor,
    survey: Survey,
    wave_label: str,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Survey:
    """A new wave of the survey: the same questions (same codes, so results
    compare), as a draft, linked to this one. Answers and tokens are not copied."""
    wave = Survey(
        organisation=survey.organisation,
        created_by=actor,
        title=survey.title,
        description=survey.description,
        thanks=survey.thanks,
        audience=survey.audience,
        identity=survey.identity,
        limit=survey.limit,
        display=survey.display,
        opens_at=opens_at,
        closes_at=closes_at,
        previous_wave=survey,
        wave_number=survey.wave_number + 1,
        wave_label=wave_label,
    )
    wave.full_clean()
    wave.save()
    _copy_structure(source=survey, target=wave)
    survey_check_conditions(survey=wave)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.new_wave",
        target=wave,
        details={"previous": str(survey)},
    )
    return wave


@transaction.atomic
def survey_from_template(*, actor, organisation: Organisation, template: str) -> Survey:
    """A draft survey made from one of the ready templates (see templates_fr.py)."""
    from faireavec.surveys.templates_fr import TEMPLATES

    if template not in TEMPLATES:
        raise ValidationError({"template": _("Choose a template from the list.")})
    spec = TEMPLATES[template]
    survey = survey_build(actor=actor, organisation=organisation, spec=spec)
    audit_log(
        actor=actor,
        organisation=organisation,
        action="survey.from_template",
        target=survey,
        details={"template": template},
    )
    return survey


@transaction.atomic
def survey_build(*, actor, organisation: Organisation, spec: Mapping[str, Any]) -> Survey:
    """A survey from a description: {"survey": {fields}, "sections": [{"title", "description",
    "condition", "questions": [{fields…}]}]}; conditions name questions by `code`
    (``{"question": "visited", …}``). Used by the templates, the demo and the XLSForm
    import. Refused whole (ValidationError) if anything is wrong."""
    survey = Survey(organisation=organisation, created_by=actor, **spec["survey"])
    survey.full_clean()
    survey.save()
    by_code: dict[str, int] = {}
    later: list[tuple[Section | Question, dict]] = []
    for s_index, section_spec in enumerate(spec["sections"]):
        section = Section(
            survey=survey,
            title=section_spec["title"],
            description=section_spec.get("description", ""),
            position=s_index,
        )
        section.full_clean()
        section.save()
        if section_spec.get("condition"):
            later.append((section, section_spec["condition"]))
        for q_index, q_spec in enumerate(section_spec["questions"]):
            fields = {k: v for k, v in q_spec.items() if k != "condition"}
            question = Question(section=section, position=q_index, **_only(fields, QUESTION_FIELDS))
            _check_question(question)
            question.full_clean()
            if question.code in by_code:
                raise ValidationError(
                    {"code": _("The code « %(code)s » is used twice.") % {"code": question.code}}
                )
            question.save()
            by_code[question.code] = question.pk
            if q_spec.get("condition"):
                later.append((question, q_spec["condition"]))
    for obj, condition in later:
        rules = []
        for rule in condition.get("rules", []):
            ref = rule.get("question")
            rules.append({**rule, "question": by_code.get(ref, ref)})
        obj.condition = {"combine": condition.get("combine", "all"), "rules": rules}
        obj.save(update_fields=["condition"])
    survey_check_conditions(survey=survey)
    return survey


# Sections ------------------------------------------------------------------


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_create(*, actor, survey: Survey, data: Mapping[str, Any]) -> Section:
    section = Section(
        survey=survey,
        position=_next_position(Section.objects.filter(survey=survey)),
        **_only(data, SECTION_FIELDS),
    )
    section.full_clean()
    section.save()
    survey_check_conditions(survey=survey)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.section_create",
        target=section,
    )
    return section


@transaction.atomic
def section_update(*, actor, section: Section, data: Mapping[str, Any]) -> Section:
    for field, value in _only(data, SECTION_FIELDS).items():
        setattr(section, field, value)
    section.full_clean()
    section.save()
    survey_check_conditions(survey=section.survey)
    audit_log(
        actor=actor,
        organisation=section.survey.organisation,
        action="survey.section_update",
        target=section,
    )
    return section


@transaction.atomic
def section_delete(*, actor, section: Section) -> None:
    """Delete a section and its questions; refused while one of them has answers."""
    if Answer.objects.filter(question__section=section).exists():
        raise ValidationError(
            _("Questions of this section have answers: hide them instead of deleting.")
        )
    survey = section.survey
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.section_delete",
        target=section,
        details={"title": section.title},
    )
    section.delete()
    survey_check_conditions(survey=survey)


def _swap(obj, neighbour) -> None:
    """Swap two positions, through a free one (positions are unique, checked at once)."""
    manager = type(obj).objects
    free = PARKING_POSITION + obj.pk
    obj.position, neighbour.position = neighbour.position, obj.position
    manager.filter(pk=obj.pk).update(position=free)
    manager.filter(pk=neighbour.pk).update(position=neighbour.position)
    manager.filter(pk=obj.pk).update(position=obj.position)


@transaction.atomic
def section_move(*, actor, section: Section, direction: str) -> bool:
    """Move a section up or down by one; False when it is already first/last.
    Refused when a condition would then look at a later question."""
    siblings = Section.objects.select_for_update().filter(survey_id=section.survey_id)
    section = siblings.get(pk=section.pk)
    if direction == "up":
        neighbour = siblings.filter(position__lt=section.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=section.position).order_by("position").first()
    if neighbour is None:
        return False
    _swap(section, neighbour)
    survey_check_conditions(survey=section.survey)
    audit_log(
        actor=actor,
        organisation=section.survey.organisation,
        action="survey.section_move",
        target=section,
        details={"direction": direction},
    )
    return True


# Questions -----------------------------------------------------------------


def _unique_code(survey: Survey, wanted: str, *, exclude_pk: int | None = None) -> str:
    taken = set(
        Question.objects.filter(section__survey=survey)
        .exclude(pk=exclude_pk)
        .values_list("code", flat=True)
    )
    base = slugify(wanted).replace("-", "_")[:34] or "q"
    code, n = base, 2
    while code in taken:
        code = f"{base}_{n}"
        n += 1
    return code


@transaction.atomic
def question_create(*, actor, section: Section, data: Mapping[str, Any]) -> Question:
    data = _only(data, QUESTION_FIELDS)
    survey = section.survey
    if data.get("code"):
        if Question.objects.filter(section__survey=survey, code=data["code"]).exists():
            raise ValidationError({"code": _("Another question of this survey has this code.")})
    else:
        data["code"] = _unique_code(survey, data.get("label", ""))
    question = Question(
        section=section,
        position=_next_position(Question.objects.filter(section=section)),
        **data,
    )
    _check_question(question)
    question.full_clean()
    question.save()
    survey_check_conditions(survey=survey)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.question_create",
        target=question,
    )
    return question


@transaction.atomic
def question_update(*, actor, question: Question, data: Mapping[str, Any]) -> Question:
    """Change a question. Once it has answers its kind and its options' codes
    stay (past answers must keep their meaning): new options may be added,
    labels changed only by adding."""
    question = (
        Question.objects.select_for_update().select_related("section__survey").get(pk=question.pk)
    )
    data = _only(data, QUESTION_FIELDS)
    survey = question.section.survey
    answered = question_has_answers(question=question)
    if answered and data.get("kind", question.kind) != question.kind:
        raise ValidationError(
            {
                "kind": _(
                    "This question has answers: its kind cannot change. Hide it and add "
                    "a new question instead."
                )
            }
        )
    if answered and question.kind in CHOICE_KINDS and "choices" in data:
        kept = {o["value"] for o in data["choices"]}
        used = set(
            Answer.objects.filter(question=question)
            .exclude(choice="")
            .exclude(choice=OTHER_CODE)
            .values_list("choice", flat=True)
            .distinct()
        )
        lost = [o["label"] for o in question.choices if o["value"] in used - kept]
        if lost:
            raise ValidationError(
                {
                    "choices": _(
                        "These options have answers and must stay as they are: %(options)s."
                    )
                    % {"options": ", ".join(f"« {label} »" for label in lost)}
                }
            )
    if answered and "code" in data and data["code"] != question.code:
        raise ValidationError(
            {"code": _("This question has answers: its code is used by exports and waves.")}
        )
    if "code" in data and not data["code"]:
        data["code"] = question.code
    if (
        data.get("code")
        and data["code"] != question.code
        and Question.objects.filter(section__survey=survey, code=data["code"])
        .exclude(pk=question.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Another question of this survey has this code.")})
    changed = []
    for field, value in data.items():
        if getattr(question, field) != value:
            changed.append(field)
            setattr(question, field, value)
    _check_question(question)
    question.full_clean()
    question.save()
    survey_check_conditions(survey=survey)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.question_update",
        target=question,
        details={"fields": sorted(changed)},
    )
    return question


@transaction.atomic
def question_set_hidden(*, actor, question: Question, hidden: bool) -> Question:
    """Hide a question (no longer asked; its answers stay) or show it again.
    Refused while another question's condition looks at it."""
    question.is_hidden = hidden
    question.save(update_fields=["is_hidden"])
    survey_check_conditions(survey=question.section.survey)
    audit_log(
        actor=actor,
        organisation=question.section.survey.organisation,
        action="survey.question_hide" if hidden else "survey.question_show",
        target=question,
    )
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    """Delete a question without answers; one with answers can only be hidden."""
    if question_has_answers(question=question):
        raise ValidationError(
            _(
                "This question has answers: hide it instead, so that past answers keep their meaning."
            )
        )
    survey = question.section.survey
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.question_delete",
        target=question,
        details={"label": question.label},
    )
    question.delete()
    survey_check_conditions(survey=survey)


@transaction.atomic
def question_place(*, actor, question: Question, target: Question, after: bool = False) -> None:
    """Put a question just before (or `after`) another one of the same survey, in the
    target's section: what dragging it there with the mouse does. Refused
    (ValidationError) when a condition would then look at a later question."""
    question = (
        Question.objects.select_for_update().select_related("section__survey").get(pk=question.pk)
    )
    target = Question.objects.select_related("section").get(pk=target.pk)
    survey = question.section.survey
    if target.section.survey_id != survey.pk:
        raise ValidationError(_("A question can only move within its own survey."))
    if target.pk == question.pk:
        return
    order = list(
        Question.objects.filter(section_id=target.section_id)
        .exclude(pk=question.pk)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    order.insert(order.index(target.pk) + (1 if after else 0), question.pk)
    # Positions are unique within a section: park every row first, then number them.
    for pk in order:
        Question.objects.filter(pk=pk).update(position=PARKING_POSITION + pk)
    Question.objects.filter(pk=question.pk).update(section_id=target.section_id)
    for position, pk in enumerate(order):
        Question.objects.filter(pk=pk).update(position=position)
    survey_check_conditions(survey=survey)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.question_move",
        target=question,
        details={"direction": "after" if after else "before", "next_to": target.label},
    )


@transaction.atomic
def question_move(*, actor, question: Question, direction: str) -> bool:
    """Move a question up or down by one within its section, or across to the
    end of the previous / start of the next section when it is first / last.
    Refused (ValidationError) when a condition would then look at a later question."""
    question = (
        Question.objects.select_for_update().select_related("section__survey").get(pk=question.pk)
    )
    siblings = Question.objects.filter(section_id=question.section_id)
    if direction == "up":
        neighbour = siblings.filter(position__lt=question.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=question.position).order_by("position").first()
    survey = question.section.survey
    if neighbour is not None:
        _swap(question, neighbour)
    else:
        sections = Section.objects.filter(survey=survey)
        if direction == "up":
            other = (
                sections.filter(position__lt=question.section.position)
                .order_by("-position")
                .first()
            )
        else:
            other = (
                sections.filter(position__gt=question.section.position).order_by("position").first()
            )
        if other is None:
            return False
        in_other = Question.objects.filter(section=other)
        if direction == "up":
            position = _next_position(in_other)
        else:
            low = in_other.order_by("position").values_list("position", flat=True).first()
            position = 0 if low is None else low - 1
            if position < 0:
                for q in in_other.order_by("-position"):
                    Question.objects.filter(pk=q.pk).update(position=q.position + 1)
                position = 0
        Question.objects.filter(pk=question.pk).update(section=other, position=position)
    survey_check_conditions(survey=survey)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.question_move",
        target=question,
        details={"direction": direction},
    )
    return True


# Tokens --------------------------------------------------------------------


def _unused_token_codes(count: int) -> list[str]:
    """`count` new codes, none already given (codes are unique across surveys)."""
    taken = set(SurveyToken.objects.values_list("code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = new_token_code()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


@transaction.atomic
def tokens_generate(*, actor, survey: Survey, count: int, labels: list[str] | None = None) -> int:
    """Make `count` single-use codes (or one per label, for identified surveys)."""
    labels = [label.strip()[:200] for label in labels or [] if label.strip()]
    count = len(labels) or count
    if survey.is_anonymous:
        labels = []  # an anonymous survey must not know whom a code went to
    if count < 1 or count > MAX_TOKENS_AT_ONCE:
        raise ValidationError(
            {"count": _("Make between 1 and %(max)s codes at once.") % {"max": MAX_TOKENS_AT_ONCE}}
        )
    if survey.limit != Survey.Limit.TOKEN:
        raise ValidationError(_("This survey does not use single-use codes (see its settings)."))
    tokens = [
        SurveyToken(survey=survey, code=code, label=labels[n] if labels else "")
        for n, code in enumerate(_unused_token_codes(count))
    ]
    SurveyToken.objects.bulk_create(tokens)
    audit_log(
        actor=actor,
        organisation=survey.organisation,
        action="survey.tokens_generate",
        target=survey,
        details={"count": count},
    )
    return count


MAX_TOKEN_EMAILS_AT_ONCE = 300


def tokens_send_by_email(
    *, actor, survey: Survey, emails: list[str], answer_url: str
) -> tuple[int, list[str]]:
    """Make one single-use code per address and email it; returns (how many went,
    the addresses the mail server refused).

    Each email carries the code and a link that opens the questionnaire with the
    code typed in. A refused address gets no code (its code is deleted at once), so
    it can be sent again. In an anonymous survey the addresses are written nowhere
    (no row, no task argument, no log): nobody can tell who received which code;
    hence sent now, through one connection to the mail server, rather than by a
    task. In an identified survey each code keeps its address as its label.
    """
    if survey.limit != Survey.Limit.TOKEN:
        raise ValidationError(_("This survey does not use single-use codes (see its settings)."))
    state = survey.opening_state()
    if state == "draft":
        raise ValidationError(_("Publish the survey before sending its codes."))
    if state == "closed":
        raise ValidationError(_("This survey is closed: codes sent now could not be used."))
    if not emails or len(emails) > MAX_TOKEN_EMAILS_AT_ONCE:
        raise ValidationError(
            {
                "addresses": _("Send between 1 and %(max)s codes at once.")
                % {"max": MAX_TOKEN_EMAILS_AT_ONCE}
            }
        )
    sent, refused = 0, []
    organisation = survey.organisation
    with mail.get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for email, code in zip(emails, _unused_token_codes(len(emails)), strict=True):
            token = SurveyToken.objects.create(
                survey=survey, code=code, label="" if survey.is_anonymous else email[:200]
            )
            context = {
                "organisation": organisation,
                "survey": survey,
                "code": token.code_display,
                "link": f"{answer_url}?{urlencode({'code': token.code})}",
                "closes_at": survey.closes_at,
            }
            message = mail.EmailMessage(
                subject=_("%(organisation)s asks for your opinion: %(survey)s")
                % {"organisation": organisation.name, "survey": survey.title},
                body=render_to_string("surveys/email/token_invitation.txt", context),
                to=[email],
                connection=connection,
            )
            try:
                message.send()
            except (OSError, smtplib.SMTPException):
                token.delete()
                refused.append(email)
            else:
                sent += 1
    audit_log(
        actor=actor,
        organisation=organisation,
        action="survey.tokens_email",
        target=survey,
        details={"sent": sent, "refused": len(refused)},
    )
    return sent, refused


# Drafts and responses ------------------------------------------------------


def draft_save(
    *, survey: Survey, key: str, data: Mapping[str, Any], step: int = 0
) -> ResponseDraft:
    """Keep what the person typed so far (answers as JSON, by question id)."""
    draft, _created = ResponseDraft.objects.update_or_create(
        survey=survey, key=key, defaults={"data": dict(data), "step": step}
    )
    return draft


def draft_discard(*, survey: Survey, key: str) -> None:
    ResponseDraft.objects.filter(survey=survey, key=key).delete()


def _answer_rows(question: Question, value, other_text: str) -> list[Answer]:
    """The Answer rows of one question's value (not saved)."""
    rows: list[Answer] = []
    if value in (None, "", [], {}):
        return rows
    kind = question.kind
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        rows.append(Answer(question=question, text=str(value).strip()))
    elif kind in (Kind.SINGLE, Kind.YES_NO):
        rows.append(
            Answer(
                question=question,
                choice=str(value),
                text=other_text.strip() if value == OTHER_CODE else "",
            )
        )
    elif kind == Kind.MULTIPLE:
        for code in value:
            rows.append(
                Answer(
                    question=question,
                    choice=str(code),
                    text=other_text.strip() if code == OTHER_CODE else "",
                )
            )
    elif kind == Kind.MATRIX:
        for item, number in value.items():
            if number not in (None, ""):
                rows.append(Answer(question=question, item=str(item), number=Decimal(str(number))))
    elif kind == Kind.DATE:
        rows.append(
            Answer(
                question=question,
                date=value if isinstance(value, date) else date.fromisoformat(value),
            )
        )
    else:  # scales and numbers
        rows.append(Answer(question=question, number=Decimal(str(value))))
    return rows


class ResponseRefused(ValidationError):
    """The response cannot be taken (closed, code used, already answered)."""


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    answers: Mapping[int, Any],
    others: Mapping[int, str] | None = None,
    user=None,
    token: SurveyToken | None = None,
    channel: str = Channel.ONLINE,
    recorded_by=None,
    draft_key: str = "",
    now: datetime | None = None,
) -> Response:
    """Store one person's answers, whole or not at all.

    `answers` maps question ids to cleaned values (see `answering.py`); only the
    survey's own, visible questions are taken. Online, the survey must be open;
    a single-use code is consumed by a conditional update, so of two
    simultaneous submissions with one code only one passes (the other gets
    ResponseRefused); an account answers once (a unique participation row).
    Assisted entry (`recorded_by`, a paper or phone channel) is allowed on a
    closed survey (paper comes back late) but never on a draft.
    """
    now = now or timezone.now()
    others = others or {}
    survey = Survey.objects.select_related("organisation").get(pk=survey.pk)
    state = survey.opening_state(now)
    offline = recorded_by is not None
    if channel == Channel.ONLINE and offline:
        raise ResponseRefused(_("Answers written down by a facilitator need their channel."))
    if channel != Channel.ONLINE and not offline:
        raise ResponseRefused(_("Say who wrote these answers down."))
    if state == "draft" or (not offline and state != "open"):
        raise ResponseRefused(
            _("This survey is not open: your answers were not recorded.")
            if state != "not_yet_open"
            else _("This survey is not open yet: your answers were not recorded.")
        )
    user = user if getattr(user, "is_authenticated", False) else None
    if not offline:
        if survey.limit == Survey.Limit.ACCOUNT and user is None:
            raise ResponseRefused(_("Sign in to answer this survey."))
        if survey.limit == Survey.Limit.TOKEN and (token is None or token.survey_id != survey.pk):
            raise ResponseRefused(_("Type the code you received to answer this survey."))
    questions = {
        q.pk: q
        for q in Question.objects.filter(section__survey=survey, is_hidden=False).select_related(
            "section"
        )
    }
    rows: list[Answer] = []
    for pk, value in answers.items():
        question = questions.get(int(pk))
        if question is None:
            continue
        rows.extend(_answer_rows(question, value, others.get(int(pk), "") or ""))
    response = Response(
        survey=survey,
        respondent=user
        if (survey.identity == Survey.Identity.IDENTIFIED and not offline)
        else None,
        channel=channel,
        recorded_by=recorded_by,
        submitted_at=now,
    )
    if token is not None and not offline:
        # The one write that decides: of two concurrent submissions, the second
        # finds used_at set (PostgreSQL re-reads the row after the first commits).
        consumed = SurveyToken.objects.filter(
            pk=token.pk, survey=survey, used_at__isnull=True
        ).update(used_at=now)
        if not consumed:
            raise ResponseRefused(_("This code has been used already: each code answers once."))
        if survey.identity == Survey.Identity.IDENTIFIED:
            response.token = token
    if survey.limit == Survey.Limit.ACCOUNT and user is not None and not offline:
        try:
            with transaction.atomic():
                Participation.objects.create(survey=survey, user=user)
        except IntegrityError as exc:
            raise ResponseRefused(_("You have answered this survey already. Thank you!")) from exc
    response.full_clean()
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:
        raise ResponseRefused(_("You have answered this survey already. Thank you!")) from exc
    for row in rows:
        row.response = response
        # Fields only: the rows come from cleaned values, and the database holds the
        # constraints (asking it about each row's would cost a query per answer).
        row.full_clean(exclude=["response", "question"], validate_constraints=False)
    answers_store(rows)
    if draft_key:
        ResponseDraft.objects.filter(survey=survey, key=draft_key).delete()
    if offline:
        audit_log(
            actor=recorded_by,
            organisation=survey.organisation,
            action="survey.assisted_entry",
            target=survey,
            details={"channel": channel},
        )
    return response


# Free text into contributions ------------------------------------------------


@transaction.atomic
def answer_to_contribution(
    *,
    actor,
    answer: Answer,
    kind: str,
    title: str,
    need: Need | None = None,
) -> Contribution:
    """Turn a free-text answer into an idea or a complaint of the organisation's
    box (recorded by `actor`, channel « other »: it came through a survey),
    linked back to the answer, and optionally to a need, in one action."""
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question__section__survey__organisation", "response")
        .get(pk=answer.pk)
    )
    survey = answer.question.section.survey
    organisation = survey.organisation
    if not answer.text:
        raise ValidationError(_("Only a written answer can become a contribution."))
    if FreeTextLink.objects.filter(answer=answer).exists():
        raise ValidationError(_("This answer is already a contribution."))
    if kind not in (ContributionKind.IDEA, ContributionKind.COMPLAINT):
        raise ValidationError({"kind": _("Choose idea or complaint.")})
    if need is not None and need.organisation_id != organisation.pk:
        raise ValidationError({"need": _("Choose a need from the list.")})
    body = _("Answer to the survey « %(survey)s », question « %(question)s »:\n\n%(text)s") % {
        "survey": str(survey),
        "question": answer.question.label,
        "text": answer.text,
    }
    author = answer.response.respondent if not survey.is_anonymous else None
    # The person wrote it themselves online; a paper or phone answer keeps its
    # channel and says who wrote it down (as the contributions app does).
    offline = answer.response.channel != Channel.ONLINE
    contribution = contribution_create(
        organisation=organisation,
        kind=kind,
        title=(title or answer.text).strip()[:200],
        body=body[:5000],
        author=author,
        channel=answer.response.channel,
        recorded_by=actor if offline else None,
    )
    link = FreeTextLink(answer=answer, contribution=contribution, created_by=actor)
    link.full_clean()
    link.save()
    if need is not None:
        need_link_contribution(actor=actor, need=need, contribution=contribution)
        if Source.SURVEY not in need.sources:
            need_update(actor=actor, need=need, data={"sources": [*need.sources, Source.SURVEY]})
    audit_log(
        actor=actor,
        organisation=organisation,
        action="survey.answer_to_contribution",
        target=contribution,
        details={"survey": str(survey), "need": need.title if need else ""},
    )
    return contribution
