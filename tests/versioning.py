"""Helpers for the "no lost update" tests: an edit page's form sent back as the browser would, and two editors."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm, BaseFormSet
from django.test import Client


def _form_values(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue  # an empty input or an unticked box: the browser sends nothing
        data[bound.html_name] = value
    return data


def page_form_data(response, *names: str) -> dict[str, Any]:
    """What submitting the page unchanged would post: the forms and formsets named in its context, with the values
    they show (the hidden ``version`` among them)."""
    data: dict[str, Any] = {}
    for name in names:
        part = response.context[name]
        if isinstance(part, BaseFormSet):
            data.update(_form_values(part.management_form))
            for form in part.forms:
                data.update(_form_values(form))
        else:
            data.update(_form_values(part))
    return data


def editor(user) -> Client:
    """A browser of its own for ``user``: two editors need two cookie jars."""
    client = Client()
    client.force_login(user)
    return client


def two_api_writes(client, url: str, theirs: dict[str, Any], mine: dict[str, Any]):
    """Both read ``url``; the first PATCHes ``theirs`` with its ETag, the second then PATCHes ``mine`` with the same,
    now stale, ETag. Returns the three responses (read, theirs, mine)."""
    read = client.get(url)
    first = client.patch(url, theirs, format="json", HTTP_IF_MATCH=read["ETag"])
    second = client.patch(url, mine, format="json", HTTP_IF_MATCH=read["ETag"])
    return read, first, second
