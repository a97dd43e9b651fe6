from django import forms
from django.utils.translation import gettext_lazy as _

from faireavec.accounts.models import User


class SignupForm(forms.Form):
    """Extra field on allauth's sign-up form: the name others will see."""

    display_name = forms.CharField(
        label=_("Your display name"),
        max_length=100,
        required=False,
        help_text=_(
            "Optional. Shown with your comments: a first name or a pseudonym is enough. "
            "Your email address is never shown."
        ),
    )

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        user.save(update_fields=["display_name"])


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language", "large_text", "easy_read", "notification_frequency"]
        widgets = {
            "language": forms.RadioSelect,
            "notification_frequency": forms.RadioSelect,
        }
        help_texts = {
            "easy_read": _(
                "FALC means « facile à lire et à comprendre » (easy to read and understand): "
                "short sentences, everyday words, often with pictures."
            ),
        }


class DisplayNameForm(forms.Form):
    """Asked the first time a person without a display name publishes something."""

    display_name = forms.CharField(
        label=_("Under which name should we publish?"),
        max_length=100,
        required=False,
        help_text=_(
            "A first name or a pseudonym. Left empty, others see « A participant ». "
            "Your email address is never shown. You can change it in your preferences."
        ),
    )


class QuickPreferencesForm(forms.Form):
    """The language and text-size buttons in every page's header."""

    language = forms.ChoiceField(choices=[("fr", "fr"), ("en", "en")], required=False)
    large_text = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)
