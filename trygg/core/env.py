"""Typed readers for settings from the environment that fail loudly on bad values."""

import os
import secrets
from pathlib import Path

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
    key = env_secret("TRYGG_SECRET_KEY")
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


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file NAME_FILE names (container platforms mount secrets as
    files, so the value never sits in the process environment). Both set is an error: which one
    wins would be a guess. The file's trailing newline is not part of the secret."""
    path = env_str(f"{name}_FILE")
    if path is None:
        return env_str(name, default)
    if env_str(name) is not None:
        raise ImproperlyConfiguredEnv(f"{name} and {name}_FILE are both set: set only one of them")
    try:
        value = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as error:
        # The error names the file, never its content.
        raise ImproperlyConfiguredEnv(
            f"{name}_FILE={path!r} cannot be read: {error.__class__.__name__}"
        ) from None
    if not value:
        raise ImproperlyConfiguredEnv(f"{name}_FILE={path!r} is empty")
    return value


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


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from e.g. `X-Forwarded-Proto` (value https) or
    `X-Forwarded-Ssl=on`; None when unset. Only for a proxy that sets (and overwrites) the header:
    otherwise any client could claim to have come over HTTPS."""
    value = env_str(name)
    if value is None:
        return None
    header, _, expected = value.partition("=")
    header = header.strip()
    if not header or any(char in header for char in " :;"):
        raise ImproperlyConfiguredEnv(
            f"{name}={value!r}: expected a header name such as X-Forwarded-Proto, optionally "
            "with =value (https when left out)"
        )
    return "HTTP_" + header.upper().replace("-", "_"), expected.strip() or "https"


def source_of(url_template: str | None) -> list[str]:
    """The Content-Security-Policy source for a tile server's URL template: its scheme and host,
    with Leaflet's {s} subdomain as a wildcard; nothing for a template on this site."""
    if not url_template or "://" not in url_template:
        return []
    scheme, _, rest = url_template.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    if not host or "{" in host:
        raise ImproperlyConfiguredEnv(
            f"TRYGG_MAP_TILES_URL={url_template!r}: the host may hold {{s}} only"
        )
    return [f"{scheme}://{host}"]
