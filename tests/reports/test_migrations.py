"""Moving the revision reports from `portfolio` to `reports` keeps every row, link and permission.

RevisionReport and PlanSnapshot (and their simple-history models) moved from the programme core to the new
`reports` app. Moving a model between apps must not lose data: a naive move (delete in one app, create in the
other) drops the table with the municipality's reports and frozen plan snapshots. The move is therefore done in
Django's state only (reports 0001 takes the models over on the old tables, portfolio 0007 forgets them), then
reports 0002 renames the tables to `reports_*` and moves the content types, so that the permissions the roles hold
(and admin log entries) follow the models.

This test runs the real migrations against a database: it migrates back to the state just before the move
(which also proves the backwards path works and does not drop the old tables), creates data there through the
historical models of that state, migrates forward and checks with the current models that everything is still
there, on the new tables, under the same ids.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from demo.management.commands.setup_demo import PLAN_FIXTURES, PLAN_SLUG
from portfolio.models import Activity, Programme
from reports.models import PlanSnapshot, RevisionReport

BEFORE_MOVE = ("portfolio", "0006_revisionreport_claimed_at")
MOVED_APPS = {"portfolio", "reports"}
OLD_TABLES = [
    "portfolio_revisionreport",
    "portfolio_historicalrevisionreport",
    "portfolio_plansnapshot",
    "portfolio_historicalplansnapshot",
]
NEW_TABLES = [name.replace("portfolio_", "reports_", 1) for name in OLD_TABLES]
GROUP_NAME = "Migreringstest rapportlesere"
SNAPSHOT_DATA = {
    "activities": {"HA01": {"name": "Planlegging", "status": "ongoing"}},
    "risks": {"R1": {"title": "Nok ressurser", "score": 20}},
    "note": "Æøå bevares",
}


def _leaf_nodes():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _old_state_nodes(leaves):
    """Every app at its latest migration that needs nothing of the move, portfolio just before the move, reports
    not at all (dropped later). An app whose migrations all need a later portfolio (one made after the move, such
    as one with a foreign key to a new portfolio model) is not migrated at all then: (app, None)."""
    graph = MigrationExecutor(connection).loader.graph
    after_move = {node for node in graph.nodes if node[0] in MOVED_APPS} - set(graph.forwards_plan(BEFORE_MOVE))
    nodes = [BEFORE_MOVE]
    for leaf in leaves:
        if leaf[0] in MOVED_APPS:
            continue
        own = [node for node in graph.forwards_plan(leaf) if node[0] == leaf[0]]
        usable = [node for node in own if not after_move & set(graph.forwards_plan(node))]
        nodes.append(usable[-1] if usable else (leaf[0], None))
    return nodes


@pytest.mark.django_db(transaction=True)
def test_moving_reports_between_apps_keeps_the_data():
    leaves = _leaf_nodes()
    old_nodes = _old_state_nodes(leaves)
    # portfolio first: unapplying reports 0001 needs portfolio 0007 (which depends on it) unapplied before it;
    # the executor orders the backwards plan itself, so both targets give the same plan.
    targets = [BEFORE_MOVE, ("reports", None), *old_nodes[1:]]
    # Start from an empty database whatever ran before (the session's plan is committed, and loading its fixtures
    # twice collides), so that the plan is loaded below, before the move. Transactional tests run after all the
    # others and flush the database when they end anyway. The flush recreates the content types and permissions.
    call_command("flush", interactive=False, verbosity=0)
    # The plan's fixtures follow today's models; loaded now, the plan is taken back with the database below
    # (the later migrations of the core are reversible), so it is there in the old schema before the move.
    call_command("loaddata", *[settings.BASE_DIR / f for f in PLAN_FIXTURES], verbosity=0)

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    try:
        executor.loader.build_graph()
        applied = executor.loader.applied_migrations
        assert not any(app == "reports" for app, _ in applied)
        assert ("portfolio", "0007_move_revision_reports_to_reports_app") not in applied
        tables = set(connection.introspection.table_names())
        # Unapplying the state-only migrations left the old tables (and their rows) alone.
        assert set(OLD_TABLES) <= tables
        assert not set(NEW_TABLES) & tables

        old_apps = executor.loader.project_state([node for node in old_nodes if node[1] is not None]).apps
        with pytest.raises(LookupError):
            old_apps.get_model("reports", "RevisionReport")

        OldProgramme = old_apps.get_model("portfolio", "Programme")
        OldUser = old_apps.get_model(*settings.AUTH_USER_MODEL.split("."))
        OldReport = old_apps.get_model("portfolio", "RevisionReport")
        OldHistoricalReport = old_apps.get_model("portfolio", "HistoricalRevisionReport")
        OldSnapshot = old_apps.get_model("portfolio", "PlanSnapshot")
        OldContentType = old_apps.get_model("contenttypes", "ContentType")
        OldPermission = old_apps.get_model("auth", "Permission")
        OldGroup = old_apps.get_model("auth", "Group")

        programme = OldProgramme.objects.get(slug=PLAN_SLUG)
        user = OldUser.objects.create(username="migrering", first_name="Mia", last_name="Grering")
        report = OldReport.objects.create(
            programme=programme,
            year=2018,
            requested_by=user,
            state="done",
            recommendations="Videreføre sak/arkiv; utsette velferdsteknologi til 2019.",
            pdf="rapporter/2018/rulleringsrapport-2018.pdf",
            size=12345,
        )
        OldHistoricalReport.objects.create(
            id=report.id,
            programme_id=programme.id,
            year=report.year,
            requested_by_id=user.id,
            requested_at=report.requested_at,
            state=report.state,
            recommendations=report.recommendations,
            pdf=report.pdf.name,
            size=report.size,
            history_date=report.requested_at,
            history_type="+",
            history_user_id=user.id,
        )
        history_id = OldHistoricalReport.objects.get(id=report.id).history_id
        snapshot = OldSnapshot.objects.create(programme=programme, year=2018, report=report, data=SNAPSHOT_DATA)

        # The content type (existing from the test database's set-up, or created here) and a role's permission.
        content_type, _ = OldContentType.objects.get_or_create(app_label="portfolio", model="revisionreport")
        permission, _ = OldPermission.objects.get_or_create(
            content_type=content_type,
            codename="view_revisionreport",
            defaults={"name": "Can view rulleringsrapport"},
        )
        group = OldGroup.objects.create(name=GROUP_NAME)
        group.permissions.add(permission)
        user.groups.add(group)

        _migrate_to_latest()

        tables = set(connection.introspection.table_names())
        assert not set(OLD_TABLES) & tables
        assert set(NEW_TABLES) <= tables
        assert RevisionReport._meta.db_table == "reports_revisionreport"

        plan = Programme.objects.get(slug=PLAN_SLUG)
        assert Activity.objects.filter(programme=plan).count() == 17

        moved = RevisionReport.objects.get(pk=report.id)
        assert moved.programme == plan
        assert moved.year == 2018
        assert moved.state == RevisionReport.State.DONE
        assert moved.recommendations == "Videreføre sak/arkiv; utsette velferdsteknologi til 2019."
        assert moved.requested_by_id == user.id
        assert moved.requested_by.username == "migrering"
        assert moved.pdf.name == "rapporter/2018/rulleringsrapport-2018.pdf"
        assert moved.size == 12345
        assert moved.requested_at == report.requested_at

        record = moved.history.get(history_id=history_id)
        assert record.history_type == "+"
        assert record.recommendations == moved.recommendations
        assert record.history_user_id == user.id

        moved_snapshot = PlanSnapshot.objects.get(pk=snapshot.id)
        assert moved_snapshot.data == SNAPSHOT_DATA
        assert moved_snapshot.report == moved
        assert list(moved.snapshots.all()) == [moved_snapshot]

        moved_type = ContentType.objects.get(pk=content_type.id)
        assert (moved_type.app_label, moved_type.model) == ("reports", "revisionreport")
        assert not ContentType.objects.filter(app_label="portfolio", model="revisionreport").exists()
        assert ContentType.objects.get_for_model(RevisionReport).pk == content_type.id
        granted = Group.objects.get(name=GROUP_NAME).permissions.get()
        assert (granted.pk, granted.content_type_id, granted.codename) == (
            permission.id,
            content_type.id,
            "view_revisionreport",
        )
        member = get_user_model().objects.get(pk=user.id)
        assert member.has_perm("reports.view_revisionreport")

        # The renamed tables keep working: new rows (and their history records) get fresh ids after the old ones.
        new = RevisionReport.objects.create(programme=plan, year=2019, requested_by=member)
        assert new.pk > report.id
        assert new.history.get().history_id > history_id
    finally:
        # Whatever failed above, later tests need the current schema.
        _migrate_to_latest()
