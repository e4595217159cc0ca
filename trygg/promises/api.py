"""API under /api/v1/ for agreements, promises, commitments, indicators and follow-ups."""

from ninja import Router

router = Router(tags=["medborgarlöften"])
