from django import template

from faireavec.core.dates import human_date as _human_date

register = template.Library()


@register.filter(expects_localtime=False)
def human_date(value, fmt: str = "DATE_FORMAT") -> str:
    """`{{ when|human_date:"DATE_FORMAT" }}`: like `date`, with « 1er » in French."""
    return _human_date(value, fmt)
