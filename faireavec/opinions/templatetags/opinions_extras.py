"""Template helpers of the opinions pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def initiative_conversations(context, initiative):
    """The opinion maps of an initiative's phases that the person may read (its page's block)."""
    from faireavec.opinions.selectors import conversations_of_initiative

    return conversations_of_initiative(initiative=initiative, user=context["request"].user)
