"""How API input names municipalities (kommunkod), areas and places (id): see core/resolve.py."""

from django.utils.translation import gettext_lazy as _

from trygg.core.resolve import Lookup
from trygg.places.models import Area, Municipality, Place

# Geometry is deferred: a reference needs the row, not its boundary.
MUNICIPALITY = Lookup(Municipality.objects.defer("geometry"), "code", _("Okänd kommunkod."))
AREA = Lookup(
    Area.objects.defer("geometry"),
    "pk",
    _("Okänt område."),
    elsewhere=_("Området ligger i en annan kommun."),
)
PLACE = Lookup(
    Place.objects.all(), "pk", _("Okänd plats."), elsewhere=_("Platsen ligger i en annan kommun.")
)
