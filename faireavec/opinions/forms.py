from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from faireavec.opinions.models import STATEMENT_MAX_LENGTH, Conversation, Vote
from faireavec.opinions.services import CONVERSATION_FIELDS


class ConversationForm(forms.ModelForm):
    """A conversation's settings; the view hands `service_data()` to a service."""

    class Meta:
        model = Conversation
        fields = list(CONVERSATION_FIELDS)
        widgets = {
            "question": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
            "moderation": forms.RadioSelect,
        }

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = phases
        self.fields["phase"].label_from_instance = lambda phase: f"{phase.initiative} — {phase}"
        self.fields["phase"].empty_label = _("No initiative")

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Statement"),
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Written here, not on the class: « % » on a lazy text would fix it in the
        # language active when the module was imported.
        self.fields["text"].help_text = gettext(
            "One idea, in one or two short sentences that people can agree or disagree with "
            "(%(max)s characters at most)."
        ) % {"max": STATEMENT_MAX_LENGTH}


class VoteForm(forms.Form):
    """One vote: the statement shown and the button pressed (agree, disagree, pass)."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.TypedChoiceField(
        choices=[(str(v), label) for v, label in Vote.Value.choices], coerce=int
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your follow-up code"),
        max_length=20,
        help_text=_("The ten letters and digits you were given, for example ACDEF-34679."),
    )


class ImportForm(forms.Form):
    """The files of a Pol.is conversation (its public datasets' layout)."""

    comments = forms.FileField(
        label=_("comments.csv file"),
        help_text=_(
            "The statements: columns comment-id, comment-body, and if present author-id, "
            "moderated (1 published, 0 not moderated, -1 rejected) and timestamp."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    votes = forms.FileField(
        label=_("votes.csv file"),
        help_text=_(
            "The votes: columns comment-id, voter-id, vote (1 agree, -1 disagree, 0 pass) "
            "and timestamp."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    summary = forms.FileField(
        label=_("summary.csv file (optional)"),
        required=False,
        help_text=_("Gives the conversation its title (topic) and its description."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean(self):
        from faireavec.opinions.transfer import IMPORT_MAX_BYTES

        data = super().clean()
        for name in ("comments", "votes", "summary"):
            upload = data.get(name)
            if upload is not None and (upload.size or 0) > IMPORT_MAX_BYTES:
                self.add_error(
                    name,
                    _("The file is too large (%(mb)s MB at most).")
                    % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)},
                )
        return data

    def files_by_name(self) -> dict:
        return {
            "comments.csv": self.cleaned_data["comments"],
            "votes.csv": self.cleaned_data["votes"],
            "summary.csv": self.cleaned_data.get("summary"),
        }


class ExportForm(forms.Form):
    file = forms.ChoiceField(
        label=_("File"),
        choices=[
            ("zip", _("The four files in one zip archive")),
            ("comments.csv", _("comments.csv: the statements")),
            ("votes.csv", _("votes.csv: every vote")),
            ("participants-votes.csv", _("participants-votes.csv: each person's votes and group")),
            ("summary.csv", _("summary.csv: the figures of the conversation")),
        ],
        initial="zip",
        widget=forms.RadioSelect,
    )
