from django.http import Http404


def follow_ups(request, pk: int):
    raise Http404


def follow_up(request, promise_pk: int, pk: int):
    raise Http404
