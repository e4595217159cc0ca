"""Production settings, read from the environment as a server reads them: `trygg check --deploy`
is silent, and real responses carry the security headers, the Content-Security-Policy and
cookies that only travel over HTTPS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

import trygg
from trygg.organisations.tests.factories import PASSWORD

ROOT = Path(trygg.__file__).resolve().parent.parent
LOGIN = "/konto/logga-in/"
# What the settings module makes of production variables; the tests below use exactly these.
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]
DUMP = (
    "import json, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'trygg.settings'\n"
    "from django.conf import settings\n"
    "print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}))"
)


def production_environment(tmp_path, **extra: str) -> dict[str, str]:
    """What a municipality's server sets: no debug, a long random key, its host name, behind a
    proxy that ends TLS and says so in X-Forwarded-Proto."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "TRYGG_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'trygg.sqlite3'}",
        "TRYGG_SECRET_KEY": "p7Vq-3xZ_w9LkT2mRb8NcY4hJf6GsD1aUe5oIyXt0QnWvKpCzBlMjHgFdSrEiAoO",
        "TRYGG_ALLOWED_HOSTS": "trygg.karlstad.se",
        "TRYGG_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        **extra,
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_check_deploy_reports_nothing_with_production_variables(tmp_path):
    result = run(
        ["-m", "trygg.cli", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_say_so_when_https_is_turned_off(tmp_path):
    """The check above is a real one: without HTTPS it names what is missing."""
    result = run(
        ["-m", "trygg.cli", "check", "--deploy"], production_environment(tmp_path, TRYGG_HTTPS="0")
    )
    assert "security.W008" in result.stderr and "security.W012" in result.stderr


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The security settings as the settings module reads them from production variables."""
    result = run(
        ["-c", DUMP, *SECURITY_SETTINGS],
        production_environment(tmp_path_factory.mktemp("production")),
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def served(production):
    with override_settings(**production):
        yield production


HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}  # as the proxy in front says


def test_plain_http_is_sent_to_https_but_the_health_check_answers_on_it(client, db, served):
    response = client.get(LOGIN)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{LOGIN}"
    assert client.get("/healthz").status_code in {200, 503}  # answered, not redirected


def test_a_page_carries_the_security_headers(client, db, served):
    response = client.get(LOGIN, **HTTPS)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def test_the_content_security_policy_allows_no_inline_script_or_style(client, db, served):
    csp = policy(client.get(LOGIN, **HTTPS))
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert not any("unsafe" in source for sources in csp.values() for source in sources)


def test_cookies_go_over_https_only_and_the_session_is_out_of_scripts_reach(
    client, coordinator, served
):
    page = client.get(LOGIN, **HTTPS)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    # The walk's field page reads it (walks/field.js); it holds no session.
    assert not csrf["httponly"]

    response = client.post(LOGIN, {"username": coordinator.username, "password": PASSWORD}, **HTTPS)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 8 * 60 * 60
