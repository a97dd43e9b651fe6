"""Small template helpers of the surveys pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or "" when missing (a dict of sentences by id)."""
    if not mapping:
        return ""
    return mapping.get(key, "")
