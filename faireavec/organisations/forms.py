from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from faireavec.organisations.models import (
    INVITATION_CODE_ALPHABET,
    INVITATION_CODE_LENGTH,
    CharterVersion,
    Invitation,
    Organisation,
    Role,
    Site,
    normalise_invitation_code,
)


class OrganisationCreateForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "slug", "legal_form", "territory", "description", "visibility"]
        widgets = {"visibility": forms.RadioSelect}
        error_messages = {
            "slug": {
                "invalid": _(
                    "Use only lowercase letters without accents, digits and dashes, "
                    "as in « la-fabrique »."
                ),
            }
        }

    def clean_slug(self) -> str:
        # Addresses are compared as typed in a browser: « La-Fabrique » is « la-fabrique ».
        return self.cleaned_data["slug"].strip().lower()


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "legal_form",
            "territory",
            "description",
            "logo",
            "visibility",
            "allow_anonymous_contributions",
            "moderation_threshold",
            "complaint_acknowledge_days",
            "complaint_answer_days",
            "stakeholder_review_months",
            "members_see_stakeholder_map",
        ]
        widgets = {"visibility": forms.RadioSelect, "logo": forms.ClearableFileInput}


class InvitationForm(forms.Form):
    label = Invitation._meta.get_field("label").formfield()
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.PARTICIPANT)
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=365, initial=30
    )
    max_uses = forms.IntegerField(
        label=_("Maximum uses"),
        min_value=1,
        max_value=100000,
        required=False,
        initial=1,
        help_text=_("1 for one person. Leave empty for a poster that many people can use."),
    )

    def __init__(self, *args, allowed_roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in Role.choices if c[0] in allowed_roles]

    @property
    def expires_at(self):
        return timezone.now() + timedelta(days=self.cleaned_data["valid_days"])


class InvitationCodeForm(forms.Form):
    """The short code of a poster, typed by hand: any case, spaces and dashes allowed."""

    code = forms.CharField(
        label=_("Invitation code"),
        max_length=30,
        help_text=_("10 letters and digits, as written on the poster, for example K7PMX-3XQAH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = normalise_invitation_code(self.cleaned_data["code"])
        if set(code) & set("01OIL"):
            raise forms.ValidationError(
                _("Invitation codes have no 0, O, 1, I or L: check the poster again."),
                code="ambiguous",
            )
        if len(code) != INVITATION_CODE_LENGTH or set(code) - set(INVITATION_CODE_ALPHABET):
            raise forms.ValidationError(
                _("An invitation code has 10 letters and digits, like K7PMX-3XQAH."),
                code="invalid",
            )
        return code


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SiteForm(forms.ModelForm):
    """A site of the organisation set on the instance (`Site(organisation=…)`)."""

    class Meta:
        model = Site
        fields = ["name", "address", "opening_hours", "accessibility"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_name(self) -> str:
        # The model form leaves out the (organisation, name) constraint, since
        # `organisation` is not one of its fields: check it here, on the field.
        name = self.cleaned_data["name"]
        others = Site.objects.filter(organisation_id=self.instance.organisation_id, name=name)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("This organisation already has a site with this name."), code="unique"
            )
        return name


class CharterForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the charter"),
        max_length=CharterVersion._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Publishing creates a new version; people will be asked to accept it again."),
    )
