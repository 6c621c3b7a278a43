"""docker-compose.yml runs several web replicas behind one address, sharing no disk (no Docker engine here, so the
file is checked as data: what `docker compose up` would start)."""

import re

import yaml
from django.conf import settings

COMPOSE = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP = [name for name, service in SERVICES.items() if service.get("build") == "."]


def test_two_web_replicas_answer_behind_one_address():
    assert SERVICES["web"]["deploy"]["replicas"] >= 2
    assert "ports" not in SERVICES["web"], "replicas cannot share a published port; the proxy publishes it"
    assert SERVICES["proxy"]["ports"] == ["8000:8000"]
    conf = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"server\s+web:8000;", conf) and "proxy_pass http://portefolje_web;" in conf
    mounted = [v.split(":")[0] for v in SERVICES["proxy"]["volumes"]]
    assert mounted == ["./deploy/nginx.conf"]


def test_the_app_containers_share_no_disk_and_all_use_the_object_store():
    assert set(APP) == {"migrate", "web", "worker", "beat"}
    for name in APP:
        service = SERVICES[name]
        assert "volumes" not in service, f"{name} mounts a volume: files must go to the object store"
        assert service["environment"]["S3_BUCKET"] and service["environment"]["S3_ENDPOINT_URL"]
        assert service["environment"]["S3_ENDPOINT_URL"].endswith("objectstore:9000}")


def test_migrations_run_once_before_the_replicas_start():
    assert "migrate" not in SERVICES["web"]["command"]
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["migrate"]["command"] == "python manage.py migrate --noinput"


def test_every_dependency_names_a_service():
    for name, service in SERVICES.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in SERVICES, f"{name} depends on unknown service {dependency}"
    used = {v.split(":")[0] for s in SERVICES.values() for v in s.get("volumes", []) if not v.startswith(".")}
    assert used == set(COMPOSE["volumes"])
