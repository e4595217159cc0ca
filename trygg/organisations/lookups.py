"""How API input names organisations (by code): see core/resolve.py."""

from django.utils.translation import gettext_lazy as _

from trygg.core.resolve import Lookup
from trygg.organisations.models import Organisation

ORGANISATION = Lookup(
    Organisation.objects.all(),
    "code",
    _("Okänd organisation."),
    elsewhere=_("Organisationen hör till en annan kommun."),
)
