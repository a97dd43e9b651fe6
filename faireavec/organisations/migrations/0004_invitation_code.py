# The short invitation code, in three steps: the column without uniqueness
# (existing rows get their codes in 0005), then unique and checked (0006).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_text_maximum_lengths"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="code",
            field=models.CharField(
                editable=False,
                help_text="Short code printed on the poster, for people who type it.",
                max_length=10,
                null=True,
                verbose_name="code",
            ),
        ),
    ]
