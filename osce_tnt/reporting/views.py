import contextlib
import hashlib
import json
from typing import Any

from django.contrib import messages
from django.core.cache import cache as django_cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from osce_tnt.reporting import cache, exports, selectors, services
from osce_tnt.reporting.cache import CACHE_ERRORS, FIGURE_TIMEOUT
from osce_tnt.reporting.filtersets import GeneratedReportFilterSet
from osce_tnt.reporting.forms import DashboardFilterForm, ReportRequestForm
from osce_tnt.reporting.models import GeneratedReport
from programmes.forms import add_service_errors
from programmes.models import ParticipatingState
from programmes.permissions import (
    ADD,
    DELETE,
    EXPORT,
    PUBLISH,
    VIEW,
    can,
    is_delegation,
    role_of,
    role_required,
    user_state_id,
)
from programmes.views import paginate

DOWNLOAD_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


# The dashboard section (templates/reporting/dashboard.html) that shows each chart; a chart not listed here is
# shown in a "More figures" section rather than lost.
CHART_SECTIONS = {
    "activities_over_time": "activities",
    "by_region": "activities",
    "by_state": "activities",
    "participants": "activities",
    "exb_by_area": "funding",
    "exb_by_donor": "funding",
    "exb_area_donor": "funding",
    "donor_pledges": "funding",
    "compliance": "reporting",
    "linkage": "reporting",
}


def _section_charts(charts: dict[str, dict]) -> dict[str, list[dict]]:
    sections: dict[str, list[dict]] = {}
    for name, table in charts.items():
        sections.setdefault(CHART_SECTIONS.get(name, "other"), []).append(table)
    return sections


def _dashboard_context(request, *, my_state: bool, with_results: bool = True, with_html: bool = True):
    """Filters from the URL, figures for the viewer's audience, and for each chart its CSV link."""
    form = DashboardFilterForm(
        request.GET or None, with_state=my_state and not is_delegation(request.user), my_state=my_state
    )
    state = None
    if my_state:
        state_id = user_state_id(request.user) if is_delegation(request.user) else None
        filters = form.to_filters(state_id=state_id)
        if filters.state_id:
            state = ParticipatingState.objects.filter(pk=filters.state_id).first()
    else:
        filters = form.to_filters()
    audience = selectors.audience_for(request.user)
    data = None
    if not my_state or state is not None:
        data = (selectors.my_state_figures if my_state else selectors.dashboard_figures)(
            filters=filters, audience=audience
        )
        data = selectors.for_viewer(data, user=request.user)
    params: dict[str, Any] = {
        **filters.as_query(),
        **({"state": state.pk} if state and not is_delegation(request.user) else {}),
    }
    query = urlencode(params)
    csv_base = {"view": "my_state"} if my_state else {}
    csv_links = {}
    if data is not None:
        for name in list(data["charts"]) + [t["name"] for t in data["gap_tables"]]:
            csv_links[name] = (
                reverse("reporting:dashboard_csv", args=[name])
                + "?"
                + urlencode({**csv_base, **dict(request.GET.items())})
            )
    section_charts = _section_charts(data["charts"]) if data is not None else {}
    return {
        "form": form,
        "data": data,
        "results": _results_html(request, filters, audience) if data is not None and with_results else None,
        "filters": filters,
        "query": query,
        "state": state,
        "audience": audience,
        "csv_links": csv_links,
        "section_charts": section_charts,
        "figures_html": _figures_html(data, section_charts, csv_links) if data is not None and with_html else {},
        "my_state": my_state,
        "my_state_query": urlencode({k: v for k, v in filters.as_query().items() if k != "region"}),
        "no_data": data is not None and _all_empty(data),
    }


def _figures_html(data: dict, section_charts: dict, csv_links: dict) -> dict[str, str]:
    """The dashboard's figure sections (key figures, charts with their tables, gaps) rendered as HTML, cached.

    They depend on nothing but the figures, their CSV links and the language, so the key is a digest of exactly
    those: a fragment can never outlive or precede the figures it shows (no generation to keep in step, and stale
    figures served during a recomputation get their own fragment). Rendering them took most of a warm page's
    time (issue 14: the tables' cells through the template engine, ~25 ms of CPU per request at N=1)."""
    language = translation.get_language()
    payload = json.dumps([data, csv_links, language], sort_keys=True, default=str)
    key = f"reporting:html:{hashlib.sha256(payload.encode()).hexdigest()}"
    try:
        html = django_cache.get(key)
    except CACHE_ERRORS:
        html = None
    if html is None:
        context = {"data": data, "section_charts": section_charts, "csv_links": csv_links}
        html = {
            "main": render_to_string("reporting/dashboard/figures.html", context),
            "other": render_to_string("reporting/dashboard/more_figures.html", context),
        }
        with contextlib.suppress(*CACHE_ERRORS):
            django_cache.set(key, html, timeout=FIGURE_TIMEOUT)
    return {name: mark_safe(fragment) for name, fragment in html.items()}  # rendered by our own templates


def _results_html(request, filters, audience: str) -> SafeString:
    """The "Results and money" section, rendered and cached with the figures (same generation: writes to the
    results app bump it too, see receivers.WATCHED_APPS). Its rows depend on the viewer only through the projects a
    delegation may see (``results.selectors.visible_projects``), so that is part of the key. At N=1 its queries
    were ~100 ms of every warm page."""
    key = f"{filters.cache_key()}:delegation={is_delegation(request.user)}:lang={translation.get_language()}"

    def compute() -> str:
        overview = selectors.results_overview(user=request.user, filters=filters, audience=audience)
        return render_to_string("reporting/includes/results_section.html", {"results": overview})

    return mark_safe(cache.cached("results_html", audience, key, compute))  # rendered by our own template


def _all_empty(data: dict) -> bool:
    """True when no chart and no key figure has anything to show: the page then says so once."""
    figures = [item.get("value") for item in data.get("key_figures", [])]
    return not any(figures)


def _content_html(request, *, my_state: bool) -> SafeString:
    """The dashboard page's own content (its filters, figures and results; everything but the site's frame),
    rendered and cached with the figures.

    It depends on the viewer only through their role (audience, the gap tables ``for_viewer`` keeps, the State
    filter) and, on the my-State page, a delegation's State; and on the request only through its query. Those,
    the language and the day make the key; data writes move the generation. A warm page was otherwise ~18 ms of
    CPU (the filter form's option lists, the figures unpickled, the template) for a view that changes only when
    the data do. A query with parameters the form does not know, or with invalid values, is rendered afresh:
    arbitrary query strings must not each fill a cache entry."""

    def render_content() -> str:
        context = _dashboard_context(request, my_state=my_state)
        return render_to_string("reporting/dashboard/content.html", context, request=request)

    form_fields = set(DashboardFilterForm.base_fields)
    if not set(request.GET) <= form_fields or (
        request.GET and not DashboardFilterForm(request.GET, with_state=True).is_valid()
    ):
        return mark_safe(render_content())  # rendered by our own template
    state_id = user_state_id(request.user) if my_state and is_delegation(request.user) else None
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    key = (
        f"page={'my_state' if my_state else 'dashboard'}:role={role_of(request.user)}:state={state_id}:"
        f"query={query}:today={timezone.localdate().isoformat()}:lang={translation.get_language()}"
    )
    audience = selectors.audience_for(request.user)
    return mark_safe(cache.cached("dashboard_page", audience, key, render_content))  # rendered by our own template


@role_required("dashboard", VIEW)
def dashboard(request):
    return render(request, "reporting/dashboard.html", {"content": _content_html(request, my_state=False)})


@role_required("dashboard", VIEW)
def my_state(request):
    return render(
        request, "reporting/dashboard.html", {"content": _content_html(request, my_state=True), "my_state": True}
    )


@role_required("dashboard", EXPORT)
def dashboard_csv(request, name: str):
    context = _dashboard_context(
        request, my_state=request.GET.get("view") == "my_state", with_results=False, with_html=False
    )
    data = context["data"]
    if data is None:
        raise Http404
    tables = {**data["charts"], **{t["name"]: t for t in data["gap_tables"]}}
    if name not in tables:
        raise Http404
    response = HttpResponse(exports.table_csv(tables[name]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@role_required("generated_report", VIEW)
def report_list(request):
    filterset = GeneratedReportFilterSet(request.GET or None, queryset=selectors.report_list(user=request.user))
    reports = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, reports)
    return render(
        request,
        "reporting/report_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_add": can(request.user, "generated_report", ADD),
        },
    )


def _visible_report(request, pk: int) -> GeneratedReport:
    try:
        return selectors.report_detail(user=request.user, pk=pk)
    except GeneratedReport.DoesNotExist:
        raise Http404 from None


@role_required("generated_report", VIEW)
def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "sections": exports.sections_in_order(report.figures) if report.figures else [],
            "gap_tables": report.figures.get("gap_tables", []) if report.figures else [],
            "can_retry": can(request.user, "generated_report", ADD),
            "is_stale": services.report_is_stale(report),
            "can_publish": can(request.user, "generated_report", PUBLISH),
            "can_delete": can(request.user, "generated_report", DELETE),
            "downloads": [fmt for fmt in DOWNLOAD_TYPES if report.file_for(fmt)],
        },
    )


@role_required("generated_report", ADD)
def report_create(request):
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_request(
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                scope_kind=data["scope_kind"],
                thematic_area=data["thematic_area"],
                region=data["region"],
                structure=data["structure"],
                title=data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report is queued; this page shows its progress."))
            return redirect(report)
    return render(request, "reporting/report_form.html", {"form": form})


@require_POST
@role_required("generated_report", ADD)
def report_retry(request, pk: int):
    report = _visible_report(request, pk)
    try:
        services.report_retry(report=report)
        messages.success(request, _("The report is queued again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(report)


@require_POST
@role_required("generated_report", PUBLISH)
def report_publish(request, pk: int):
    report = _visible_report(request, pk)
    try:
        if request.POST.get("unpublish"):
            services.report_unpublish(report=report)
            messages.success(request, _("The report is no longer visible to delegations."))
        else:
            services.report_publish(report=report, actor=request.user)
            messages.success(request, _("The report is published to delegations."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(report)


@require_POST
@role_required("generated_report", DELETE)
def report_delete(request, pk: int):
    report = _visible_report(request, pk)
    services.report_delete(report=report, actor=request.user)
    messages.success(request, _("The report was deleted."))
    return redirect("reporting:report_list")


@role_required("generated_report", VIEW)
def report_download(request, pk: int, fmt: str):
    report = _visible_report(request, pk)
    file = report.file_for(fmt)
    if fmt not in DOWNLOAD_TYPES or not file:
        raise Http404
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1], content_type=DOWNLOAD_TYPES[fmt]
    )
