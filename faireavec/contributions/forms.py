from django import forms
from django.utils.translation import gettext_lazy as _

from faireavec.contributions.images import photo_sanitise
from faireavec.contributions.models import (
    Channel,
    Contribution,
    Kind,
    Severity,
    Stance,
    Status,
)
from faireavec.contributions.selectors import InboxFilters
from faireavec.organisations.models import Site

HONEYPOT = "website"


class HoneypotMixin(forms.Form):
    """A field people never see nor reach; robots that fill every field fill it too."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def visible_fields_without_honeypot(self):
        return [f for f in self.visible_fields() if f.name != HONEYPOT]


KIND_CHOICES = [
    (Kind.IDEA, _("An idea: something that could be done better, or something new")),
    (Kind.COMPLAINT, _("A complaint: something went wrong and should be put right")),
    (Kind.TESTIMONY, _("A testimony: what you lived here, good or bad")),
]


class ContributionForm(HoneypotMixin):
    """« Donner mon avis »: few fields, plain words."""

    kind = forms.ChoiceField(
        label=_("What do you want to tell us?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("In a few words"),
        max_length=150,
        help_text=_("For example: « More benches in the garden »."),
    )
    body = forms.CharField(
        label=_("Tell us more"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    site = forms.ModelChoiceField(
        label=_("Which place or service is it about?"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("I don't know, or none"),
    )
    photo = forms.FileField(
        label=_("A photo (if you want)"),
        required=False,
        help_text=_("A picture, 5 MB at most. We remove the place where it was taken."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    show_author_name = forms.BooleanField(
        label=_("Show my name next to my contribution on public pages"),
        required=False,
    )

    def __init__(self, *args, organisation, signed_in: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).order_by(
            "name"
        )
        if not self.fields["site"].queryset.exists():
            del self.fields["site"]
        if not signed_in:
            del self.fields["show_author_name"]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        return photo_sanitise(photo)


class AssistedContributionForm(forms.Form):
    """A contribution said on paper, by phone or face to face, written down by a facilitator."""

    channel = forms.ChoiceField(
        label=_("How did the person tell you?"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k, Kind(k).label.capitalize()) for k in (Kind.IDEA, Kind.COMPLAINT, Kind.TESTIMONY)
        ],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("In a few words"), max_length=150)
    body = forms.CharField(
        label=_("What the person said"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    site = forms.ModelChoiceField(
        label=_("Site or service concerned"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("None in particular"),
    )
    severity = forms.ChoiceField(
        label=_("Severity (complaints)"),
        choices=Severity.choices,
        initial=Severity.MEDIUM,
        required=False,
    )
    contact_name = forms.CharField(label=_("Name of the person"), max_length=150, required=False)
    contact_details = forms.CharField(
        label=_("How to reach the person"),
        max_length=250,
        required=False,
        help_text=_("Phone number, email or address. Only with their agreement."),
    )
    contact_consent = forms.BooleanField(
        label=_("The person agrees that we keep these details to contact them again"),
        required=False,
    )

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        has_contact = data.get("contact_name") or data.get("contact_details")
        if has_contact and not data.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _(
                    "Without the person's agreement, do not keep their name or contact details: "
                    "tick this box or empty those fields."
                ),
            )
        return data


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    message = forms.CharField(
        label=_("Message to the person"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Public. Required to decline (say why) and to answer. It becomes « What was "
            "decided » only if that is still empty; you can edit it under « Answer »."
        ),
    )

    def __init__(self, *args, contribution: Contribution, prefix_pk: bool = False, **kwargs):
        if prefix_pk:
            kwargs.setdefault("auto_id", f"id_c{contribution.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, Status(s).label.capitalize()) for s in contribution.allowed_statuses()
        ]


class ReopenForm(forms.Form):
    message = forms.CharField(
        label=_("Why is it reopened? (the person will read it)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What was decided"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown on public pages instead of the person's title. Write one for a complaint "
            "that names people."
        ),
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, required=False)


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the history)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(HoneypotMixin):
    stance = forms.ChoiceField(
        label=_("Your position"),
        choices=[
            (Stance.FOR, _("For")),
            (Stance.AGAINST, _("Against")),
            (Stance.NEUTRAL, _("Neutral, or a question")),
        ],
        initial=Stance.NEUTRAL,
        required=False,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_stance(self) -> str:
        # Left out (an old form, a script): neutral, as the form proposes.
        return self.cleaned_data.get("stance") or Stance.NEUTRAL


class ReportForm(HoneypotMixin):
    reason = forms.CharField(
        label=_("What is the problem? (if you want)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpLookupForm(forms.Form):
    """One field; a wrong code of any length gets the view's one « not found »
    message, so the only error of the form itself is an empty field."""

    code = forms.CharField(
        label=_("Your follow-up code"),
        help_text=_("10 letters and digits, as written on your receipt."),
        error_messages={"required": _("Type the follow-up code you received.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "maxlength": "30",
            }
        ),
    )


class FollowUpEmailForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_(
            "We use it once, to send you the code, and do not keep it: "
            "your message stays anonymous."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


AGE_CHOICES = [
    ("", _("Any age")),
    ("7", _("More than 7 days old")),
    ("30", _("More than 30 days old")),
    ("90", _("More than 90 days old")),
]


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (title or code)"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), ("open", _("Not finished")), *Status.choices],
        required=False,
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All")
    )
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Overdue complaints only"), required=False)
    hidden = forms.BooleanField(label=_("Hidden by moderation only"), required=False)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).order_by(
            "name"
        )

    def filters(self) -> InboxFilters:
        """The valid filters for `contributions_inbox` (none when the form is invalid)."""
        if not self.is_valid():
            return InboxFilters()
        data = self.cleaned_data
        return InboxFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            site=data["site"].pk if data.get("site") else None,
            older_than_days=int(data["age"]) if data.get("age") else None,
            overdue=bool(data.get("overdue")),
            hidden=bool(data.get("hidden")),
            q=(data.get("q") or "").strip(),
        )


class BulkActionForm(forms.Form):
    ACTIONS = [
        *[(f"status:{s}", _("Set status: %(s)s") % {"s": Status(s).label}) for s in Status.values],
        ("publish", _("Show on the public ideas page")),
        ("unpublish", _("Remove from the public ideas page")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    message = forms.CharField(
        label=_("Message to the people (public)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    selected = forms.TypedMultipleChoiceField(
        label=_("Selected contributions"), coerce=int, choices=(), required=True
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The ids are checked against the organisation by the view's selector.
        values = self.data.getlist("selected") if hasattr(self.data, "getlist") else []
        self.fields["selected"].choices = [(v, v) for v in values if str(v).isdigit()]


class SaidDoneFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False
    )
    site = forms.ModelChoiceField(
        label=_("Place or service"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, choices=(), required=False, empty_value=None
    )

    def __init__(
        self, *args, organisation, years: list[int], kinds: list[str] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).order_by(
            "name"
        )
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in years]
        if kinds is not None:
            # Only the kinds there is something to show; a choice of one is no choice.
            labels = dict(Kind.choices)
            if len(kinds) > 1:
                self.fields["kind"].choices = [("", _("All"))] + [(k, labels[k]) for k in kinds]
            else:
                del self.fields["kind"]
