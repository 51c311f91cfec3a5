from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from programmes import selectors
from programmes.filtersets import ProjectFilterSet
from programmes.models import ExecutiveStructure, Project
from programmes.permissions import VIEW, role_required

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of rows plus the query string without ``page``, so pager links keep the filters."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


@role_required("project", VIEW)
def project_list(request):
    filterset = ProjectFilterSet(request.GET or None, queryset=selectors.project_list(user=request.user))
    projects = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, projects)
    return render(request, "programmes/project_list.html", {"filter": filterset, "page": page, "query": query})


@role_required("project", VIEW)
def project_detail(request, pk: int):
    try:
        project = selectors.project_detail(user=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "programmes/project_detail.html",
        {"project": project, "pledged_total": selectors.project_pledged_total(project=project)},
    )


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
    return render(request, "programmes/structure_detail.html", {"structure": structure, "page": page, "query": query})


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

