"""Queries that name the municipality of every sharded table they touch.

Every table that belongs to a municipality is sharded by it on Citus (decisions 0038, 0039): a query
goes to one shard only when each sharded table in it says `municipality_id = <the same id>`,
and a join between two sharded tables that does not is refused. Django joins on the foreign
key alone and reads a many-to-many field by joining its link table, so the readers and
writers here go through the link table themselves, each query naming the municipality of
the row that owns the links. The results are those of the plain relation: the same rows in
the same order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from trygg.organisations.access import access_for
from trygg.places.municipality_column import StaysInItsMunicipality

M = TypeVar("M", bound=models.Model)


def children(parent: Any, related_name: str) -> models.QuerySet:
    """`parent.<related_name>.all()`, restricted to the parent's municipality (where every
    child lies), so that it is sent to one shard. A child model ordered by its parent first
    (commitments, versions and follow-ups by their promise) would join the parent's table to
    sort by the parent's own order; all rows here share the parent, so the rest of the order
    gives the same rows in the same order without that join."""
    rows = getattr(parent, related_name).filter(municipality_id=parent.municipality_id)
    key = getattr(type(parent), related_name).field.name
    return without_order_by(rows, key)


def without_order_by(rows: models.QuerySet, key: str) -> models.QuerySet:
    """`rows` in their model's default order less the foreign key `key`: for rows that all
    share the row `key` points to, the same order, without joining its table."""
    ordering = rows.model._meta.ordering
    if any(str(o).lstrip("-") in (key, f"{key}_id") for o in ordering):
        rows = rows.order_by(*[o for o in ordering if str(o).lstrip("-") not in (key, f"{key}_id")])
    return rows


def _link_names(owner: Any, field_name: str) -> tuple[type[models.Model], str, str]:
    """The link model of the many-to-many `field_name` of `owner`, and the names of its keys
    to the owner and to the target."""
    field: Any = owner._meta.get_field(field_name)
    through = field.remote_field.through
    return through, field.m2m_field_name(), field.m2m_reverse_field_name()


def links(owner: Any, field_name: str) -> models.QuerySet:
    """The link rows of `owner`'s many-to-many `field_name`, in its municipality."""
    through, own, _target = _link_names(owner, field_name)
    return through._default_manager.filter(municipality_id=owner.municipality_id, **{own: owner.pk})


def linked_ids(owner: Any, field_name: str) -> list[int]:
    """The primary keys of the rows `owner` links to, as `owner.<field>.values_list("pk")`
    but read from the link table alone (in no particular order)."""
    _through, _own, target = _link_names(owner, field_name)
    return list(links(owner, field_name).values_list(f"{target}_id", flat=True))


def linked(owner: Any, field_name: str) -> models.QuerySet:
    """`owner.<field>.all()`: the targets, in their model's order, whose link rows name the
    owner's municipality. A target table that is sharded too (measures, problems) is
    restricted to the same municipality, where every linked row lies."""
    field: Any = owner._meta.get_field(field_name)
    _through, _own, target = _link_names(owner, field_name)
    model = field.related_model
    rows = model._default_manager.filter(pk__in=links(owner, field_name).values(f"{target}_id"))
    if is_sharded(model):
        rows = rows.filter(municipality_id=owner.municipality_id)
    return rows


def is_sharded(model: type[models.Model]) -> bool:
    """Whether the model's table is sharded by municipality: every such model stays in its
    municipality (`StaysInItsMunicipality`, checked for each by the tenant-table test); the
    events are, a walk checklist or an area with a municipality column is a reference table."""
    return issubclass(model, StaysInItsMunicipality)


def set_links(owner: Any, field_name: str, targets: Iterable[models.Model]) -> None:
    """`owner.<field>.set(targets)`, each query naming the owner's municipality."""
    through, own, target = _link_names(owner, field_name)
    wanted = {t.pk: t for t in targets}
    present = set(linked_ids(owner, field_name))
    gone = present - set(wanted)
    if gone:
        links(owner, field_name).filter(**{f"{target}_id__in": gone}).delete()
    add_links(owner, field_name, [t for pk, t in wanted.items() if pk not in present])


def add_links(owner: Any, field_name: str, targets: Iterable[models.Model]) -> None:
    """`owner.<field>.add(*targets)` for targets not linked yet."""
    through, own, target = _link_names(owner, field_name)
    targets = list(targets)
    if not targets:
        return
    present = set(
        links(owner, field_name)
        .filter(**{f"{target}_id__in": [t.pk for t in targets]})
        .values_list(f"{target}_id", flat=True)
    )
    new, seen = [], set(present)
    for row in targets:
        if row.pk not in seen:
            seen.add(row.pk)
            new.append(
                through(
                    municipality_id=owner.municipality_id,
                    **{f"{own}_id": owner.pk, f"{target}_id": row.pk},
                )
            )
    through._default_manager.bulk_create(new)


def remove_links(owner: Any, field_name: str, targets: Iterable[models.Model]) -> None:
    """`owner.<field>.remove(*targets)`."""
    _through, _own, target = _link_names(owner, field_name)
    ids = [t.pk for t in targets]
    if ids:
        links(owner, field_name).filter(**{f"{target}_id__in": ids}).delete()


def parent(row: Any, name: str) -> Any:
    """`row.<name>`, the row it hangs on, read (when not loaded yet) by its key and the
    municipality both share, so that Citus sends it to one shard; kept on `row` as Django
    keeps a related object."""
    field: Any = row._meta.get_field(name)
    if not field.is_cached(row):
        model = field.related_model
        found = model._default_manager.get(
            pk=getattr(row, field.attname), municipality_id=row.municipality_id
        )
        field.set_cached_value(row, found)
    return getattr(row, name)


def prefetch_links(owners: list, field_name: str, queryset: models.QuerySet | None = None) -> list:
    """`prefetch_related(field_name)` for a many-to-many field: the link rows, then the
    targets, each read by a query of one table naming the owners' municipalities (Django's
    prefetch joins the link table to the targets, which Citus does not send to one shard).
    Each owner's `<field>.all()` then holds its targets in their model's order, as after
    Django's prefetch, or as `queryset` reads them (`Prefetch(field_name, queryset)`)."""
    if not owners:
        return owners
    field: Any = owners[0]._meta.get_field(field_name)
    through, own, target = _link_names(owners[0], field_name)
    municipalities = {o.municipality_id for o in owners}
    pairs = through._default_manager.filter(
        municipality_id__in=municipalities, **{f"{own}_id__in": [o.pk for o in owners]}
    ).values_list(f"{own}_id", f"{target}_id")
    by_owner: dict[int, set[int]] = {}
    for owner_id, target_id in pairs:
        by_owner.setdefault(owner_id, set()).add(target_id)
    wanted = set().union(*by_owner.values()) if by_owner else set()
    model = field.related_model
    rows = (model._default_manager.all() if queryset is None else queryset).filter(pk__in=wanted)
    if is_sharded(model):
        rows = rows.filter(municipality_id__in=municipalities)
    found = list(rows) if wanted else []
    for owner in owners:
        ids = by_owner.get(owner.pk, set())
        held = getattr(owner, field_name).all()
        held._result_cache = [row for row in found if row.pk in ids]
        held._prefetch_done = True
        if not hasattr(owner, "_prefetched_objects_cache"):
            owner._prefetched_objects_cache = {}
        owner._prefetched_objects_cache[field.name] = held
    return owners


def joined_in_municipality(*relations: str) -> dict[str, F]:
    """Filter arguments that join each of `relations` (paths of required foreign keys to
    sharded tables: "group", "promise__agreement") on the municipality as well as on the key:
    `Shift.objects.filter(**joined_in_municipality("group")).select_related("group")`.
    Every such parent lies in its child's municipality, so the rows are the same; Citus then
    joins the tables shard by shard, and on the one shard of a municipality the query names,
    where it refuses a join on the key alone. Not for a nullable key: the filter would drop
    the rows without a parent (read those with `prefetch_in_municipalities`)."""
    return {f"{relation}__municipality_id": F("municipality_id") for relation in relations}


def prefetch_in_municipalities(rows: Iterable[M], *lookups: str | Prefetch) -> list[M]:
    """`prefetch_related_objects(rows, *lookups)`, each prefetch query naming the rows'
    municipalities (Django's names only the rows' ids, which Citus sends to every shard, and
    `select_related` of an optional parent or a reverse one-to-one is an outer join Citus
    refuses). A lookup is one relation of the rows' model to a sharded table, a foreign key,
    a reverse key or a reverse one-to-one, by name or as a `Prefetch` with its own queryset
    (and `to_attr`); a many-to-many field is read with `prefetch_links`."""
    rows = list(rows)
    if not rows:
        return rows
    municipalities = {row.municipality_id for row in rows}  # type: ignore[attr-defined]
    prefetches = []
    for lookup in lookups:
        found = Prefetch(lookup) if isinstance(lookup, str) else lookup
        name = found.prefetch_through
        related: Any = rows[0]._meta.get_field(name).related_model
        queryset = related._default_manager.all() if found.queryset is None else found.queryset
        prefetches.append(
            Prefetch(
                name,
                queryset=queryset.filter(municipality_id__in=municipalities),
                to_attr=found.to_attr,
            )
        )
    prefetch_related_objects(rows, *prefetches)
    return rows


def in_municipality(
    model: type[models.Model], municipality_id: int, parent_key: str = ""
) -> models.QuerySet:
    """The model's rows in one municipality, for a `Prefetch` over parents of that
    municipality: the prefetch query then names it, and, ordered without `parent_key` (each
    parent's rows share it), joins no parent table to sort."""
    rows = model._default_manager.filter(municipality_id=municipality_id)
    return without_order_by(rows, parent_key) if parent_key else rows


def own_first_or_404(user, rows: models.QuerySet[M], **lookup) -> M:
    """`get_object_or_404(rows, **lookup)`, looked for first in the municipalities the user
    works in: the usual case then reads their shards only on Citus. Anything else (a
    superuser, a row elsewhere, none at all) is looked up by the lookup alone, so the answer is
    the same as without the first step."""
    access = access_for(user)
    if not access.is_superuser and access.municipality_ids:
        own = rows.filter(municipality_id__in=list(access.municipality_ids), **lookup)
        found = own.order_by()[:1]
        if found:
            return found[0]
    return get_object_or_404(rows, **lookup)


def find_visible(user, rows: models.QuerySet[M], pk: int, refused: str) -> M:
    """The row `pk` of `rows` (a model with a municipality), found as `own_first_or_404`
    does; a row in a municipality the user may not see is refused with `refused` (403)."""
    found = own_first_or_404(user, rows, pk=pk)
    if not access_for(user).can_view(getattr(found, "municipality_id", None)):
        raise PermissionDenied(refused)
    return found
