"""Which municipality a user is working in right now, when their organisations work in several
(a police area, a rescue service or a housing company of the county: decision 0035).

The choice is kept in the session and only ever narrows what the memberships already allow:
a page about one municipality opens on it, and asking for a municipality the user has no
membership in is refused where the page is, not here.
"""

from __future__ import annotations

from trygg.organisations.access import access_for

SESSION_KEY = "trygg_kommun"


def chosen_municipality_id(request) -> int | None:
    """The municipality chosen in this session, if the user still works there."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    try:
        chosen = int(session.get(SESSION_KEY) or 0)
    except (TypeError, ValueError):
        return None
    access = access_for(getattr(request, "user", None))
    if chosen and (chosen in access.municipality_ids or access.is_superuser):
        return chosen
    return None


def choose_municipality(request, municipality_id: int) -> bool:
    """Remember `municipality_id` for this session; False (nothing kept) where the user has no
    membership. A preference of the session, not a change of data: no audit row."""
    access = access_for(request.user)
    if municipality_id not in access.municipality_ids and not access.is_superuser:
        return False
    request.session[SESSION_KEY] = municipality_id
    return True


def first_choice(request, candidates) -> int | None:
    """Of `candidates` (ids in the page's order), the session's choice if among them, else the
    first; None when there are none."""
    ids = list(candidates)
    chosen = chosen_municipality_id(request)
    if chosen in ids:
        return chosen
    return ids[0] if ids else None
