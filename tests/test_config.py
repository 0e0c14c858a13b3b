"""monitor.toml: loading, defaults, $MONITOR_CONFIG, and an error that names the key."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from monitor.config import Config, ConfigError, Schedule, Topic, load_config, parse_config

# The example of the contract, verbatim.
CONTRACT_EXAMPLE = """\
db = "monitor.db"                 # default database (CLI --db still wins)
archives = ["archive/"]           # what the ingest job watches (files, folders, globs)
timezone = "UTC"                  # IANA name; days are bucketed in it
reports = "reports"               # where the report job writes

[schedule]
ingest_interval = 900             # seconds between ingest runs
report_time = "07:00"             # local time of the daily report
catch_up_days = 7                 # missing daily reports written on start, at most

[topics]                          # topic name = aliases: hashtags (with #) and phrases
ww3 = ["#ww3", "#wwiii", "#worldwar3", "world war 3", "world war iii"]
atacms = ["#atacms", "atacms"]
"""

KEYS = "alerts, archives, cluster, db, reports, schedule, store_articles, timezone, topics"
SCHEDULE_KEYS = "catch_up_days, ingest_interval, report_time"


def write(folder: Path, text: str, name: str = "monitor.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(folder: Path, text: str) -> str:
    """The message of the error that loading ``text`` as monitor.toml raises."""
    path = write(folder, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value)


@pytest.mark.parametrize("address", ["local", "local:8", "tcp://10.0.0.5:8786", "tls://h:1"])
def test_the_cluster_the_ingest_job_reads_on(address):
    assert parse_config({"cluster": {"address": address}}).cluster == address
    assert parse_config({}).cluster is None


def test_contract_example(tmp_path: Path) -> None:
    path = write(tmp_path, CONTRACT_EXAMPLE)
    assert load_config(path) == Config(
        db=tmp_path / "monitor.db",
        archives=(str(tmp_path / "archive"),),
        timezone="UTC",
        reports=tmp_path / "reports",
        schedule=Schedule(ingest_interval=900, report_time=time(7, 0), catch_up_days=7),
        topics=(
            Topic("ww3", ("#ww3", "#wwiii", "#worldwar3", "world war 3", "world war iii")),
            Topic("atacms", ("#atacms", "atacms")),
        ),
        source=path,
    )


def test_every_key_with_values_other_than_the_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
db = "data/watch.db"
archives = ["archive/", "/srv/crawls", "more/*.warc.gz"]
timezone = "Europe/Berlin"
reports = "../out"

[schedule]
ingest_interval = 60
report_time = "06:30"
catch_up_days = 0

[topics]
"nuclear.threat" = ["  #Nuclear  ", "nuclear strike"]
ww3 = ["#WW3"]
""",
        name="conf/monitor.toml",
    )
    folder = tmp_path / "conf"
    config = load_config(path)
    assert config == Config(
        db=folder / "data" / "watch.db",
        archives=(str(folder / "archive"), "/srv/crawls", str(folder / "more" / "*.warc.gz")),
        timezone="Europe/Berlin",
        reports=folder / ".." / "out",
        schedule=Schedule(ingest_interval=60, report_time=time(6, 30), catch_up_days=0),
        # Aliases lose surrounding spaces; topics keep the file's order.
        topics=(Topic("nuclear.threat", ("#Nuclear", "nuclear strike")), Topic("ww3", ("#WW3",))),
        source=path,
    )
    assert str(config.zone) == "Europe/Berlin"


def test_a_relative_config_path_anchors_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, 'db = "monitor.db"\nreports = "reports"\narchives = ["a"]\n', "conf/m.toml")
    monkeypatch.chdir(tmp_path)
    config = load_config("conf/m.toml")
    # A daemon that later changes its working folder still finds its files.
    monkeypatch.chdir("/")
    assert config == Config(
        db=tmp_path / "conf/monitor.db",
        archives=(str(tmp_path / "conf/a"),),
        reports=tmp_path / "conf/reports",
        source=tmp_path / "conf/m.toml",
    )


def test_an_empty_file_is_the_defaults_with_its_source(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert load_config(path) == Config(source=path)


def test_a_partial_schedule_keeps_the_other_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "[schedule]\ncatch_up_days = 2\n")
    assert load_config(path).schedule == Schedule(
        ingest_interval=900, report_time=time(7, 0), catch_up_days=2
    )


def test_defaults_without_a_file_or_environment_variable() -> None:
    assert load_config() == Config(
        db=Path("monitor.db"),
        archives=(),
        timezone="UTC",
        reports=Path("reports"),
        schedule=Schedule(ingest_interval=900, report_time=time(7, 0), catch_up_days=7),
        topics=(),
        source=None,
    )


def test_environment_variable_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, 'timezone = "Asia/Tokyo"\n')
    monkeypatch.setenv("MONITOR_CONFIG", str(path))
    assert load_config() == Config(timezone="Asia/Tokyo", source=path)


def test_an_empty_environment_variable_means_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_CONFIG", "")
    assert load_config() == Config()


def test_an_explicit_path_wins_over_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "missing.toml"))
    path = write(tmp_path, 'timezone = "UTC"\n')
    assert load_config(path) == Config(source=path)


def test_environment_variable_pointing_nowhere_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError) as info:
        load_config()
    assert str(info.value) == f"{tmp_path / 'missing.toml'}: no such configuration file"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml")
    assert str(info.value) == f"{tmp_path / 'nope.toml'}: no such configuration file"


def test_config_error_is_a_value_error() -> None:
    assert issubclass(ConfigError, ValueError)


def test_malformed_toml(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    assert (
        error_of(tmp_path, "[schedule\n")
        == f"{path}: not valid TOML: Expected ']' at the end of a table declaration "
        "(at line 1, column 10)"
    )


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_bytes(b'db = "\xff"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (
        f"{path}: cannot read: 'utf-8' codec can't decode byte 0xff in position 6: "
        "invalid start byte"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('dbb = "x.db"\n', f"dbb: unknown key (expected one of: {KEYS})"),
        (
            "[schedule]\ningest_intervall = 60\n",
            f"schedule.ingest_intervall: unknown key (expected one of: {SCHEDULE_KEYS})",
        ),
        ("db = 3\n", "db: expected a path, got 3"),
        ("reports = false\n", "reports: expected a path, got False"),
        ('archives = "archive/"\n', "archives: expected a list of paths or globs, got 'archive/'"),
        ('archives = ["a", 2]\n', "archives[1]: expected a path or glob, got 2"),
        ("archives = [true]\n", "archives[0]: expected a path or glob, got True"),
        (
            "timezone = 1\n",
            "timezone: expected an IANA time zone name such as 'Europe/Berlin', got 1",
        ),
        ('timezone = "Mars/Olympus"\n', "timezone: unknown time zone 'Mars/Olympus'"),
        ('timezone = "utc"\n', "timezone: unknown time zone 'utc'"),
        ('timezone = "../etc"\n', "timezone: unknown time zone '../etc'"),
        ('timezone = ""\n', "timezone: unknown time zone ''"),
        ("schedule = 5\n", "schedule: expected a table, got 5"),
        ('cluster = "local"\n', "cluster: expected a table, got 'local'"),
        ("[cluster]\nadress = 'local'\n", "cluster.adress: unknown key (expected: address)"),
        ("[cluster]\n", "cluster.address: missing: a scheduler's address, local or local:N"),
        (
            "[cluster]\naddress = 'local:0'\n",
            "cluster.address: expected a scheduler's address (tcp://host:8786), local or "
            "local:N, got 'local:0'",
        ),
        (
            "[cluster]\naddress = '10.0.0.5:8786'\n",
            "cluster.address: expected a scheduler's address (tcp://host:8786), local or "
            "local:N, got '10.0.0.5:8786'",
        ),
        (
            '[schedule]\ningest_interval = "900"\n',
            "schedule.ingest_interval: expected a whole number, got '900'",
        ),
        (
            "[schedule]\ningest_interval = true\n",
            "schedule.ingest_interval: expected a whole number, got True",
        ),
        (
            "[schedule]\ncatch_up_days = false\n",
            "schedule.catch_up_days: expected a whole number, got False",
        ),
        (
            "[schedule]\ningest_interval = 1.5\n",
            "schedule.ingest_interval: expected a whole number, got 1.5",
        ),
        ("[schedule]\ncatch_up_days = -1\n", "schedule.catch_up_days: must be at least 0, got -1"),
        (
            "[schedule]\ningest_interval = 0\n",
            "schedule.ingest_interval: must be at least 1, got 0",
        ),
        (
            "[schedule]\nreport_time = 7\n",
            "schedule.report_time: expected a local time as 'HH:MM', got 7",
        ),
        (
            '[schedule]\nreport_time = "7:00"\n',
            "schedule.report_time: expected a local time as 'HH:MM', got '7:00'",
        ),
        (
            '[schedule]\nreport_time = "24:00"\n',
            "schedule.report_time: expected a local time as 'HH:MM', got '24:00'",
        ),
        (
            '[schedule]\nreport_time = "seven"\n',
            "schedule.report_time: expected a local time as 'HH:MM', got 'seven'",
        ),
        ('topics = ["#ww3"]\n', "topics: expected a table of topic = [aliases], got ['#ww3']"),
        (
            '[topics]\nww3 = "#ww3"\n',
            "topics.ww3: expected a list of hashtags ('#ww3') and phrases ('world war 3'), "
            "got '#ww3'",
        ),
        ('[topics]\nww3 = ["#ww3", 3]\n', "topics.ww3[1]: expected a hashtag or a phrase, got 3"),
        ('[topics]\nww3 = ["#ww3", "  "]\n', "topics.ww3[1]: an alias cannot be empty"),
        ('[topics]\nww3 = ["#"]\n', "topics.ww3[0]: an alias cannot be empty"),
        ('[topics]\nww3 = [" ＃ "]\n', "topics.ww3[0]: an alias cannot be empty"),
        ("[topics]\nww3 = []\n", "topics.ww3: a topic needs at least one alias"),
        (
            '[topics]\n"world war" = ["#ww3"]\n',
            "topics.world war: a topic name is letters, digits, '_', '-' or '.'",
        ),
        (
            '[topics]\n"-ww3" = ["#ww3"]\n',
            "topics.-ww3: a topic name is letters, digits, '_', '-' or '.'",
        ),
        ('[topics]\n"" = ["#ww3"]\n', "topics.: a topic name is letters, digits, '_', '-' or '.'"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == f"{tmp_path / 'monitor.toml'}: {message}"


def test_a_time_zone_folder_is_an_unknown_time_zone(tmp_path: Path) -> None:
    assert error_of(tmp_path, 'timezone = "Europe"\n') == (
        f"{tmp_path / 'monitor.toml'}: timezone: unknown time zone 'Europe'"
    )


def test_parse_config_without_a_source_names_only_the_key() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"schedule": {"catch_up_days": -3}})
    assert str(info.value) == "schedule.catch_up_days: must be at least 0, got -3"


def test_parse_config_resolves_against_base() -> None:
    assert parse_config({"db": "m.db", "archives": ["a/*.html"]}, base=Path("/srv")) == Config(
        db=Path("/srv/m.db"), archives=("/srv/a/*.html",)
    )


def test_topic_hashtags_and_phrases() -> None:
    topic = Topic(
        "ww3", ("#WW3", "＃ＷＷＩＩＩ", "##worldwar3", "World  War 3", "world war\tIII", "ATACMS")
    )
    assert topic.hashtags == frozenset({"ww3", "wwiii", "worldwar3"})
    assert topic.phrases == ("world war 3", "world war iii", "atacms")


def test_topic_with_only_hashtags_has_no_phrases() -> None:
    topic = Topic("ww3", ("#ww3",))
    assert (topic.hashtags, topic.phrases) == (frozenset({"ww3"}), ())
