"""The weekly meeting pack keeps the measures the group decided on: opened, due and overdue."""

import datetime as dt

import pytest

from trygg.core.tests.clock import TODAY
from trygg.measures import actions
from trygg.measures.models import Status
from trygg.situation.models import MeetingPack

# The pack is for the latest complete week; overdue is counted from today.
pytestmark = pytest.mark.frozen


def test_a_new_pack_keeps_the_overdue_measure_and_shows_it(
    client, karlstad, coordinator, bostadsbolaget
):
    late = actions.create_measure(
        karlstad,
        acting_user=coordinator,
        title="Laga belysningen i garaget",
        status=Status.AGREED,
        responsible=bostadsbolaget,
        due=TODAY - dt.timedelta(days=3),
    )
    client.force_login(coordinator)
    client.post("/lagesbild/underlag/?typ=week")
    pack = MeetingPack.objects.get()
    kept = pack.content["measures"]
    assert kept["counts"]["overdue"] == 1
    assert [row["id"] for row in kept["overdue"]] == [late.pk]
    # The pack reopens as it was: finishing the measure later does not change it.
    actions.set_measure_status(late, Status.DONE, acting_user=coordinator)
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Laga belysningen i garaget" in page
    assert MeetingPack.objects.get().content["measures"]["counts"]["overdue"] == 1
