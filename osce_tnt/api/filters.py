"""The API's filter backend: django-filter's, with forms that only validate (``PortalFilterSet.form_fields_shared``)."""

from django_filters.rest_framework import DjangoFilterBackend

from programmes.filtersets import PortalFilterSet


class PortalFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if isinstance(filterset, PortalFilterSet):
            filterset.form_fields_shared = True
        return filterset
