import uuid

from django.db import migrations


def fill_uuid(apps, schema_editor):
    """Every existing job gets its random id (one each)."""
    BackgroundJob = apps.get_model("core", "BackgroundJob")
    for job in BackgroundJob.objects.filter(uuid__isnull=True).only("pk"):
        BackgroundJob.objects.filter(pk=job.pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_backgroundjob_add_uuid_and_file_expiry"),
    ]

    operations = [
        # Going back, the column is dropped by the previous migration: nothing to undo here.
        migrations.RunPython(fill_uuid, migrations.RunPython.noop),
    ]
