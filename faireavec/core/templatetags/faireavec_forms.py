"""Template tags of the shared form pattern.

- `{% form_error_title_prefix %}` (in base.html's <title>): « Erreur : » when
  a form of the page is invalid;
- `{% form_error_summary %}` (first thing in <main>): the error summary,
  linking to each invalid field;
- `{% form_token %}` (inside a create form): the one-time token that
  `faireavec.core.submissions.submit_once` checks.

Both error tags find the invalid forms themselves, in the page's context (any
bound form or formset with errors, whatever its name), so a new page gets
them without doing anything. A view may also pass `error_forms` (a list) to
name them.
"""

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.utils.html import format_html
from django.utils.translation import gettext as _

from faireavec.core.submissions import FORM_TOKEN_FIELD, form_token_new, form_token_posted

register = template.Library()


def _has_errors(candidate) -> bool:
    # type(), not isinstance(): isinstance would evaluate the context's lazy
    # objects (the CSRF token, the user), with their side effects.
    kind = type(candidate)
    if issubclass(kind, forms.BaseForm):
        return candidate.is_bound and bool(candidate.errors)
    if issubclass(kind, BaseFormSet):
        return candidate.is_bound and not candidate.is_valid()
    return False


def invalid_forms(context) -> list:
    """The page's invalid forms (and formsets), each once, in context order."""
    if "error_forms" in context:
        candidates = list(context["error_forms"] or [])
    else:
        candidates = list(context.flatten().values())
    found, seen = [], set()
    for candidate in candidates:
        if id(candidate) not in seen and _has_errors(candidate):
            seen.add(id(candidate))
            found.append(candidate)
    return found


@register.simple_tag(takes_context=True)
def form_error_title_prefix(context) -> str:
    # « Erreur : »: screen readers read the title first, so the person knows
    # at once that the form came back with something to correct.
    return _("Error: ") if invalid_forms(context) else ""


@register.inclusion_tag("includes/form_errors.html", takes_context=True)
def form_error_summary(context) -> dict:
    entries = []
    for item in invalid_forms(context):
        for form in item.forms if isinstance(item, BaseFormSet) else [item]:
            entries.extend(_entries(form))
        if isinstance(item, BaseFormSet):
            entries.extend(
                {"message": e, "anchor": "", "label": ""} for e in item.non_form_errors()
            )
    return {"error_entries": entries}


def _entries(form: forms.BaseForm) -> list[dict]:
    entries = [{"message": e, "anchor": "", "label": ""} for e in form.non_field_errors()]
    for field in form:
        # A hidden field's error (a stale id) has no field to go to.
        anchor = "" if field.is_hidden else getattr(field, "anchor_id", field.id_for_label)
        for message in field.errors:
            entries.append({"message": message, "anchor": anchor, "label": field.label})
    return entries


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    """A hidden one-time token; a form sent back with errors keeps its token."""
    request = context.get("request")
    token = (form_token_posted(request) if request is not None else "") or form_token_new()
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, token)
