from django.urls import include, path

from bench.views import bare, bare_json

urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare.json", bare_json, name="bench_bare_json"),
    path("", include("osce_tnt.urls")),
]
