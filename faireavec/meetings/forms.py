"""Forms of the meetings app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from faireavec.contributions.forms import AssistedContributionForm
from faireavec.meetings.models import (
    ForumRoom,
    ForumSlot,
    ForumTopic,
    Meeting,
    MeetingRegistration,
    MeetingSeries,
)
from faireavec.meetings.services import MEETING_FIELDS
from faireavec.organisations.models import Site
from faireavec.processes.selectors import phases_of_organisation

CONSENT_TEXT = _(
    "I agree that the organisation keeps my name and my contact to tell me about this "
    "meeting (a seat freed, a change, a reminder). They are deleted a month after the meeting; "
    "I can cancel at any time with my registration link."
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "board_freezes_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "place": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation).order_by(
            "name"
        )
        self.fields["site"].empty_label = _("None: the place below or online")
        self.fields["phase"].queryset = phases_of_organisation(organisation=organisation)
        self.fields["phase"].empty_label = _("None")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEETING_FIELDS}


class SeriesForm(MeetingForm):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=MeetingSeries.Frequency.choices, widget=forms.RadioSelect
    )
    count = forms.IntegerField(
        label=_("Number of meetings"),
        min_value=2,
        max_value=24,
        initial=6,
        help_text=_("From 2 to 24; the first one on the date above."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to everyone registered."),
    )


class RegistrationForm(forms.Form):
    """Register with an account (only the needs), or with a name and one contact."""

    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Your email"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Or your phone number"),
        max_length=30,
        required=False,
        help_text=_("Give an email or a phone number, so that we can tell you if a seat frees."),
    )
    needs = forms.CharField(
        label=_("What would help you come (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Access, interpreting, childcare, transport…"),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=False)

    def __init__(self, *args, with_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        if with_account:
            for name in ("name", "email", "phone", "consent"):
                del self.fields[name]
        else:
            self.fields["name"].required = True
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["phone"].widget.attrs["autocomplete"] = "tel"
            self.fields["phone"].widget.input_type = "tel"

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and sum(c.isdigit() for c in phone) < 6:
            raise forms.ValidationError(_("This phone number looks incomplete."))
        return phone

    def clean(self):
        data = super().clean()
        if self.with_account:
            return data
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Give an email address or a phone number."))
        if not data.get("consent"):
            self.add_error("consent", _("Tick this box so that we may keep your details."))
        return data


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label=_("Present"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.name) for r in registrations]
        if not self.is_bound:
            self.initial["attended"] = [
                r.pk for r in registrations if r.status == MeetingRegistration.Status.ATTENDED
            ]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    published = forms.BooleanField(
        label=_("Publish them on the meeting's public page"), required=False
    )


class MeetingContributionForm(AssistedContributionForm):
    """Assisted entry of the contributions app, the channel being the meeting itself."""

    topic = forms.ModelChoiceField(
        label=_("Open forum session"),
        queryset=ForumTopic.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, organisation, meeting: Meeting, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        del self.fields["channel"]
        del self.fields["site"]
        if meeting.is_open_forum:
            self.fields["topic"].queryset = ForumTopic.objects.filter(meeting=meeting).order_by(
                "title"
            )
        else:
            del self.fields["topic"]


class RoomForm(forms.ModelForm):
    class Meta:
        model = ForumRoom
        fields = ["name", "seats"]


class SlotForm(forms.ModelForm):
    class Meta:
        model = ForumSlot
        fields = ["starts_at", "ends_at"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}


class TopicForm(forms.ModelForm):
    class Meta:
        model = ForumTopic
        fields = ["title", "description", "host_name"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PlaceForm(forms.Form):
    """Where a topic goes on the board: a cell « room at slot », or off the board."""

    cell = forms.ChoiceField(label=_("Room and time"), required=False)

    def __init__(self, *args, rooms, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms = {r.pk: r for r in rooms}
        self.slots = {s.pk: s for s in slots}
        self.fields["cell"].choices = [("", _("Not on the board"))] + [
            (f"{s.pk}-{r.pk}", f"{s} — {r.name}") for s in slots for r in rooms
        ]

    def placement(self) -> tuple[ForumRoom | None, ForumSlot | None]:
        cell = self.cleaned_data["cell"]
        if not cell:
            return None, None
        slot_pk, room_pk = (int(part) for part in cell.split("-"))
        return self.rooms[room_pk], self.slots[slot_pk]


class NotesForm(forms.ModelForm):
    class Meta:
        model = ForumTopic
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 8})}


class AssistedRegistrationForm(forms.Form):
    """A facilitator registers someone who called or came by (no account needed)."""

    name = forms.CharField(label=_("Name of the person"), max_length=150)
    email = forms.EmailField(label=_("Their email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Or their phone number"), max_length=30, required=False)
    needs = forms.CharField(
        label=_("What would help them come"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent = forms.BooleanField(
        label=_("The person agrees that we keep these details for this meeting"),
        required=True,
        error_messages={"required": _("Without their agreement, do not register them here.")},
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Give an email address or a phone number."))
        return data
