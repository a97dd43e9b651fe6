from django import template

from faireavec.accounts.entrance import login_code_validity as _validity

register = template.Library()


@register.simple_tag
def login_code_validity(kind: str = "login") -> str:
    """« The code is valid for 10 minutes. », from allauth's timeout for `kind`
    (login, email_verification, password_reset)."""
    return _validity(kind)
