"""Every free text has a maximum length, checked by the form, by `full_clean()` and, for
texts shown widely, by the database."""

import html
import inspect
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from faireavec.needs.models import TerritorialDiagnosis
from faireavec.needs.services import diagnosis_save
from faireavec.organisations.models import CharterVersion
from faireavec.organisations.services import charter_publish

HALF_A_MEGABYTE = "a" * 500_000


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("faireavec.")]


def test_every_text_field_has_a_maximum_checked_by_full_clean():
    """No TextField of the project is unbounded: each has `max_length` (for the form and
    the textarea) and a length validator (TextField has none of its own, so without it
    `full_clean()` in the services would let anything through)."""
    unbounded = []
    for model in _project_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.TextField):
                continue
            has_validator = any(
                isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length
                for v in field.validators
            )
            if not field.max_length or not has_validator:
                unbounded.append(f"{model._meta.label}.{field.name}")
    assert unbounded == []


def test_every_textarea_of_every_form_has_a_maximum():
    """A form field shown as a textarea (declared on a plain form or generated from a
    model) has a maximum length, so too long a text gets a message beside it."""
    unbounded = []
    seen = 0
    for app in settings.FAIREAVEC_APPS:
        try:
            module = import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                    seen += 1
                    if not field.max_length:
                        unbounded.append(f"{name}.{field_name}")
    assert seen > 10  # the walk found the forms
    assert unbounded == []


@pytest.mark.django_db
class TestCharterAndDiagnosisLimits:
    def test_the_charter_form_refuses_half_a_megabyte_with_a_message(self, org, people, client_for):
        """Pasting 500,000 characters into the charter gets a message beside the field
        (with the maximum), and no version is published."""
        response = client_for(people["admin"]).post(
            reverse("organisations:charter_edit", kwargs={"org_slug": org.slug}),
            {"text": HALF_A_MEGABYTE},
        )
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        assert "20000 caractères" in page or "20 000 caractères" in page
        assert 'aria-invalid="true"' in page
        assert not CharterVersion.objects.filter(organisation=org).exists()

    def test_the_charter_service_and_database_refuse_it_too(self, org, people):
        """Around the form, `charter_publish` refuses it, and so does the database."""
        with pytest.raises(ValidationError) as exc:
            charter_publish(actor=people["admin"], organisation=org, text=HALF_A_MEGABYTE)
        assert "text" in exc.value.error_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            CharterVersion.objects.create(organisation=org, number=1, text=HALF_A_MEGABYTE)
        CharterVersion.objects.create(organisation=org, number=1, text="a" * 20_000)

    def test_the_diagnosis_summary_is_bounded(self, org, people, client_for):
        """The diagnosis summary: message on the form, refused by the service and the
        database."""
        response = client_for(people["admin"]).post(
            reverse("needs:diagnosis_manage", kwargs={"org_slug": org.slug}),
            {"summary": HALF_A_MEGABYTE},
        )
        assert response.status_code == 200
        assert 'aria-invalid="true"' in response.content.decode()
        assert not TerritorialDiagnosis.objects.filter(organisation=org).exists()
        with pytest.raises(ValidationError):
            diagnosis_save(
                actor=people["admin"], organisation=org, summary=HALF_A_MEGABYTE, is_public=False
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            TerritorialDiagnosis.objects.create(organisation=org, summary=HALF_A_MEGABYTE)
