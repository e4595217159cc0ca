"""The Citus backend (TRYGG_CITUS=1) groups an annotated query by every selected column, not by
the key alone: on Citus the sharded tables' keys are (municipality_id, id), so PostgreSQL no
longer reads `GROUP BY id` as the whole row (trygg/core/citus/base.py)."""

from __future__ import annotations

import unittest

from django.db import connection
from django.db.models import Count
from django.test import TestCase

from trygg.citizens.models import Dialogue


def _grouped_sql(wrapper) -> str:
    query = Dialogue.objects.annotate(quote_count=Count("quotes")).query
    sql, _params = query.get_compiler(connection=wrapper).as_sql()
    return sql.split("GROUP BY", 1)[1]


@unittest.skipUnless(connection.vendor == "postgresql", "the Citus backend is PostgreSQL's")
class CitusBackendTests(TestCase):
    def test_groups_by_every_selected_column(self):
        from trygg.core.citus.base import DatabaseWrapper

        citus = DatabaseWrapper(connection.settings_dict, alias="citus-test")
        try:
            grouped = _grouped_sql(citus)
        finally:
            citus.close()
        self.assertIn('"citizens_dialogue"."municipality_id"', grouped)
        self.assertIn('"citizens_dialogue"."held_on"', grouped)

    def test_bulk_inserts_list_their_rows(self):
        from django.db.models.sql import InsertQuery

        from trygg.core.citus.base import DatabaseWrapper
        from trygg.places.models import Municipality

        def insert_sql(wrapper) -> str:
            rows: list = [Municipality(code=f"99{n}", name=f"Prov {n}") for n in range(3)]
            query = InsertQuery(Municipality)
            fields: list = [Municipality._meta.get_field(name) for name in ("code", "name")]
            query.insert_values(fields, rows)
            [(sql, _params)] = query.get_compiler(connection=wrapper).as_sql()
            return sql

        citus = DatabaseWrapper(connection.settings_dict, alias="citus-test")
        try:
            self.assertIn("VALUES", insert_sql(citus))
            self.assertNotIn("UNNEST", insert_sql(citus))
        finally:
            citus.close()
        self.assertIn("UNNEST", insert_sql(connection))  # what plain PostgreSQL does

    def test_the_plain_backend_groups_by_the_key(self):
        # The difference the Citus backend exists for: plain PostgreSQL groups by id alone.
        grouped = _grouped_sql(connection)
        self.assertNotIn('"citizens_dialogue"."held_on"', grouped)
        self.assertIn('"citizens_dialogue"."id"', grouped)

    def test_settings_choose_it_by_environment(self):
        import os
        import subprocess
        import sys

        env = os.environ | {"TRYGG_CITUS": "1", "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
        code = (
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])"
        )
        env["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
        env["TRYGG_DEBUG"] = "1"
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        self.assertEqual(out.stdout.strip(), "trygg.core.citus")
