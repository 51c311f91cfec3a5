"""The baseline: Django views that do no work (the full middleware stack runs, no database, no template)."""

from django.http import HttpResponse, JsonResponse


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def bare_json(request):
    return JsonResponse({"ok": True})
