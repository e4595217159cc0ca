"""Open311 GeoReport v2 server (issue 12, point 5): other apps report into Trygg's moderation
queue and read the published reports. Mounted at /open311/v2/; the jurisdiction is the
kommunkod."""
