"""Existing phone numbers typed by hand (« 03 20 12 34 56 ») become E.164
(« +33320123456 »), as the phone number field stores them. A number that
cannot be read is left as typed, to be corrected on the form."""

import phonenumbers
from django.db import migrations


def normalise(apps, schema_editor):
    Stakeholder = apps.get_model("stakeholders", "Stakeholder")
    for stakeholder in Stakeholder.objects.exclude(phone="").only("pk", "phone").iterator():
        raw = str(stakeholder.phone)
        try:
            number = phonenumbers.parse(raw, "FR")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 != raw:
                Stakeholder.objects.filter(pk=stakeholder.pk).update(phone=e164)


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_stakeholder_phone_number"),
    ]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
