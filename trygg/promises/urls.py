"""Staff pages for the samverkansöverenskommelse and the medborgarlöfte, under /loften/: the
agreement and the promise (urls_agreements), the evidence per problem (urls_evidence) and the
follow-ups (urls_follow_ups). One namespace, three modules, so each part stays small."""

from trygg.promises import urls_agreements, urls_evidence, urls_follow_ups

app_name = "promises"

urlpatterns = [
    *urls_agreements.urlpatterns,
    *urls_evidence.urlpatterns,
    *urls_follow_ups.urlpatterns,
]
