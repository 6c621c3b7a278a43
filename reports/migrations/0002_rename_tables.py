from django.db import migrations

MODELS = ["revisionreport", "historicalrevisionreport", "plansnapshot", "historicalplansnapshot"]


def _move(apps, schema_editor, old_label: str, new_label: str) -> None:
    """Carry the content types of the moved models over to their new app label, with everything tied to them.

    Usually the old row is simply relabelled. But when a `migrate` stopped between reports 0001 and this
    migration (a deployment in steps, or a rollback), Django's post-migrate step has already created empty
    rows for the new label with fresh permissions. Then the two are merged: group and user grants move to the
    new row's permission of the same codename, admin log entries follow, and the old row goes. Nothing that a
    role or a user was granted is lost either way.
    """
    db = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    LogEntry = apps.get_model("admin", "LogEntry")
    for model in MODELS:
        old = ContentType.objects.using(db).filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.using(db).filter(app_label=new_label, model=model).first()
        if new is None:
            old.app_label = new_label
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.using(db).filter(content_type=old):
            target = Permission.objects.using(db).filter(content_type=new, codename=permission.codename).first()
            if target is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            for through, owner in ((Group.permissions.through, "group_id"), (User.user_permissions.through, "user_id")):
                for grant in through.objects.using(db).filter(permission=permission):
                    through.objects.using(db).get_or_create(permission=target, **{owner: getattr(grant, owner)})
            permission.delete()
        LogEntry.objects.using(db).filter(content_type=old).update(content_type=new)
        old.delete()


def move_content_types(apps, schema_editor):
    _move(apps, schema_editor, "portfolio", "reports")


def restore_content_types(apps, schema_editor):
    _move(apps, schema_editor, "reports", "portfolio")


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("portfolio", "0007_move_revision_reports_to_reports_app"),
        ("reports", "0001_initial"),
    ]

    operations = [
        *[migrations.AlterModelTable(name=model, table=None) for model in MODELS],
        migrations.RunPython(move_content_types, restore_content_types),
    ]
