from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema, first step: the new columns; the id is unique only once every job has one."""

    dependencies = [
        ("core", "0006_notification_recipient_created_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="backgroundjob",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="public id"),
        ),
        migrations.AddField(
            model_name="backgroundjob",
            name="file_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="file kept until"),
        ),
        migrations.AddField(
            model_name="backgroundjob",
            name="file_removed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="file removed on"),
        ),
    ]
