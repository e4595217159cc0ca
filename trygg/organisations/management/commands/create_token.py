"""`trygg create-token --user NAMN [--name ETIKETT]`: a new API token, printed once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trygg.organisations.actions import create_token


class Command(BaseCommand):
    help = _("Skapar en API-nyckel för en användare och skriver ut den en gång.")

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help=_("användarnamnet"))
        parser.add_argument("--name", default="", help=_("vad nyckeln används till"))

    def handle(self, *args, user, name, **options):
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(_("Det finns ingen användare som heter %(user)r.") % {"user": user})
        if not person.is_active:
            raise CommandError(
                _("Användaren %(user)r är inaktiverad; nyckeln skulle inte fungera.")
                % {"user": user}
            )
        token, secret = create_token(person, name=name)
        # Only the token on stdout, so `TOKEN=$(trygg create-token --user x)` works.
        self.stdout.write(secret)
        self.stderr.write(
            _(
                "API-nyckel %(prefix)s… skapad för %(user)s. Den visas bara nu: spara den "
                "på ett säkert ställe. Använd den som 'Authorization: Bearer <nyckel>'."
            )
            % {"prefix": token.prefix, "user": person.username},
            style_func=lambda text: text,
        )
