"""Typed readers for settings from the environment that fail loudly on bad values."""

import os
import secrets

from django.core.exceptions import ImproperlyConfigured

# Only used with TRYGG_DEBUG=1 (settings refuse it otherwise): development needs no real secret.
DEVELOPMENT_SECRET_KEY = "trygg-development-only-key-never-use-in-production"  # noqa: S105

# Set by the console command, for this process only, before the settings are read: the command
# it runs signs nothing (no session, CSRF token or link), so a random key will do.
_throwaway_secret_key_allowed = False


class ImproperlyConfiguredEnv(ValueError):
    """An environment variable holds a value its setting cannot use."""


def allow_throwaway_secret_key() -> None:
    global _throwaway_secret_key_allowed
    _throwaway_secret_key_allowed = True


def secret_key(debug: bool) -> str:
    """TRYGG_SECRET_KEY; in development a fixed key, for a command that signs nothing a random
    one; otherwise (serving, anything that signs) the key is required."""
    key = env_str("TRYGG_SECRET_KEY")
    if key:
        return key
    if debug:
        return DEVELOPMENT_SECRET_KEY
    if _throwaway_secret_key_allowed:
        return secrets.token_urlsafe(50)
    raise ImproperlyConfigured(
        "TRYGG_SECRET_KEY is not set: it protects sessions, CSRF tokens and signed links. Set "
        "it to a long random value, or set TRYGG_DEBUG=1 on a development machine."
    )


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredEnv(
        f"{name}={value!r}: expected one of 1/0, true/false, yes/no, on/off"
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={value!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [part.strip() for part in value.split(",") if part.strip()]
