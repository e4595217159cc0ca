import pytest

from trygg.core.env import ImproperlyConfiguredEnv, env_bool, env_int


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
