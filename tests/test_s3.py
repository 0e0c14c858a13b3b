"""Archives in an S3 bucket (``s3://``, the ``s3`` extra): an S3 endpoint on the loopback
interface (moto's server, spoken to over HTTP as AWS is), holding the sample archive. Read
by this process, by worker processes and by the command line configured as users configure
AWS (environment variables), listed by patterns, and read again only when changed."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from monitor import ingest, open_db

from .conftest import SAMPLE
from .test_remote import NAMES, stored

pytest.importorskip("s3fs", reason="the s3 extra is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto's server is not installed")

BUCKET = "news-archive"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "monitor", "AWS_SECRET_ACCESS_KEY": "monitor-secret"}


@pytest.fixture(scope="module")
def endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(endpoint, monkeypatch, request):
    """The sample archive under ``s3://news-archive/<test>/``, and fsspec pointed at the
    endpoint, as a user's fsspec configuration would."""
    import fsspec.config
    import s3fs

    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    options = {"endpoint_url": endpoint, "key": "monitor", "secret": "monitor-secret"}
    monkeypatch.setitem(fsspec.config.conf, "s3", options)
    s3 = s3fs.S3FileSystem(**options, skip_instance_cache=True)
    if not s3.exists(BUCKET):
        s3.mkdir(BUCKET)
    prefix = f"{BUCKET}/{re.sub(r'[^a-z0-9_]', '-', request.node.name)}"
    for name in NAMES:
        s3.pipe(f"{prefix}/{name}", (SAMPLE / name).read_bytes())
    return f"s3://{prefix}", s3


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bucket_is_read_as_the_files_it_holds(bucket, tmp_path, workers):
    base, _ = bucket
    remote = open_db(tmp_path / "remote.db")
    result = ingest([f"{base}/{name}" for name in NAMES], remote, workers=workers)
    assert (result.read, result.failures) == (len(NAMES), [])
    local = open_db(tmp_path / "local.db")
    ingest([SAMPLE / name for name in NAMES], local)
    assert stored(remote) == stored(local)
    assert [row["path"] for row in remote["archive_files"].rows] == [
        f"{base}/{name}" for name in NAMES
    ]


def test_a_pattern_lists_the_bucket_and_a_rerun_reads_only_what_changed(bucket, tmp_path):
    base, s3 = bucket
    db = open_db(tmp_path / "m.db")
    first = ingest([f"{base}/*"], db)
    assert (first.files, first.read) == (len(NAMES), len(NAMES))
    again = ingest([f"{base}/*"], db)
    assert (again.read, again.skipped) == (0, len(NAMES))
    page = "2024-11-17-strikes-cleared.html"
    s3.pipe(f"{base}/{page}", (SAMPLE / page).read_bytes() + b"<p>Updated.</p>")
    changed = ingest([f"{base}/*.htm[l]"], db)
    assert (changed.files, changed.read, changed.skipped) == (1, 1, 0)


def test_a_missing_key_and_a_missing_bucket_are_recorded(bucket, tmp_path):
    base, _ = bucket
    db = open_db(tmp_path / "m.db")
    missing = f"{base}/nothing-here.warc.gz"
    no_bucket = "s3://no-such-bucket/crawl.warc.gz"
    good = f"{base}/{NAMES[0]}"
    result = ingest([missing, no_bucket, good], db)
    assert {failure.path: failure.error for failure in result.failures} == {
        missing: "cannot read file: the server has no such file",
        no_bucket: "cannot read file: the server has no such file",
    }
    assert db["archive_files"].get(good)["status"] == "done"


def test_the_command_line_reads_a_bucket_with_the_usual_aws_settings(bucket, endpoint, tmp_path):
    base, _ = bucket
    environment = {
        **os.environ,
        **CREDENTIALS,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": endpoint,  # read by the AWS SDK, as the other AWS settings
    }
    run = subprocess.run(
        [sys.executable, "-m", "monitor", "ingest", "--db", str(tmp_path / "m.db"),
         f"{base}/*.warc.gz", "--workers", "1"],
        env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1 archive file: 1 read, 0 unchanged")
