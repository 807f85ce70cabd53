# The outage queue names objects of any document source (search.sources), not only pages.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchange_search", "0002_lexicon_group"),
    ]

    operations = [
        migrations.RenameField(
            model_name="indexqueueentry", old_name="page_id", new_name="object_id"
        ),
        migrations.AlterField(
            model_name="indexqueueentry",
            name="object_id",
            field=models.BigIntegerField(),
        ),
        migrations.AddField(
            model_name="indexqueueentry",
            name="source",
            field=models.CharField(default="page", max_length=20),
        ),
    ]
