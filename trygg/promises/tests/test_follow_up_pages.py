"""The staff's follow-up pages: the periods and which are due, starting a follow-up, each
commitment's status with its indicator's figures (by the parties or the commitment's owner),
and publication. Bad input is refused with a Swedish message and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import NOW, TODAY
from trygg.events.models import Category
from trygg.promises.actions.follow_ups import open_follow_up, publish_follow_up, record_status
from trygg.promises.actions.promises import adopt
from trygg.promises.models import CommitmentStatus, FollowUp
from trygg.promises.tests.factories import commit, make_agreement, make_promise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen(NOW)]

T3_2023 = (dt.date(2023, 9, 1), dt.date(2023, 12, 31))
T2_2026 = (dt.date(2026, 5, 1), dt.date(2026, 8, 31))  # ended before NOW (2026-11-22)
T3_2026 = (dt.date(2026, 9, 1), dt.date(2026, 12, 31))  # running at NOW


@pytest.fixture
def promise(karlstad, kommunen, polisen, coordinator):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    return make_promise(agreement, coordinator)


@pytest.fixture
def commitments(promise, polisen, kommunen, bostadsbolaget, coordinator):
    police = commit(promise, polisen, coordinator, text="Genomföra krogkontroller")
    supervision = commit(
        promise,
        kommunen,
        coordinator,
        text="Genomföra tillsyn på krogar och nattklubbar",
        column="municipality",
        indicator_kind="entered",
        indicator_source="Tillståndsenhetens register",
    )
    # The housing company is no party to the agreement: it reports for its own commitment only.
    lighting = commit(
        promise,
        bostadsbolaget,
        coordinator,
        text="Se över belysningen i bostadsområdena",
        column="together",
    )
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    for commitment in (police, supervision, lighting):
        commitment.refresh_from_db()
    return police, supervision, lighting


@pytest.fixture
def follow_up(promise, commitments, coordinator):
    return open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )


def _list_url(promise):
    return reverse("promises:follow_ups", args=[promise.pk])


def _url(follow_up):
    return reverse("promises:follow_up", args=[follow_up.promise_id, follow_up.pk])


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _status_post(commitment, **fields):
    data = {"form": "status", "commitment": commitment.pk}
    data |= {f"c{commitment.pk}-{name}": value for name, value in fields.items()}
    return data


# --- the periods -------------------------------------------------------------------------------


def test_the_periods_say_which_are_published_started_due_running_or_not_yet(
    client, promise, commitments, follow_up, coordinator
):
    police, supervision, lighting = commitments
    for commitment in commitments:
        record_status(follow_up, commitment, state="on_plan", acting_user=coordinator)
    publish_follow_up(
        follow_up,
        summary="",
        next_steps="Mer av samma.",
        published_on=dt.date(2024, 1, 10),
        acting_user=coordinator,
    )
    started = open_follow_up(
        promise,
        first_day=dt.date(2024, 1, 1),
        last_day=dt.date(2024, 4, 30),
        acting_user=coordinator,
    )
    record_status(started, police, state="behind", acting_user=coordinator)
    client.force_login(coordinator)

    page = _text(client.get(_list_url(promise)))

    assert "Publicerad 10 januari 2024" in page
    assert "1 av 3 åtaganden har status" in page
    assert "Pågår till och med 31 december 2026" in page
    assert page.count("Starta uppföljning") == 8  # the ended tertials not yet followed up
    assert "Inte än" in page


def test_starting_the_follow_up_of_an_ended_period_opens_it_with_an_audit_row(
    client, promise, commitments, coordinator
):
    client.force_login(coordinator)

    response = client.post(
        _list_url(promise),
        {"first_day": T2_2026[0].isoformat(), "last_day": T2_2026[1].isoformat()},
    )

    follow_up = FollowUp.objects.get()
    assert (follow_up.first_day, follow_up.last_day) == T2_2026
    assert response.status_code == 302 and response["Location"] == _url(follow_up)
    assert AuditEntry.objects.filter(
        object_type="promises.followup", object_id=str(follow_up.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (T3_2026, "Perioden är inte slut än"),
        ((dt.date(2026, 5, 1), dt.date(2026, 6, 30)), "följs upp varje tertial"),
        ((dt.date(2027, 9, 1), dt.date(2027, 10, 31)), "Perioden är inte slut än"),
        (("2026-05-01", "inte ett datum"), "Välj en av perioderna"),
    ],
)
def test_a_period_that_has_not_ended_or_is_not_one_of_the_agreements_is_refused(
    client, promise, commitments, coordinator, period, message
):
    client.force_login(coordinator)

    response = client.post(_list_url(promise), {"first_day": period[0], "last_day": period[1]})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_follow_up_pages_are_closed_to_another_municipality(
    client, promise, follow_up, other_municipality_user
):
    client.force_login(other_municipality_user)

    assert client.get(_list_url(promise)).status_code == 403
    assert client.get(_url(follow_up)).status_code == 403
    response = client.post(
        _list_url(promise),
        {"first_day": T2_2026[0].isoformat(), "last_day": T2_2026[1].isoformat()},
    )
    assert response.status_code == 403
    assert FollowUp.objects.count() == 1


# --- statuses ----------------------------------------------------------------------------------


def test_every_commitment_followed_is_on_the_page_in_its_column_with_a_form(
    client, follow_up, commitments, coordinator
):
    client.force_login(coordinator)

    page = _text(client.get(_url(follow_up)))

    assert "Uppföljning 1 september–31 december 2023" in page
    police_at = page.index("Polisen kommer att")
    together_at = page.index("Polisen och kommunen kommer tillsammans att")
    municipality_at = page.index("Kommunen kommer att")
    assert police_at < page.index("Genomföra krogkontroller") < together_at
    assert together_at < page.index("Se över belysningen") < municipality_at
    assert municipality_at < page.index("Genomföra tillsyn på krogar")
    assert page.count("Spara status") == 3
    assert "3 åtaganden saknar status." in page
    assert f'name="c{commitments[1].pk}-value_source"' in page  # entered: value and source
    assert f'name="c{commitments[0].pk}-value"' not in page  # no indicator: no value


def test_an_owner_records_its_own_commitments_status_and_only_that(
    client, follow_up, commitments, housing_reporter
):
    police, supervision, lighting = commitments
    client.force_login(housing_reporter)

    page = _text(client.get(_url(follow_up)))
    saved = client.post(_url(follow_up), _status_post(lighting, state="done", note="Klart i maj"))
    refused = client.post(_url(follow_up), _status_post(police, state="done"))

    assert page.count("Spara status") == 1
    assert "Publicera" not in page
    assert saved.status_code == 302
    status = CommitmentStatus.objects.get()
    assert (status.commitment, status.state, status.note) == (lighting, "done", "Klart i maj")
    assert AuditEntry.objects.filter(
        object_type="promises.commitmentstatus", object_id=str(status.pk), action="create"
    ).exists()
    assert refused.status_code == 403
    assert CommitmentStatus.objects.count() == 1


@pytest.mark.parametrize(
    ("which", "fields", "message"),
    [
        (0, {"state": "dropped"}, "Skriv varför åtagandet utgår."),
        (0, {}, "Välj en status."),
        (0, {"state": "finished"}, "Välj en status."),
        (
            1,
            {"state": "on_plan", "value": "14", "value_source": ""},
            "Ange var värdet kommer ifrån.",
        ),
        (1, {"state": "on_plan", "value": "fjorton"}, "Skriv värdet som ett tal"),
        (1, {"state": "on_plan", "value": "-2", "value_source": "Registret"}, "0"),
    ],
)
def test_a_status_with_bad_input_is_refused_in_swedish_and_nothing_is_written(
    client, follow_up, commitments, coordinator, which, fields, message
):
    client.force_login(coordinator)

    response = client.post(_url(follow_up), _status_post(commitments[which], **fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CommitmentStatus.objects.exists()
    assert not AuditEntry.objects.filter(object_type="promises.commitmentstatus").exists()


def test_a_commitment_outside_the_follow_up_is_refused_in_swedish(
    client, promise, follow_up, commitments, polisen, coordinator
):
    draft = commit(promise, polisen, coordinator, text="Ett utkast som inte är antaget")
    client.force_login(coordinator)

    response = client.post(_url(follow_up), _status_post(draft, state="done"))

    assert response.status_code == 400
    assert "Åtagandet ingår inte i uppföljningen." in response.content.decode()
    assert not CommitmentStatus.objects.exists()


def test_an_entered_value_is_kept_with_its_source_and_a_swedish_decimal_comma(
    client, follow_up, commitments, coordinator
):
    supervision = commitments[1]
    client.force_login(coordinator)

    client.post(
        _url(follow_up),
        _status_post(supervision, state="on_plan", value="14,5", value_source="Tillståndsenheten"),
    )

    status = CommitmentStatus.objects.get()
    assert (status.value, status.value_source) == (Decimal("14.5"), "Tillståndsenheten")
    page = _text(client.get(_url(follow_up)))
    assert "Under perioden: 14,5. Källa: Tillståndsenheten." in page


def test_fewer_events_than_before_is_said_in_plain_words_with_the_suggestion(
    client, promise, polisen, coordinator, centrum, make_event
):
    violence = Category.objects.get(code="ordning.vald")
    commitment = commit(
        promise,
        polisen,
        coordinator,
        text="Synlighet kring otrygga platser",
        indicator_kind="events",
        indicator_category=violence,
        indicator_area=centrum,
        target_comparison="fewer",
        baseline_start=dt.date(2022, 9, 1),
        baseline_end=dt.date(2022, 12, 31),
    )
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    for i, start in [(i, dt.datetime(2022, 10, 1, 22, tzinfo=dt.UTC)) for i in range(40)] + [
        (i, dt.datetime(2023, 10, 1, 22, tzinfo=dt.UTC)) for i in range(12)
    ]:
        make_event(
            polisen,
            category=violence,
            occurred_from=start + dt.timedelta(days=i % 60),
            area=centrum,
            lat=59.38,
            lon=13.50,
        )
    follow_up = open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )
    client.force_login(coordinator)

    page = _text(client.get(_url(follow_up)))

    assert "Siffrorna räknade nu" in page
    assert "Under perioden: 12 händelser." in page  # staff read the exact count
    assert "Jämförelseperioden: 40 händelser på 122 dagar" in page
    assert "Färre än under jämförelseperioden" in page
    assert "Siffrorna föreslår: enligt plan." in page
    assert commitment.text in page


def test_too_few_events_to_tell_is_said_so(
    client, promise, polisen, coordinator, centrum, make_event
):
    violence = Category.objects.get(code="ordning.vald")
    commit(
        promise,
        polisen,
        coordinator,
        indicator_kind="events",
        indicator_category=violence,
        target_comparison="fewer",
        baseline_start=dt.date(2022, 9, 1),
        baseline_end=dt.date(2022, 12, 31),
    )
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)
    make_event(polisen, category=violence, occurred_from=dt.datetime(2023, 10, 2, tzinfo=dt.UTC))
    follow_up = open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )
    client.force_login(coordinator)

    page = _text(client.get(_url(follow_up)))

    assert "För få för att säga" in page
    assert "Siffrorna räcker inte för ett förslag." in page


# --- publication -------------------------------------------------------------------------------


def test_publishing_needs_every_status_and_the_next_steps_then_the_page_is_fixed(
    client, follow_up, commitments, coordinator
):
    police, supervision, lighting = commitments
    client.force_login(coordinator)
    publish = {
        "form": "publish",
        "summary": "Det mesta går enligt plan.",
        "next_steps": "Fler kontroller.",
    }

    missing = client.post(_url(follow_up), publish)
    for commitment in commitments:
        record_status(follow_up, commitment, state="on_plan", acting_user=coordinator)
    no_next_steps = client.post(_url(follow_up), publish | {"next_steps": "  "})
    follow_up.refresh_from_db()
    unpublished_after_refusals = follow_up.published_on is None
    published = client.post(_url(follow_up), publish)

    assert missing.status_code == 400 and "3 åtaganden saknar status." in missing.content.decode()
    assert no_next_steps.status_code == 400
    assert "Skriv vad som händer nu." in no_next_steps.content.decode()
    assert unpublished_after_refusals
    assert published.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.published_on == TODAY
    assert follow_up.next_steps == "Fler kontroller."
    page = _text(client.get(_url(follow_up)))
    assert "Spara status" not in page and "Ändra status" not in page
    assert reverse("public_promises:follow_up", args=[follow_up.pk]) in page
    late = client.post(_url(follow_up), _status_post(police, state="behind"))
    assert late.status_code == 400
    assert CommitmentStatus.objects.get(commitment=police).state == "on_plan"


def test_only_the_parties_publish(client, follow_up, commitments, coordinator, housing_reporter):
    for commitment in commitments:
        record_status(follow_up, commitment, state="on_plan", acting_user=coordinator)
    client.force_login(housing_reporter)

    response = client.post(_url(follow_up), {"form": "publish", "next_steps": "Fler kontroller."})

    assert response.status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.published_on is None
