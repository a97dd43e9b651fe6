"""The sign-up form people see: allauth's, with plain words on the password.

Kept apart from forms.py because allauth builds its sign-up form on top of
`forms.SignupForm` (ACCOUNT_SIGNUP_FORM_CLASS) when it is imported.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import gettext_lazy as _


class ParticipantSignupForm(AllauthSignupForm):
    """The password is optional: say so, instead of listing the rules of a
    password the person may not need at all."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        password = self.fields.get("password1")
        if password is not None and not password.required:
            password.label = _("Password (optional)")
            password.help_text = _(
                "Without a password, you sign in with a code we send you by email. "
                "If you choose one: at least 8 characters, not too simple."
            )
