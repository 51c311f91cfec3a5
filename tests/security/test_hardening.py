"""Headers, templates without inline code, CSRF on every form, password rules, masked logs, sanitised Markdown."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from programmes.security.log_filters import PersonalDataFilter, mask
from tests.factories import ProjectFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, never sent to a browser: the CSP does not apply to them.
PDF_TEMPLATES = {"reporting/report_pdf.html", "events/bundle_pdf.html", "taskforces/pdf/meeting_pack.html"}


def _browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PDF_TEMPLATES:
            yield name, path.read_text()


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_a_permissions_policy(client_as, coordinator):
    response = client_as(coordinator).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_api_docs_have_their_own_relaxed_policy_with_a_nonce(client_as, coordinator):
    client = client_as(coordinator)
    swagger = client.get("/api/docs/")
    assert swagger.status_code == 200 and "<script>" not in swagger.content.decode()
    assert "'unsafe-inline'" in swagger["Content-Security-Policy"]
    redoc = client.get("/api/redoc/")
    nonce = re.search(r"'nonce-([^']+)'", redoc["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", redoc.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attrs for attrs in scripts)


def test_no_template_served_to_browsers_has_inline_script_or_style():
    offenders = []
    for name, text in _browser_templates():
        if name == "drf_spectacular/redoc.html":
            continue  # its one inline script carries the request's nonce (test above)
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or "<style" in text
            or re.search(r"\sstyle=", text)
            or re.search(r"\son[a-z]+=", text)
        ):
            offenders.append(name)
    assert offenders == []


def test_every_post_form_has_a_csrf_token():
    missing = []
    for name, text in _browser_templates():
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", text, flags=re.S | re.I):
            if "{% csrf_token %}" not in form:
                missing.append(name)
    assert missing == []


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    project = ProjectFactory()
    response = client.post(reverse("programmes:project_change_status", args=[project.pk]), {"status": "cancelled"})
    assert response.status_code == 403


@pytest.mark.parametrize("password", ["short1", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("quiet-harbour-lantern-42")


def test_mask_hides_addresses_and_numbers_but_not_ids_or_dates():
    assert mask("sent to ada.lovelace@example.org") == "sent to [email]"
    assert mask("/x?e=ada%40example.org") == "/x?e=[email]"
    assert mask("call +43 1 555 0123 now") == "call [phone] now"
    assert mask("GET /api/projects/1234/ 2010-05-10") == "GET /api/projects/1234/ 2010-05-10"


@pytest.mark.django_db
def test_a_request_with_an_e_mail_address_leaves_no_address_in_the_log(client_as, coordinator):
    stream = io.StringIO()
    handler = next(
        h for h in logging.getLogger("django").handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters)
    )
    original = handler.setStream(stream)
    try:
        response = client_as(coordinator).get(
            "/focal-points/lookup/ada.lovelace@example.org/", {"phone": "+43 1 555 0123"}
        )
    finally:
        handler.setStream(original)
    assert response.status_code == 404
    log = stream.getvalue()
    assert "Not Found" in log and "[email]" in log
    assert "ada.lovelace" not in log and "example.org" not in log


def test_rendered_markdown_drops_scripts_and_javascript_links():
    from taskforces.rendering import render_minutes

    html = str(render_minutes("<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"))
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
