"""Form rendering shared by every app: one field template, so labels, help
texts and errors look and read the same everywhere (Django ties errors and
help texts to the input with aria-describedby)."""

from django.forms.renderers import TemplatesSetting


class AccessibleFormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"
