"""How the governance app's actions read in the activity log (see core/audit.py)."""

from django.utils.translation import gettext_lazy as _

from faireavec.core.audit import AuditAction, choice_label, field_names, iso_date
from faireavec.governance.models import Member, StatuteSettings, Voter

AUDIT_ACTIONS = {
    "governance.statutes_update": AuditAction(
        label=_("Statute settings changed"),
        sentence=_("%(actor)s changed the statute settings: %(fields)s"),
        values={"fields": field_names(StatuteSettings)},
    ),
    "governance.colleges_save": AuditAction(
        label=_("Colleges changed"),
        sentence=_("%(actor)s set the colleges: %(colleges)s"),
    ),
    "governance.member_create": AuditAction(
        label=_("Member added"),
        sentence=_("%(actor)s added %(target)s to the register"),
    ),
    "governance.member_update": AuditAction(
        label=_("Member changed"),
        sentence=_("%(actor)s changed %(target)s in the register (status: %(status)s)"),
        values={"status": choice_label(Member.Status)},
    ),
    "governance.member_import": AuditAction(
        label=_("Members imported"),
        sentence=_("%(actor)s imported %(count)s members from « %(filename)s »"),
    ),
    "governance.body_create": AuditAction(
        label=_("Body added"), sentence=_("%(actor)s added the body « %(target)s »")
    ),
    "governance.body_update": AuditAction(
        label=_("Body changed"), sentence=_("%(actor)s changed the body « %(target)s »")
    ),
    "governance.seat_add": AuditAction(
        label=_("Seat added"), sentence=_("%(actor)s added the seat « %(target)s »")
    ),
    "governance.mandate_add": AuditAction(
        label=_("Mandate recorded"),
        sentence=_("%(actor)s recorded the mandate « %(target)s » until %(ends_on)s"),
        values={"ends_on": iso_date},
    ),
    "governance.assembly_create": AuditAction(
        label=_("Assembly created"), sentence=_("%(actor)s created the assembly « %(target)s »")
    ),
    "governance.assembly_update": AuditAction(
        label=_("Assembly changed"), sentence=_("%(actor)s changed the assembly « %(target)s »")
    ),
    "governance.resolution_create": AuditAction(
        label=_("Resolution added"),
        sentence=_("%(actor)s put the resolution « %(target)s » on the agenda of « %(assembly)s »"),
    ),
    "governance.resolution_update": AuditAction(
        label=_("Resolution changed"),
        sentence=_("%(actor)s changed the resolution « %(target)s » of « %(assembly)s »"),
    ),
    "governance.resolution_delete": AuditAction(
        label=_("Resolution removed"),
        sentence=_("%(actor)s removed the resolution « %(title)s » from « %(assembly)s »"),
    ),
    "governance.assembly_convene": AuditAction(
        label=_("Assembly convened"),
        sentence=_("%(actor)s convened the assembly « %(target)s » (%(voters)s voters)"),
    ),
    "governance.assembly_chair": AuditAction(
        label=_("Chair named"),
        sentence=_("%(actor)s named %(chair)s chair of « %(target)s »"),
    ),
    "governance.proxy_give": AuditAction(
        label=_("Proxy recorded"),
        sentence=_(
            "%(actor)s recorded a proxy for « %(target)s »: %(giver)s is represented by %(holder)s"
        ),
    ),
    "governance.attendance_set": AuditAction(
        label=_("Attendance recorded"),
        sentence=_("%(actor)s marked %(member)s « %(attendance)s » at « %(target)s »"),
        values={"attendance": choice_label(Voter.Attendance)},
    ),
    "governance.paper_vote": AuditAction(
        label=_("Paper vote recorded"),
        sentence=_("%(actor)s recorded the %(channel)s vote of %(member)s at « %(target)s »"),
    ),
    "governance.assembly_close": AuditAction(
        label=_("Assembly closed"),
        sentence=_("%(actor)s closed the vote of « %(target)s » (quorum reached: %(quorum_met)s)"),
    ),
    "governance.minutes_publish": AuditAction(
        label=_("Minutes published"),
        sentence=_("%(actor)s published the minutes of « %(target)s »"),
    ),
    "governance.poll_create": AuditAction(
        label=_("Consultation created"),
        sentence=_("%(actor)s created the consultation « %(target)s » (%(count)s options)"),
    ),
    "governance.poll_close": AuditAction(
        label=_("Consultation closed"),
        sentence=_("%(actor)s closed the consultation « %(target)s »"),
    ),
    "governance.question_answer": AuditAction(
        label=_("Question answered"),
        sentence=_("%(actor)s answered the member's question « %(target)s »"),
    ),
    "governance.member_space_hide": AuditAction(
        label=_("Hidden in the members' space"),
        sentence=_("%(actor)s hid « %(target)s » in the members' space"),
    ),
    "governance.member_space_show": AuditAction(
        label=_("Shown again in the members' space"),
        sentence=_("%(actor)s showed « %(target)s » again in the members' space"),
    ),
    "governance.election_create": AuditAction(
        label=_("Election prepared"),
        sentence=_("%(actor)s prepared « %(target)s »"),
    ),
    "governance.election_fill": AuditAction(
        label=_("Elected mandates recorded"),
        sentence=_("%(actor)s recorded the mandates elected in « %(target)s » (%(count)s)"),
    ),
}
