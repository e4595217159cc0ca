import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from trygg.core import env
from trygg.core.env import (
    ImproperlyConfiguredEnv,
    env_bool,
    env_int,
    env_secret,
    proxy_ssl_header,
    secret_key,
    source_of,
)


def test_a_boolean_setting_with_an_unknown_word_fails_loudly(monkeypatch):
    monkeypatch.setenv("TRYGG_X", "kanske")
    with pytest.raises(ImproperlyConfiguredEnv, match="TRYGG_X"):
        env_bool("TRYGG_X")


def test_a_number_setting_that_is_not_a_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("TRYGG_N", "tio")
    with pytest.raises(ImproperlyConfiguredEnv, match="whole number"):
        env_int("TRYGG_N", 3)


def test_unset_settings_take_their_defaults(monkeypatch):
    monkeypatch.delenv("TRYGG_X", raising=False)
    assert env_bool("TRYGG_X", True) is True
    assert env_int("TRYGG_X", 7) == 7


def test_without_a_secret_key_only_a_command_that_signs_nothing_gets_a_random_one(monkeypatch):
    monkeypatch.delenv("TRYGG_SECRET_KEY", raising=False)
    monkeypatch.setattr(env, "_throwaway_secret_key_allowed", False)
    with pytest.raises(ImproperlyConfigured, match="TRYGG_SECRET_KEY"):
        secret_key(debug=False)
    env.allow_throwaway_secret_key()
    first, second = secret_key(debug=False), secret_key(debug=False)
    assert first != second and len(first) >= 50
    assert secret_key(debug=True) == env.DEVELOPMENT_SECRET_KEY
    monkeypatch.setenv("TRYGG_SECRET_KEY", "the-real-key")
    assert secret_key(debug=False) == "the-real-key"


def test_a_secret_may_come_from_the_file_its_FILE_variable_names(monkeypatch, tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-the-file\n", encoding="utf-8")  # as `echo` leaves it
    monkeypatch.delenv("TRYGG_SECRET_KEY", raising=False)
    monkeypatch.setenv("TRYGG_SECRET_KEY_FILE", str(secret))
    assert secret_key(debug=False) == "from-the-file"
    assert env_secret("TRYGG_SECRET_KEY") == "from-the-file"


def test_a_secret_set_both_ways_is_refused_rather_than_guessed(monkeypatch, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("one", encoding="utf-8")
    monkeypatch.setenv("TRYGG_EMAIL_PASSWORD", "two")
    monkeypatch.setenv("TRYGG_EMAIL_PASSWORD_FILE", str(secret))
    with pytest.raises(ImproperlyConfiguredEnv, match="both set"):
        env_secret("TRYGG_EMAIL_PASSWORD")


def test_a_secret_file_that_is_missing_or_empty_fails_loudly_without_its_content(
    monkeypatch, tmp_path
):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "nowhere"))
    with pytest.raises(ImproperlyConfiguredEnv, match="cannot be read"):
        env_secret("DATABASE_URL")
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL_FILE", str(empty))
    with pytest.raises(ImproperlyConfiguredEnv, match="is empty"):
        env_secret("DATABASE_URL")


def test_the_settings_read_every_secret_through_its_FILE_variable(monkeypatch, tmp_path):
    """The settings module itself, in a fresh process: the database URL, the secret key and the
    e-mail password all from files."""
    files = {
        "TRYGG_SECRET_KEY": "k" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'from-file.sqlite3'}",
        "TRYGG_EMAIL_PASSWORD": "smtp-secret",
    }
    environment = {key: value for key, value in os.environ.items() if key not in files}
    for name, value in files.items():
        (tmp_path / name).write_text(value + "\n", encoding="utf-8")
        environment[f"{name}_FILE"] = str(tmp_path / name)
    environment["TRYGG_DEBUG"] = "0"
    shown = subprocess.run(
        [sys.executable, "-c", PRINT_SECRETS],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert shown == [files["TRYGG_SECRET_KEY"], str(tmp_path / "from-file.sqlite3"), "smtp-secret"]


PRINT_SECRETS = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'trygg.settings'\n"
    "from django.conf import settings as s\n"
    "print(s.SECRET_KEY, s.DATABASES['default']['NAME'], s.EMAIL_HOST_PASSWORD)"
)


def test_the_proxy_header_and_the_tile_server_become_their_settings(monkeypatch):
    monkeypatch.setenv("TRYGG_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    assert proxy_ssl_header("TRYGG_PROXY_SSL_HEADER") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("TRYGG_PROXY_SSL_HEADER", "X-Forwarded-Ssl=on")
    assert proxy_ssl_header("TRYGG_PROXY_SSL_HEADER") == ("HTTP_X_FORWARDED_SSL", "on")
    monkeypatch.setenv("TRYGG_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
    with pytest.raises(ImproperlyConfiguredEnv, match="header name"):
        proxy_ssl_header("TRYGG_PROXY_SSL_HEADER")
    monkeypatch.delenv("TRYGG_PROXY_SSL_HEADER")
    assert proxy_ssl_header("TRYGG_PROXY_SSL_HEADER") is None

    assert source_of("https://{s}.tile.example.se/{z}/{x}/{y}.png") == ["https://*.tile.example.se"]
    assert source_of("/kartor/{z}/{x}/{y}.png") == []  # this site: 'self' covers it
    assert source_of("") == []
