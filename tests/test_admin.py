"""Every model of the portal has an admin page with a search box and filters, and it renders."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from programmes.permissions import Role
from tests.factories import make_user

PORTAL_APPS = {"programmes", "security", "events", "activity", "focal_points", "taskforces", "reporting"}
# History models (django-simple-history, marked by ``instance_type``) are read on their object's page, not edited.
PORTAL_MODELS = [m for m in apps.get_models() if m._meta.app_label in PORTAL_APPS and not hasattr(m, "instance_type")]


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_searchable_filterable_admin(model):
    model_admin = admin.site._registry.get(model)

    assert model_admin is not None, f"{model.__name__} is not in the admin"
    assert model_admin.search_fields
    assert model_admin.list_filter


@pytest.mark.django_db
def test_every_admin_changelist_renders_with_a_search(client):
    client.force_login(make_user(Role.ADMIN))

    statuses = {
        model.__name__: client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"), {"q": "Vienna"}
        ).status_code
        for model in PORTAL_MODELS
    }

    assert statuses == dict.fromkeys(statuses, 200)
    assert len(statuses) == len(PORTAL_MODELS) > 30
