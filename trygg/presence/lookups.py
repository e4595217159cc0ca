"""How API input names presence groups (by id): see core/resolve.py."""

from django.utils.translation import gettext_lazy as _

from trygg.core.resolve import Lookup
from trygg.presence.models import PresenceGroup

# Whether the group lies in the municipality is the action's check, with its own message.
GROUP = Lookup(PresenceGroup.objects.all(), "pk", _("Okänd grupp."))
