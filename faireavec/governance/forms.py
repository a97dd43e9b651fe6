"""Forms of the governance app; views hand their cleaned data to services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from faireavec.governance.models import (
    Assembly,
    BoardQuestion,
    Body,
    Choice,
    College,
    Discussion,
    DiscussionReply,
    Member,
    Poll,
    PollOption,
    Resolution,
    Seat,
    StatuteSettings,
    Voter,
    VoteRecord,
)
from faireavec.governance.polls import BEST_FIRST, GRADES, METHOD_HELP

STATUTE_FIELDS = [
    "voting_mode",
    "empty_college",
    "abstentions_count",
    "tie_rule",
    "proxy_cap",
    "notice_days_first",
    "notice_days_second",
    "quorum_ordinary_first",
    "quorum_ordinary_second",
    "quorum_extraordinary_first",
    "quorum_extraordinary_second",
    "mandate_notice_days",
    "question_answer_days",
    "statutes_note",
]


class StatutesForm(forms.ModelForm):
    class Meta:
        model = StatuteSettings
        fields = STATUTE_FIELDS
        widgets = {
            "voting_mode": forms.RadioSelect,
            "empty_college": forms.RadioSelect,
            "tie_rule": forms.RadioSelect,
            "statutes_note": forms.Textarea(attrs={"rows": 4}),
        }


class CollegeRowForm(forms.Form):
    """One college in the colleges' form (the whole set is saved at once)."""

    college_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    weight = forms.DecimalField(
        label=_("Weight (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        required=False,
        localize=True,
    )
    description = forms.CharField(label=_("Who belongs to it"), max_length=500, required=False)
    delete = forms.BooleanField(label=_("Remove this college"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("weight") is None and not data.get("delete"):
            self.add_error("weight", _("Give this college a weight."))
        if data.get("weight") is not None and not data.get("name"):
            self.add_error("name", _("Give this college a name."))
        return data


CollegeFormSet = forms.formset_factory(CollegeRowForm, extra=1, max_num=12, absolute_max=12)


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["number", "name", "email", "college", "joined_on", "shares", "status", "left_on"]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "left_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = College.objects.filter(organisation=organisation)
        self.fields["left_on"].help_text = _(
            "For a member who resigned or was excluded (today by default)."
        )


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Number, name or email"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Member.Status.choices]
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Table to import"),
        help_text=_(
            "A CSV, XLSX or ODS file whose first line names the columns; « Number » and « Name » are required."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ods"}),
    )


class AssemblyForm(forms.ModelForm):
    class Meta:
        model = Assembly
        fields = [
            "title",
            "kind",
            "convocation_number",
            "mode",
            "session_at",
            "place",
            "description",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "convocation_number": forms.RadioSelect,
            "mode": forms.RadioSelect,
            "session_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ResolutionForm(forms.ModelForm):
    document = forms.URLField(
        label=_("Document (address)"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Resolution
        fields = ["title", "text", "majority", "base", "amendments", "document"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "amendments": forms.Textarea(attrs={"rows": 3}),
            "majority": forms.RadioSelect,
            "base": forms.RadioSelect,
        }


class BallotForm(forms.Form):
    """One person's ballot: a for / against / abstain choice per open resolution;
    a resolution left blank is not voted yet."""

    def __init__(self, *args, resolutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolutions = list(resolutions)
        for resolution in self.resolutions:
            self.fields[f"r{resolution.pk}"] = forms.ChoiceField(
                label=str(resolution),
                choices=Choice.choices,
                widget=forms.RadioSelect,
                required=False,
                help_text=resolution.get_majority_display()
                + " "
                + str(resolution.get_base_display()),
            )

    def clean(self):
        data = super().clean()
        if not self.errors and not self.choices_of(data):
            raise forms.ValidationError(
                _("Choose for, against or abstain on at least one resolution.")
            )
        return data

    def choices_of(self, data=None) -> dict[int, str]:
        data = self.cleaned_data if data is None else data
        return {r.pk: data[f"r{r.pk}"] for r in self.resolutions if data.get(f"r{r.pk}")}


class PaperBallotForm(BallotForm):
    channel = forms.ChoiceField(
        label=_("How this vote was given"),
        choices=[
            (VoteRecord.Channel.IN_PERSON, pgettext_lazy("vote channel", "in person")),
            (VoteRecord.Channel.POSTAL, pgettext_lazy("vote channel", "postal")),
        ],
        widget=forms.RadioSelect,
        initial=VoteRecord.Channel.IN_PERSON,
    )


class ProxyForm(forms.Form):
    to_chair = forms.BooleanField(
        label=_("I give my proxy to the chair of the assembly"), required=False
    )
    holder_number = forms.CharField(
        label=_("Member number of the person who will represent me"),
        max_length=30,
        required=False,
        help_text=_("Leave empty if you give it to the chair."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("to_chair") and not data.get("holder_number"):
            raise forms.ValidationError(_("Give a member number, or tick « to the chair »."))
        return data


class PaperProxyForm(ProxyForm):
    to_chair = forms.BooleanField(label=_("Proxy to the chair"), required=False)
    holder_number = forms.CharField(
        label=_("Member number of the proxy holder"), max_length=30, required=False
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=[
            (Voter.Attendance.PRESENT, Voter.Attendance.PRESENT.label),
            (Voter.Attendance.POSTAL, Voter.Attendance.POSTAL.label),
            (Voter.Attendance.ABSENT, Voter.Attendance.ABSENT.label),
        ],
        widget=forms.RadioSelect,
    )


class VoterSearchForm(forms.Form):
    numero = forms.CharField(label=_("Member number"), max_length=30, required=False)


class TrackerSearchForm(forms.Form):
    tracker = forms.CharField(label=_("Your ballot tracker"), max_length=20, required=False)


class MinutesForm(forms.Form):
    note = forms.CharField(
        label=_("Notes for the minutes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Debates, questions, incidents: they are printed in the minutes."),
    )


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "description", "mandate_months"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}


class SeatForm(forms.Form):
    label = forms.CharField(label=_("Seat"), max_length=100)
    reserved_for = forms.ChoiceField(
        label=_("Reserved for"),
        choices=Seat.Reserved.choices,
        widget=forms.RadioSelect,
        initial=Seat.Reserved.NONE,
    )
    college = forms.ModelChoiceField(
        label=_("College"), queryset=College.objects.none(), required=False
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = College.objects.filter(organisation=organisation)


class MandateForm(forms.Form):
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=Seat.objects.none())
    member_number = forms.CharField(label=_("Member number"), max_length=30)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the body's usual length of mandate."),
    )
    is_user = forms.BooleanField(label=_("This member is a user of the services"), required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = body.seats.all()


DATETIME_LOCAL = {"type": "datetime-local"}


class PollForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        help_text=_("One option per line, two to twenty."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )

    class Meta:
        model = Poll
        fields = ["title", "description", "method", "audience", "opens_at", "closes_at"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "method": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "opens_at": forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M"),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing date must come after the opening."))
        return data

    def option_labels(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()


GRADE_CHOICES = [(value, GRADES[value][1]) for value in BEST_FIRST]


class PollAnswerForm(forms.Form):
    """A person's answer: a grade per option (majority judgment), the options
    approved (approval) or the one chosen (single choice)."""

    def __init__(self, *args, poll: Poll, options: list[PollOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = options
        if poll.is_judgment:
            for option in options:
                self.fields[f"o{option.pk}"] = forms.TypedChoiceField(
                    label=option.label,
                    choices=GRADE_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Give this option a grade.")},
                )
        elif poll.method == Poll.Method.APPROVAL:
            self.fields["approved"] = forms.TypedMultipleChoiceField(
                label=_("The options I approve"),
                choices=[(o.pk, o.label) for o in options],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Tick at least one option.")},
                help_text=(
                    ngettext_lazy("Tick at most %(n)s option.", "Tick at most %(n)s options.", "n")
                    % {"n": poll.max_choices}
                    if poll.max_choices
                    else METHOD_HELP["approval"]
                ),
            )
        else:
            self.fields["chosen"] = forms.TypedChoiceField(
                label=_("My choice"),
                choices=[(o.pk, o.label) for o in options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one option.")},
                help_text=METHOD_HELP["single"],
            )

    def marks(self) -> dict[int, int]:
        data = self.cleaned_data
        if self.poll.is_judgment:
            return {o.pk: data[f"o{o.pk}"] for o in self.options}
        if self.poll.method == Poll.Method.APPROVAL:
            return dict.fromkeys(data["approved"], 1)
        return {data["chosen"]: 1}


class DiscussionForm(forms.ModelForm):
    class Meta:
        model = Discussion
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class ReplyForm(forms.ModelForm):
    class Meta:
        model = DiscussionReply
        fields = ["body"]
        labels = {"body": _("Your reply")}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class BoardQuestionForm(forms.ModelForm):
    class Meta:
        model = BoardQuestion
        fields = ["title", "body"]
        labels = {"title": _("Your question"), "body": _("Details (if needed)")}
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}


class BoardAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The board's answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Published under the question, for every member to read."),
    )


class ModerateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden"),
        required=False,
        max_length=300,
        help_text=_("Shown in its place and sent to its author."),
    )


class ElectionForm(forms.Form):
    seats = forms.ModelMultipleChoiceField(
        label=_("Seats to fill"),
        queryset=Seat.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the seats to fill.")},
    )
    candidates = forms.CharField(
        label=_("Candidates"),
        help_text=_(
            "One member number per line; add « , usager » after the number of a "
            "candidate who uses the services."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    opens_at = forms.DateTimeField(
        label=_("Vote opens at"),
        widget=forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("Vote closes at"),
        widget=forms.DateTimeInput(attrs=DATETIME_LOCAL, format="%Y-%m-%dT%H:%M"),
    )
    mandates_start_on = forms.DateField(
        label=_("Mandates start on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["seats"].queryset = Seat.objects.filter(body=body).order_by("position", "pk")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing date must come after the opening."))
        return data

    def candidate_members(self) -> list[tuple[Member, bool]]:
        """(member, is a user) for each line, or a form error naming the unknown numbers."""
        wanted = []
        for line in self.cleaned_data["candidates"].splitlines():
            number, _sep, note = line.partition(",")
            if number.strip():
                wanted.append((number.strip(), note.strip().lower() in {"usager", "user"}))
        found = {
            m.number: m
            for m in Member.objects.filter(
                organisation=self.body.organisation, number__in=[n for n, _u in wanted]
            )
        }
        unknown = [n for n, _u in wanted if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("No member has the number %(numbers)s.") % {"numbers": ", ".join(unknown)}
            )
        return [(found[n], u) for n, u in wanted]
