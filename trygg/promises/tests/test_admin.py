import pytest

from trygg.promises.actions.problems import add_problem
from trygg.promises.tests.factories import make_agreement, make_promise

pytestmark = pytest.mark.django_db


def test_the_admin_reads_promises_but_never_writes_them(
    client, django_user_model, karlstad, kommunen, polisen, coordinator
):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    promise = make_promise(agreement, coordinator)
    admin = django_user_model.objects.create_superuser("drift", password="test-lösenord-1")
    client.force_login(admin)
    listing = client.get("/admin/promises/promise/")
    assert listing.status_code == 200
    assert promise.title in listing.content.decode()
    assert client.get("/admin/promises/agreement/add/").status_code == 403
    shown = client.get(f"/admin/promises/promise/{promise.pk}/change/")
    assert shown.status_code == 200 and "Problemområden" in shown.content.decode()
    page = client.post(f"/admin/promises/promise/{promise.pk}/change/", {"title": "Ändrad"})
    promise.refresh_from_db()
    assert page.status_code == 403
    assert promise.title == "Medborgarlöfte 2023–2027"


def test_the_promise_page_reads_its_versions_without_the_promise_table(
    client, django_user_model, karlstad, kommunen, polisen, coordinator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    problem = add_problem(
        agreement, title="Narkotikahandel vid resecentrum", acting_user=coordinator
    )
    promise = make_promise(agreement, coordinator, problems=[problem])
    admin = django_user_model.objects.create_superuser("drift", password="test-lösenord-1")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/admin/promises/promise/{promise.pk}/change/")
    assert page.status_code == 200
    assert problem.title in page.content.decode()
    versions = [q["sql"] for q in queries if 'FROM "promises_promiseversion"' in q["sql"]]
    assert versions
    assert all("JOIN" not in sql for sql in versions)
    # The promise's problems through its link table, in its municipality, with no join.
    problems = [q["sql"] for q in queries if 'FROM "promises_problem"' in q["sql"]]
    assert problems
    assert all("JOIN" not in sql and '"municipality_id" = ' in sql for sql in problems), problems
