"""The files in deploy/ say what the code expects, so that they cannot rot unnoticed: the
programs they start exist under those names, the socket is the same on both sides, the limits
agree with the settings and decision 0025, and uploads stay private."""

from __future__ import annotations

import configparser
import re
import shlex
import tomllib
from pathlib import Path

import pytest

import trygg
from trygg.walks.actions.findings import MAX_PHOTOS as WALK_PHOTOS

ROOT = Path(trygg.__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/trygg/venv/bin/"
DATA_DIR = "/var/lib/trygg"


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] # systemd keys are cased
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser["Service"]


def exec_start(service: configparser.SectionProxy) -> list[str]:
    return shlex.split(service["ExecStart"].replace("\\\n", " "))


def defaults(service: configparser.SectionProxy) -> dict[str, str]:
    # configparser keeps the last of repeated keys; systemd reads every Environment= line.
    text = (DEPLOY / "trygg-web.service").read_text(encoding="utf-8")
    return dict(re.findall(r"^Environment=(\w+)=(\S+)$", text, re.MULTILINE))


def nginx() -> str:
    text = (DEPLOY / "trygg-nginx.conf").read_text(encoding="utf-8")
    return re.sub(r"#.*", "", text)  # comments may mention anything


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


@pytest.mark.parametrize("name", ["trygg-web.service", "trygg-worker.service"])
def test_both_units_run_as_their_own_user_hardened_with_the_env_file(name):
    service = unit(name)
    assert service["User"] == "trygg" != "root"
    assert service["EnvironmentFile"] == "/etc/trygg/trygg.env"
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == DATA_DIR
    assert service["PrivateTmp"] == "true"


def test_the_worker_is_the_trygg_entry_point_and_always_restarts():
    service = unit("trygg-worker.service")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts["project"]["scripts"]["trygg"] == "trygg.cli:main"
    assert exec_start(service) == [VENV_BIN + "trygg", "worker"]
    assert service["Restart"] == "always"


def test_gunicorn_serves_the_wsgi_application_with_workers_and_threads_from_the_environment():
    service = unit("trygg-web.service")
    argv = exec_start(service)
    assert argv[:2] == [VENV_BIN + "gunicorn", "trygg.wsgi:application"]
    assert option(argv, "--workers") == "${TRYGG_WEB_WORKERS}"
    assert option(argv, "--threads") == "${TRYGG_WEB_THREADS}"
    assert "--access-logfile" not in argv  # gunicorn's access lines carry the query string
    assert set(defaults(service)) == {"TRYGG_WEB_WORKERS", "TRYGG_WEB_THREADS"}


def test_nginx_and_gunicorn_agree_on_the_socket():
    argv = exec_start(unit("trygg-web.service"))
    bind = option(argv, "--bind")
    assert bind.startswith("unix:/run/trygg/")
    assert unit("trygg-web.service")["RuntimeDirectory"] == "trygg"
    assert re.search(rf"server {re.escape(bind)}[ ;]", nginx())


def test_one_address_holds_at_most_half_of_gunicorns_threads_and_a_burst_is_not_refused():
    values = defaults(unit("trygg-web.service"))
    threads = int(values["TRYGG_WEB_WORKERS"]) * int(values["TRYGG_WEB_THREADS"])
    assert re.findall(r"limit_conn trygg_per_address (\d+);", nginx()) == [str(threads // 2)]
    # A ceiling for the whole site would refuse residents in a burst (free nginx has no queue).
    assert re.findall(r"limit_conn (\w+) ", nginx()) == ["trygg_per_address"]


def test_the_body_limit_takes_the_largest_upload_and_not_much_more(settings):
    megabytes = int(re.findall(r"client_max_body_size (\d+)m;", nginx())[0])
    largest_upload = WALK_PHOTOS * settings.TRYGG_WALK_PHOTO_MAX_BYTES
    assert largest_upload < megabytes * 1024 * 1024 <= largest_upload + 16 * 1024 * 1024


def test_static_files_come_from_collectstatic_and_uploads_only_through_trygg(settings):
    config = nginx()
    assert f"alias {DATA_DIR}/static/;" in config
    assert Path(settings.STATIC_ROOT).name == "static"  # TRYGG_DATA_DIR/static
    media = re.search(r"location /media/ \{(.*?)\}", config, re.DOTALL)
    assert media is not None and media.group(1).split() == ["return", "404;"]
    assert f"{DATA_DIR}/media" not in config


def test_nginx_sets_the_headers_trygg_reads_and_marks_the_certificate_for_the_operator():
    config = nginx()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert "proxy_set_header X-Real-IP $remote_addr;" in config
    certificates = re.findall(r"ssl_certificate(?:_key)?\s+(\S+);", config)
    assert len(certificates) == 2 and all("OPERATOR" in path for path in certificates)
