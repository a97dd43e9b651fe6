"""Fill the delay to a first answer for contributions answered before the field existed."""

from django.db import migrations


def fill(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    rows = Contribution.objects.filter(
        first_response_at__isnull=False, first_response_seconds__isnull=True
    ).only("pk", "created_at", "first_response_at")
    batch = []
    for c in rows.iterator(chunk_size=2000):
        c.first_response_seconds = max(0, int((c.first_response_at - c.created_at).total_seconds()))
        batch.append(c)
        if len(batch) >= 2000:
            Contribution.objects.bulk_update(batch, ["first_response_seconds"])
            batch = []
    if batch:
        Contribution.objects.bulk_update(batch, ["first_response_seconds"])


def empty(apps, schema_editor):
    Contribution = apps.get_model("contributions", "Contribution")
    Contribution.objects.update(first_response_seconds=None)


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0002_contribution_add_first_response_seconds"),
    ]

    operations = [migrations.RunPython(fill, empty)]
