from django.apps import AppConfig


class WalksConfig(AppConfig):
    name = "trygg.walks"
    label = "walks"
    verbose_name = "Trygghetsvandringar"

    def ready(self):
        from trygg.core import jobs
        from trygg.events import retention
        from trygg.measures import indicators
        from trygg.walks.indicators import WALKS_HELD

        # The protocol's e-mails and the reminders before the follow-up meeting; a minute's
        # delay is fine for mail (as the measures' notifications).
        jobs.register_periodic("trygg.walks.notices.run_periodic", 60.0)
        # What a commitment in a medborgarlöfte can be followed by.
        indicators.register(WALKS_HELD)
        # A finding's photos go with its event's text when the municipality's limit passes.
        retention.register_photo_retention("walks", remove_photos)


def remove_photos(events) -> int:
    """The findings' photos of these events, removed; how many. One municipality at a time,
    named for the photo and its finding (the events name it already): sharded (Citus), a join
    of photos and findings across municipalities is refused."""
    from trygg.events import retention
    from trygg.walks.models import FindingPhoto

    done = 0
    municipality_ids = sorted(
        events.order_by().values_list("municipality_id", flat=True).distinct()
    )
    for municipality_id in municipality_ids:
        photos = FindingPhoto.objects.filter(
            municipality_id=municipality_id,
            finding__municipality_id=municipality_id,
            finding__event__in=events,
        )
        done += retention.delete_photo_rows(photos)
    return done
