"""Template helpers of the meetings pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def initiative_meetings(context, initiative):
    """The meetings of an initiative's phases the person sees (its page's block)."""
    from faireavec.meetings.selectors import meetings_of_initiative

    return meetings_of_initiative(initiative=initiative, user=context["request"].user)
