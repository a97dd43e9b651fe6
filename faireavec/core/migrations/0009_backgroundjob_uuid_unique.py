import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_backgroundjob_fill_uuid"),
    ]

    operations = [
        migrations.AlterField(
            model_name="backgroundjob",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
            ),
        ),
    ]
