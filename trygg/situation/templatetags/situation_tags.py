"""Small formatting helpers for the situation templates."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from trygg.situation import pack_sections as sections

register = template.Library()


@register.filter
def change_marker(comparison: dict | None):
    """The plain-language marker of a count comparison: only a change larger than chance gets
    one; 'too few to tell' and 'no clear change' get none (the legend says so)."""
    if not comparison:
        return ""
    verdict = comparison.get("verdict")
    if verdict == "more":
        return format_html('<span class="marker marker-up">▲ {}</span>', _("fler, mer än slumpen"))
    if verdict == "fewer":
        return format_html(
            '<span class="marker marker-down">▼ {}</span>', _("färre, mer än slumpen")
        )
    return ""


@register.filter
def signed_percent(value):
    if value is None:
        return "–"
    return f"{value:+d} %".replace("-", "−")


@register.filter
def signed(value):
    if value is None:
        return "–"
    number = f"{value:+.0f}" if float(value).is_integer() else f"{value:+.1f}"
    return number.replace("-", "−")


@register.filter
def index(sequence, position):
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def pack_sections(context, picture: dict):
    """The sections other apps add to a meeting pack (pack_sections.py), each rendered from
    what the pack kept, as `{% include %}` would."""
    parts = []
    for section in sections.registered():
        template_ = context.template.engine.get_template(section.template)
        with context.push({section.key: picture.get(section.key)}):
            parts.append(template_.render(context))
    # Each part is a template's own autoescaped output, as {% include %} would give.
    return mark_safe("".join(parts))  # noqa: S308
