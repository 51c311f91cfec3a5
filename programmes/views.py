from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes import choice_cache, list_html, selectors, services
from programmes.filtersets import ProjectFilterSet
from programmes.forms import DonorPledgeFormSet, ProjectForm, ProjectStatusForm, add_service_errors
from programmes.models import ExecutiveStructure, Project
from programmes.permissions import ADD, CHANGE, VIEW, can, role_required
from programmes.versioning import VersionConflict

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of rows plus the query string without ``page``, so pager links keep the filters."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


@role_required("project", VIEW)
def project_list(request):
    filterset = ProjectFilterSet(request.GET or None, queryset=selectors.project_table_rows(user=request.user))
    choice_cache.use_cached_choices(filterset.form)  # the reference-data selects (issue 14)
    projects = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, projects)
    return render(
        request,
        "programmes/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": list_html.project_rows(page),  # written in Python (issue 14)
            "query": query,
            "can_add": can(request.user, "project", ADD),
            "budget": selectors.project_budget_summary(projects=projects),
        },
    )


def _project_or_404(request, pk: int) -> Project:
    try:
        return selectors.project_detail(user=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def _render_project_detail(request, project: Project, status_form: ProjectStatusForm | None = None, status=200):
    can_change = can(request.user, "project", CHANGE)
    if can_change and status_form is None and project.allowed_transitions():
        status_form = ProjectStatusForm(project=project)
    return render(
        request,
        "programmes/project_detail.html",
        {
            "project": project,
            "pledged_total": selectors.project_pledged_total(project=project),
            "can_change": can_change,
            "status_form": status_form if can_change else None,
        },
        status=status,
    )


@role_required("project", VIEW)
def project_detail(request, pk: int):
    return _render_project_detail(request, _project_or_404(request, pk))


def _save_pledges(project: Project, formset) -> None:
    fields = ("donor_state", "amount", "pledged_on")
    for form in formset.initial_forms:
        pledge = form.instance
        if pledge.pk is None:
            continue  # the posted id is not one of this project's pledges: ignored, as Django's formsets do
        if form.cleaned_data.get("DELETE"):
            services.pledge_delete(pledge=pledge)
        elif form.has_changed():
            services.pledge_update(pledge=pledge, data={name: form.cleaned_data[name] for name in fields})
    for form in formset.extra_forms:
        if form.has_changed() and not form.cleaned_data.get("DELETE"):
            services.pledge_add(project=project, **{name: form.cleaned_data[name] for name in fields})


def _project_form_page(request, *, project: Project | None):
    """Create (``project`` None) or edit. Invalid input re-renders everything the user typed, with the errors."""
    data = request.POST if request.method == "POST" else None
    conflict = False
    form = ProjectForm(data, instance=project)
    pledges = DonorPledgeFormSet(data, instance=project or Project(), prefix="pledges")
    if data is not None and form.is_valid() and pledges.is_valid():
        try:
            with transaction.atomic():
                if project is None:
                    saved = services.project_create(**form.cleaned_data)
                else:
                    saved = services.project_update(
                        project=project, data=form.cleaned_data, expected_version=form.expected_version
                    )
                _save_pledges(saved, pledges)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except VersionConflict as exc:
            form.show_version_conflict(exc)
            conflict = True
        else:
            message = _("Project %(code)s created.") if project is None else _("Project %(code)s saved.")
            messages.success(request, message % {"code": saved.code})
            return redirect(saved)
    return render(
        request,
        "programmes/project_form.html",
        {"form": form, "pledges": pledges, "project": project},
        status=409 if conflict else 400 if data is not None else 200,
    )


@role_required("project", ADD)
def project_create(request):
    return _project_form_page(request, project=None)


@role_required("project", CHANGE)
def project_edit(request, pk: int):
    return _project_form_page(request, project=_project_or_404(request, pk))


@require_POST
@role_required("project", CHANGE)
def project_change_status(request, pk: int):
    project = _project_or_404(request, pk)
    form = ProjectStatusForm(request.POST, project=project)
    if form.is_valid():
        try:
            project = services.project_change_status(project=project, status=form.cleaned_data["status"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s is now %(status)s.") % {"code": project.code, "status": project.get_status_display()},
            )
            return redirect(project)
    return _render_project_detail(request, project, status_form=form, status=400)


@role_required("structure", VIEW)
def structure_list(request):
    structures = selectors.structure_list().order_by("kind", "region", "name")
    return render(request, "programmes/structure_list.html", {"structures": structures})


@role_required("structure", VIEW)
def structure_detail(request, pk: int):
    try:
        structure = selectors.structure_detail(pk=pk)
    except ExecutiveStructure.DoesNotExist:
        raise Http404 from None
    page, query = paginate(request, selectors.structure_projects(user=request.user, structure=structure))
    # Counted within what this user may see, so a delegation learns nothing about unpublished projects.
    led_count = selectors.project_list(user=request.user).filter(lead_structure=structure).count()
    return render(
        request,
        "programmes/structure_detail.html",
        {"structure": structure, "page": page, "query": query, "led_count": led_count},
    )


@role_required("state", VIEW)
def state_list(request):
    states = selectors.state_list().order_by("is_partner", "name")
    return render(request, "programmes/state_list.html", {"states": states})


@role_required("state", VIEW)
def state_detail(request, pk: int):
    state = get_object_or_404(selectors.state_list(), pk=pk)
    page, query = paginate(request, selectors.state_projects(user=request.user, state=state))
    return render(
        request,
        "programmes/state_detail.html",
        {"state": state, "structures": selectors.state_structures(state=state), "page": page, "query": query},
    )


# --- Pickers (programmes/pickers.py): the names matching a typed term, for the search box beside a select --------


def _picker_response(request, kind: str, queryset):
    from django.http import JsonResponse

    from programmes import pickers

    term = (request.GET.get("q") or "").strip()[:100]
    label = pickers.PICKER_KINDS[kind][2]
    found = list(pickers.search(queryset, kind, term)[: pickers.PICKER_LIMIT + 1]) if term else []
    return JsonResponse(
        {
            "results": [{"id": obj.pk, "label": label(obj)} for obj in found[: pickers.PICKER_LIMIT]],
            "more": len(found) > pickers.PICKER_LIMIT,
        }
    )


@role_required("project", VIEW)
def project_picker(request):
    return _picker_response(request, "project", selectors.project_list(user=request.user).prefetch_related(None))


@role_required("event", VIEW)
def event_picker(request):
    from programmes.events.selectors import visible_events

    return _picker_response(request, "event", visible_events(user=request.user))
