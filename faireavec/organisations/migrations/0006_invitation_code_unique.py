from django.db import migrations, models

import faireavec.organisations.models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0005_invitation_code_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="invitation",
            name="code",
            field=models.CharField(
                default=faireavec.organisations.models.new_invitation_code,
                editable=False,
                help_text="Short code printed on the poster, for people who type it.",
                max_length=10,
                unique=True,
                verbose_name="code",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("code__regex", "^[2-9A-HJKMNP-Z]{10}$")),
                name="invitation_code_unambiguous",
            ),
        ),
    ]
