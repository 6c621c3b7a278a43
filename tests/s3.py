"""An S3-compatible object store on loopback for the tests: moto's server (PyPI `moto[server]`) in a subprocess.

`s3_store` starts it once per session on a free port, creates a bucket per test and yields what both the test
process (`use_store(settings, store)`) and a worker subprocess (`store["env"]`) need to use it as the default
storage. The same django-storages backend and options as production (config/settings.py, S3_BUCKET); only the
endpoint is local.
"""

import socket
import subprocess
import sys
import time
import uuid

import pytest

REGION = "eu-north-1"
KEY_ID, SECRET = "testing", "testing"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert proc.poll() is None, "moto-serveren stoppet under oppstart"
            assert time.monotonic() < deadline, "moto-serveren svarte ikke innen 30 s"
            time.sleep(0.1)
    try:
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def client_for(endpoint: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET, region_name=REGION
    )


@pytest.fixture
def s3_store(s3_server):
    """A new, empty bucket on the loopback server: the bucket, a boto3 client, and the environment for S3_*."""
    bucket = f"portefolje-{uuid.uuid4().hex[:12]}"
    client = client_for(s3_server)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    env = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3_server,
        "S3_ACCESS_KEY_ID": KEY_ID,
        "S3_SECRET_ACCESS_KEY": SECRET,
        "S3_REGION": REGION,
    }
    return {"bucket": bucket, "client": client, "endpoint": s3_server, "env": env}


def use_store(settings, store) -> None:
    """Make the store the default storage in this process, with the options config/settings.py derives from S3_*."""
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": store["bucket"],
                "endpoint_url": store["endpoint"],
                "access_key": KEY_ID,
                "secret_key": SECRET,
                "region_name": REGION,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "addressing_style": "path",
                "client_config": Config(connect_timeout=2, read_timeout=30, retries={"max_attempts": 2}),
            },
        },
    }


def keys(store) -> list[str]:
    """Every object name in the store's bucket."""
    listed = store["client"].list_objects_v2(Bucket=store["bucket"])
    return sorted(item["Key"] for item in listed.get("Contents", []))
