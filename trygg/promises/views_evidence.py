from django.http import Http404


def problem(request, agreement_pk: int, pk: int):
    raise Http404
