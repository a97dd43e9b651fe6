"""How the surveys app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from faireavec.contributions.models import Channel
from faireavec.core.audit import AuditAction, choice_label, field_names
from faireavec.surveys.models import Question, Survey


def export_what(value) -> str:
    return {
        "responses": str(_("the raw responses")),
        "results": str(_("the results")),
    }.get(value, str(value))


AUDIT_ACTIONS = {
    "survey.create": AuditAction(
        label=_("Survey created"), sentence=_("%(actor)s created the survey « %(target)s »")
    ),
    "survey.from_template": AuditAction(
        label=_("Survey created from a template"),
        sentence=_("%(actor)s created the survey « %(target)s » from a template"),
    ),
    "survey.import": AuditAction(
        label=_("Survey imported"),
        sentence=_("%(actor)s imported the survey « %(target)s » from an XLSForm file"),
    ),
    "survey.update": AuditAction(
        label=_("Survey changed"),
        sentence=_("%(actor)s changed the survey « %(target)s »: %(fields)s"),
        values={"fields": field_names(Survey)},
    ),
    "survey.status": AuditAction(
        label=_("Survey published or closed"),
        sentence=_("%(actor)s changed the survey « %(target)s » from %(from)s to %(to)s"),
        values={"from": choice_label(Survey.Status), "to": choice_label(Survey.Status)},
    ),
    "survey.delete": AuditAction(
        label=_("Survey deleted"), sentence=_("%(actor)s deleted the survey « %(title)s »")
    ),
    "survey.new_wave": AuditAction(
        label=_("New wave of a survey"),
        sentence=_("%(actor)s made « %(target)s », a new wave of « %(previous)s »"),
    ),
    "survey.section_create": AuditAction(
        label=_("Survey section added"),
        sentence=_("%(actor)s added the section « %(target)s »"),
    ),
    "survey.section_update": AuditAction(
        label=_("Survey section changed"),
        sentence=_("%(actor)s changed the section « %(target)s »"),
    ),
    "survey.section_delete": AuditAction(
        label=_("Survey section deleted"),
        sentence=_("%(actor)s deleted the section « %(title)s »"),
    ),
    "survey.section_move": AuditAction(
        label=_("Survey section moved"), sentence=_("%(actor)s moved the section « %(target)s »")
    ),
    "survey.question_create": AuditAction(
        label=_("Question added"), sentence=_("%(actor)s added the question « %(target)s »")
    ),
    "survey.question_update": AuditAction(
        label=_("Question changed"),
        sentence=_("%(actor)s changed the question « %(target)s »: %(fields)s"),
        values={"fields": field_names(Question)},
    ),
    "survey.question_hide": AuditAction(
        label=_("Question hidden"), sentence=_("%(actor)s hid the question « %(target)s »")
    ),
    "survey.question_show": AuditAction(
        label=_("Question shown again"),
        sentence=_("%(actor)s showed the question « %(target)s » again"),
    ),
    "survey.question_delete": AuditAction(
        label=_("Question deleted"), sentence=_("%(actor)s deleted the question « %(label)s »")
    ),
    "survey.question_move": AuditAction(
        label=_("Question moved"), sentence=_("%(actor)s moved the question « %(target)s »")
    ),
    "survey.tokens_generate": AuditAction(
        label=_("Single-use codes made"),
        sentence=ngettext_lazy(
            "%(actor)s made %(count)s single-use code for « %(target)s »",
            "%(actor)s made %(count)s single-use codes for « %(target)s »",
            "count",
        ),
    ),
    "survey.tokens_email": AuditAction(
        label=_("Single-use codes sent by email"),
        sentence=ngettext_lazy(
            "%(actor)s sent %(sent)s single-use code by email for « %(target)s »",
            "%(actor)s sent %(sent)s single-use codes by email for « %(target)s »",
            "sent",
        ),
    ),
    "survey.assisted_entry": AuditAction(
        label=_("Survey answers entered for someone"),
        sentence=_("%(actor)s entered answers to « %(target)s » received %(channel)s"),
        values={"channel": choice_label(Channel)},
    ),
    "survey.answer_to_contribution": AuditAction(
        label=_("Survey answer turned into a contribution"),
        sentence=_(
            "%(actor)s turned an answer to « %(survey)s » into the contribution « %(target)s »"
        ),
    ),
    "survey.export": AuditAction(
        label=_("Survey exported"),
        sentence=_("%(actor)s exported %(what)s of « %(target)s » (%(format)s, %(rows)s rows)"),
        values={"what": export_what},
        retired=True,  # exports are recorded as core.export_of since they go through core
    ),
}
