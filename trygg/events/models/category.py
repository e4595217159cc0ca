"""The category tree (EST checklist and the police feed's types) and the police type mapping."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trygg.core.trees import descendant_ids


class CategoryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def leaves(self):
        return self.filter(children__isnull=True)


class Category(models.Model):
    code = models.CharField(_("kod"), max_length=60, unique=True)
    name_sv = models.CharField(_("namn (svenska)"), max_length=120)
    name_en = models.CharField(_("namn (engelska)"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Part of the EST reporting checklist (shown first on the reporting form).
    is_checklist = models.BooleanField(_("ingår i EST-checklistan"), default=False)
    sort_order = models.PositiveIntegerField(default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    @property
    def path_name(self) -> str:
        """'Skadegörelse › Klotter': the name with its parents, for lists and search."""
        names = [self.name]
        node = self.parent
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))

    def descendant_ids(self) -> list[int]:
        """This category and everything under it (the tree is shallow: a few levels)."""
        return descendant_ids(Category.objects.all(), self.pk)


class PoliceEventType(models.Model):
    """One of the police feed's event types ("Skadegörelse", "Brand", ...) and our category."""

    name = models.CharField(_("polisens händelsetyp"), max_length=120, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="police_types")
    # Summaries of a night or a day are not single incidents: kept out of the event log.
    is_summary = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("polisens händelsetyp")
        verbose_name_plural = _("polisens händelsetyper")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.category.code}"
