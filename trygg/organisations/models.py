"""Organisations (the partners in EST), who belongs to them in which role, and API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygg.core.fields import ScrubbedCharField


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL_DEPARTMENT = "municipal_department", _("kommunal förvaltning")
        MUNICIPAL_COMPANY = "municipal_company", _("kommunalt bolag")
        POLICE = "police", _("polis")
        RESCUE_SERVICE = "rescue_service", _("räddningstjänst")
        PROPERTY_OWNER = "property_owner", _("fastighetsägare")
        TRANSPORT = "transport", _("kollektivtrafik")
        ASSOCIATION = "association", _("förening")
        BUSINESS = "business", _("näringsliv")
        OTHER = "other", _("annan")
        # Regional coordination (länsstyrelsen, a regional council): its members see the
        # county's aggregates and nothing of any one municipality (decision 0035).
        COUNTY = "county", _("regional samordning (län)")

    code = models.SlugField(_("kod"), max_length=60, unique=True)
    name = models.CharField(_("namn"), max_length=160)
    kind = models.CharField(_("typ"), max_length=24, choices=Kind.choices)
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="organisations"
    )
    # The organisation's shared mailbox (a function, not a person) for measures it is
    # responsible for; without it, notices go to its coordinators' own addresses.
    contact_email = models.EmailField(_("funktionsbrevlåda"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind == self.Kind.POLICE

    @property
    def has_county_scope(self) -> bool:
        return self.kind == self.Kind.COUNTY


class Membership(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", _("rapportör")
        COORDINATOR = "coordinator", _("samordnare")
        ANALYST = "analyst", _("analytiker")
        ADMIN = "admin", _("administratör")
        VIEWER = "viewer", _("läsare")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("roll"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = ScrubbedCharField(_("namn"), max_length=80, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_secret() -> str:
        return "trygg_" + secrets.token_urlsafe(32)
