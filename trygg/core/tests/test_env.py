import pytest
from django.core.exceptions import ImproperlyConfigured

from trygg.core import env
from trygg.core.env import ImproperlyConfiguredEnv, env_bool, env_int, secret_key


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
