from django.http import Http404


def agreement(request, pk: int):
    raise Http404


def promise(request, pk: int):
    raise Http404
