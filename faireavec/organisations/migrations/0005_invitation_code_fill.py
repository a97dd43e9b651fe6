# Data: give every existing invitation its short code (drawn with `secrets`).

import secrets

from django.db import migrations

# A copy of the model's alphabet: a migration must not change when the model does.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def fill_codes(apps, schema_editor):
    Invitation = apps.get_model("organisations", "Invitation")
    taken = set(Invitation.objects.exclude(code=None).values_list("code", flat=True))
    for invitation in Invitation.objects.filter(code=None).only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken.add(code)
        Invitation.objects.filter(pk=invitation.pk).update(code=code)


def clear_codes(apps, schema_editor):
    apps.get_model("organisations", "Invitation").objects.update(code=None)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0004_invitation_code"),
    ]

    operations = [
        migrations.RunPython(fill_codes, clear_codes),
    ]
