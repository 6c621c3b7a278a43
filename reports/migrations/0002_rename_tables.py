from django.db import migrations

MODELS = ["revisionreport", "historicalrevisionreport", "plansnapshot", "historicalplansnapshot"]


def move_content_types(apps, schema_editor):
    """Keep the content types (and so the permissions the roles hold, and admin log entries) of the moved models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label="reports", model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label="portfolio", model=model).update(app_label="reports")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label="portfolio", model=model).exists():
            ContentType.objects.using(db).filter(app_label="reports", model=model).update(app_label="portfolio")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portfolio", "0007_move_revision_reports_to_reports_app"),
        ("reports", "0001_initial"),
    ]

    operations = [
        *[migrations.AlterModelTable(name=model, table=None) for model in MODELS],
        migrations.RunPython(move_content_types, restore_content_types),
    ]
