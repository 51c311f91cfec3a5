"""Pages of the results app: programmes, a project's results, the results dashboard, actuals and their review,
donors' portfolios, 3W open-data downloads. Each view declares its permission resource and calls a selector or one
service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes.activity.models import ReportedActivity
from programmes.events.filtersets import EventFilterSet
from programmes.events.selectors import visible_events
from programmes.filtersets import ProjectFilterSet
from programmes.forms import add_service_errors
from programmes.models import Programme, Project
from programmes.permissions import (
    ADD,
    CHANGE,
    DELETE,
    EXPORT,
    REVIEW,
    VIEW,
    can,
    is_delegation,
    role_required,
    user_state_id,
)
from programmes.service_tools import DeleteRefused
from results import hxl, selectors, services
from results import permissions as rules
from results.filtersets import DashboardFilterSet
from results.forms import (
    ActualForm,
    BreakdownForm,
    ClassificationForm,
    ContributionForm,
    DonorForm,
    IndicatorForm,
    PeriodForm,
    ResultForm,
    ReviewForm,
    TransactionForm,
)
from results.models import FinancialTransaction, Indicator, IndicatorActual, IndicatorPeriod, Result


@role_required("programme", VIEW)
def programme_list(request):
    return render(request, "results/programme_list.html", {"programmes": selectors.programme_list()})


@role_required("programme", VIEW)
def programme_detail(request, pk: int):
    try:
        programme = selectors.programme_detail(pk=pk)
    except Programme.DoesNotExist:
        raise Http404 from None
    summary = selectors.programme_summary(user=request.user, programme=programme)
    return render(request, "results/programme_detail.html", {"programme": programme, "summary": summary})


def _project(request, pk: int) -> Project:
    try:
        project = selectors.project_for_results(user=request.user, pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    if not rules.can_view_project_results(user=request.user, obj=project):
        raise Http404
    return project


@role_required("results_framework", VIEW)
def project_results(request, pk: int):
    project = _project(request, pk)
    return render(
        request,
        "results/project_results.html",
        {
            "project": project,
            "framework": selectors.project_framework(project=project),
            "funding": selectors.project_funding(projects=[project])[project.pk],
            "participants": selectors.participants_by_sex_and_age(
                activities=selectors.accepted_project_activities(projects=[project.pk])
            ),
            "can_report": rules.can_report_actual(user=request.user, obj=project),
            "can_classify": rules.can_change_programme(user=request.user),
            "can_change_framework": rules.can_change_framework(user=request.user),
            "can_change_money": rules.can_change_money(user=request.user),
            "transactions": selectors.transactions_visible(user=request.user).filter(project=project),
            "linkable_activities": [
                item
                for item in selectors.project_activity_items(user=request.user, project=project)
                if rules.can_link_activity(user=request.user, obj=item)
            ],
        },
    )


@role_required("programme", CHANGE)
def project_classify(request, pk: int):
    project = _project(request, pk)
    initial = {
        "programme": project.programme,
        "follow_up_of": list(project.follow_up_of.all()),
        "gender_marker": project.gender_marker,
    }
    form = ClassificationForm(request.POST or None, initial=initial)
    form.fields["follow_up_of"].queryset = Project.objects.exclude(pk=project.pk).order_by("code")
    if request.method == "POST" and form.is_valid():
        try:
            services.project_classify(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project classification saved."))
            return redirect("results:project_results", pk=project.pk)
    return render(
        request, "results/classify.html", {"project": project, "form": form}, status=400 if form.errors else 200
    )


@role_required("results_dashboard", VIEW)
def dashboard(request):
    filterset = DashboardFilterSet(request.GET or None, queryset=selectors.visible_projects(user=request.user))
    valid = not filterset.is_bound or filterset.is_valid()
    data = filterset.form.cleaned_data if filterset.is_bound and valid else {}
    projects = filterset.qs if filterset.is_bound and valid else filterset.queryset
    rows = selectors.target_vs_actual(
        user=request.user,
        projects=projects,
        programme=data.get("programme"),
        state=data.get("state"),
        year=int(data["year"]) if data.get("year") else None,
    )
    return render(
        request,
        "results/dashboard.html",
        {
            "filter": filterset,
            "rows": rows,
            "rollup": selectors.rollup(rows),
        },
        status=200 if valid else 400,
    )


# --- actuals ------------------------------------------------------------------------------------------------------


@role_required("indicator_actual", VIEW)
def actual_list(request):
    return render(
        request,
        "results/actual_list.html",
        {
            "mine": selectors.my_actuals(user=request.user),
            "open_periods": selectors.periods_open_for(user=request.user)[:100]
            if can(request.user, "indicator_actual", ADD)
            else [],
            "queue": selectors.review_queue() if can(request.user, "indicator_actual", REVIEW) else None,
            "published": selectors.visible_actuals(user=request.user)
            .filter(status=IndicatorActual.Status.APPROVED)
            .order_by("-reviewed_at")[:50],
        },
    )


@role_required("indicator_actual", ADD)
def actual_create(request, period_pk: int):
    period = get_object_or_404(IndicatorPeriod.objects.select_related("indicator__result__project"), pk=period_pk)
    project = period.indicator.result.project
    if not rules.can_report_actual(user=request.user, obj=project):
        raise PermissionDenied
    form = ActualForm(request.POST or None, indicator=period.indicator)
    if request.method == "POST" and form.is_valid():
        try:
            actual = services.actual_create(period=period, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it when it is complete."))
            return redirect("results:actual_detail", pk=actual.pk)
    return render(
        request, "results/actual_form.html", {"period": period, "form": form}, status=400 if form.errors else 200
    )


def _actual(request, pk: int) -> IndicatorActual:
    try:
        return selectors.actual_detail(user=request.user, pk=pk)
    except IndicatorActual.DoesNotExist:
        raise Http404 from None


@role_required("indicator_actual", VIEW)
def actual_detail(request, pk: int):
    actual = _actual(request, pk)
    editable = rules.can_edit_actual(user=request.user, obj=actual)
    form = ActualForm(request.POST or None, instance=actual) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.actual_update(actual=actual, actor=request.user, **form.cleaned_data)
                if "submit" in request.POST:
                    services.actual_submit(actual=actual, actor=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Submitted for review.") if "submit" in request.POST else _("Saved."))
                return redirect("results:actual_detail", pk=actual.pk)
    return render(
        request,
        "results/actual_detail.html",
        {
            "actual": actual,
            "form": form,
            "indicator": actual.period.indicator,
            "review_form": ReviewForm() if rules.can_review_actual(user=request.user, obj=actual) else None,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@role_required("indicator_actual", REVIEW)
def actual_review(request, pk: int):
    actual = _actual(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.actual_approve(actual=actual, actor=request.user, comment=form.cleaned_data["comment"])
            else:
                services.actual_return(actual=actual, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Review saved."))
            return redirect("results:actual_detail", pk=actual.pk)
    return render(
        request,
        "results/actual_detail.html",
        {
            "actual": actual,
            "form": None,
            "indicator": actual.period.indicator,
            "review_form": form,
        },
        status=400,
    )


# --- donors and open data ---------------------------------------------------------------------------------------


@role_required("financial_transaction", VIEW)
def donor_portfolio(request):
    """What a donor's money funded. A delegation sees its own State's; staff choose a State or an organisation."""
    if is_delegation(request.user):
        from programmes.models import ParticipatingState

        state = ParticipatingState.objects.filter(pk=user_state_id(request.user)).first()
        form, organisation = None, None
    else:
        form = DonorForm(request.GET or None)
        valid = form.is_valid() if form.is_bound else False
        state = form.cleaned_data.get("state") if valid else None
        organisation = form.cleaned_data.get("organisation") if valid and state is None else None
    fundings = selectors.donor_portfolio(user=request.user, state=state, organisation=organisation)
    return render(
        request,
        "results/donor_portfolio.html",
        {
            "form": form,
            "donor": state or organisation,
            "fundings": fundings,
            "totals": selectors.funding_totals(fundings),
        },
    )


@role_required("open_data", VIEW)
def open_data(request):
    return render(request, "results/open_data.html")


def _csv(body: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required("open_data", EXPORT)
def projects_3w_csv(request):
    filterset = ProjectFilterSet(request.GET or None, queryset=selectors.visible_projects(user=request.user))
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(str(filterset.errors.as_text()), status=400, content_type="text/plain; charset=utf-8")
    projects = (filterset.qs if filterset.is_bound else filterset.queryset).prefetch_related(None)
    if is_delegation(request.user):
        projects = projects.filter(status__in=selectors.PUBLISHED_PROJECT_STATUSES)
    return _csv(hxl.projects_csv(projects.order_by("code")), "osce-tnt-3w-projects.csv")


@role_required("open_data", EXPORT)
def events_3w_csv(request):
    filterset = EventFilterSet(request.GET or None, queryset=visible_events(user=request.user))
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(str(filterset.errors.as_text()), status=400, content_type="text/plain; charset=utf-8")
    events = (filterset.qs if filterset.is_bound else filterset.queryset).order_by("start_date", "pk")
    return _csv(hxl.events_csv(events, published_only=is_delegation(request.user)), "osce-tnt-3w-events.csv")


# --- keeping a framework, money and activity links in the browser ----------------------------------------------


def _save(request, form, save) -> object | None:
    """Validate ``form`` on POST and hand its data to one service; a service's refusal goes next to the field."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _form_page(request, form, *, project: Project, title: str, back: str, delete_url: str = ""):
    return render(
        request,
        "results/object_form.html",
        {"form": form, "project": project, "title": title, "back": back, "delete_url": delete_url},
        status=400 if form.errors else 200,
    )


def _framework_saved(request, project: Project):
    messages.success(request, _("Results framework saved."))
    return redirect(f"{reverse('results:project_results', args=[project.pk])}#framework")


@role_required("results_framework", ADD)
def result_create(request, pk: int):
    project = _project(request, pk)
    form = ResultForm(request.POST or None, project=project, initial={"level": request.GET.get("level")})
    if _save(request, form, lambda data: services.result_create(actor=request.user, project=project, **data)):
        return _framework_saved(request, project)
    return _form_page(request, form, project=project, title=_("New result"), back=project_results_url(project))


def _framework_row(request, model, pk: int, project_path: str):
    """A row of a project's framework or money, and its project as ``request.user`` may see it (else 404)."""
    row = get_object_or_404(model.objects.select_related(project_path), pk=pk)
    owner = row
    for name in project_path.split("__"):
        owner = getattr(owner, name)
    return row, _project(request, owner.pk)


@role_required("results_framework", CHANGE)
def result_edit(request, pk: int):
    result, project = _framework_row(request, Result, pk, "project")
    form = ResultForm(request.POST or None, instance=result, project=project)
    if _save(request, form, lambda data: services.result_update(result=result, actor=request.user, **data)):
        return _framework_saved(request, project)
    return _form_page(
        request,
        form,
        project=project,
        title=_("Edit result"),
        back=project_results_url(project),
        delete_url=reverse("results:result_delete", args=[result.pk]),
    )


@role_required("results_framework", ADD)
def indicator_create(request, result_pk: int):
    result, project = _framework_row(request, Result, result_pk, "project")
    form = IndicatorForm(request.POST or None)
    if _save(request, form, lambda data: services.indicator_create(actor=request.user, result=result, **data)):
        return _framework_saved(request, project)
    return _form_page(
        request,
        form,
        project=project,
        title=_("New indicator for %(result)s") % {"result": result},
        back=project_results_url(project),
    )


@role_required("results_framework", CHANGE)
def indicator_edit(request, pk: int):
    indicator, project = _framework_row(request, Indicator, pk, "result__project")
    form = IndicatorForm(request.POST or None, instance=indicator)
    if _save(request, form, lambda data: services.indicator_update(indicator=indicator, actor=request.user, **data)):
        return _framework_saved(request, project)
    return _form_page(
        request,
        form,
        project=project,
        title=_("Edit indicator"),
        back=project_results_url(project),
        delete_url=reverse("results:indicator_delete", args=[indicator.pk]),
    )


@role_required("results_framework", ADD)
def period_create(request, indicator_pk: int):
    indicator, project = _framework_row(request, Indicator, indicator_pk, "result__project")
    form = PeriodForm(request.POST or None, indicator=indicator)
    if _save(request, form, lambda data: services.period_create(actor=request.user, indicator=indicator, **data)):
        return _framework_saved(request, project)
    return _form_page(
        request,
        form,
        project=project,
        title=_("New period and target for %(indicator)s") % {"indicator": indicator},
        back=project_results_url(project),
    )


@role_required("results_framework", CHANGE)
def period_edit(request, pk: int):
    period, project = _framework_row(request, IndicatorPeriod, pk, "indicator__result__project")
    form = PeriodForm(request.POST or None, instance=period, indicator=period.indicator)
    if _save(request, form, lambda data: services.period_update(period=period, actor=request.user, **data)):
        return _framework_saved(request, project)
    return _form_page(
        request,
        form,
        project=project,
        title=_("Edit target: %(indicator)s") % {"indicator": period.indicator},
        back=project_results_url(project),
        delete_url=reverse("results:period_delete", args=[period.pk]),
    )


def _delete(request, *, delete, project: Project, done: str):
    try:
        delete()
    except DeleteRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("results:project_results", pk=project.pk)


@require_POST
@role_required("results_framework", DELETE)
def result_delete(request, pk: int):
    result, project = _framework_row(request, Result, pk, "project")
    return _delete(
        request,
        delete=lambda: services.result_delete(result=result, actor=request.user),
        project=project,
        done=_("Result deleted."),
    )


@require_POST
@role_required("results_framework", DELETE)
def indicator_delete(request, pk: int):
    indicator, project = _framework_row(request, Indicator, pk, "result__project")
    return _delete(
        request,
        delete=lambda: services.indicator_delete(indicator=indicator, actor=request.user),
        project=project,
        done=_("Indicator deleted."),
    )


@require_POST
@role_required("results_framework", DELETE)
def period_delete(request, pk: int):
    period, project = _framework_row(request, IndicatorPeriod, pk, "indicator__result__project")
    return _delete(
        request,
        delete=lambda: services.period_delete(period=period, actor=request.user),
        project=project,
        done=_("Period deleted."),
    )


def project_results_url(project: Project) -> str:
    return reverse("results:project_results", args=[project.pk])


def _money_saved(request, project: Project):
    messages.success(request, _("Money record saved."))
    return redirect(f"{project_results_url(project)}#money")


@role_required("financial_transaction", ADD)
def transaction_create(request, pk: int):
    project = _project(request, pk)
    form = TransactionForm(request.POST or None, project=project, initial={"currency": "EUR"})
    if _save(request, form, lambda data: services.transaction_create(actor=request.user, project=project, **data)):
        return _money_saved(request, project)
    return _form_page(request, form, project=project, title=_("Record money"), back=project_results_url(project))


@role_required("financial_transaction", CHANGE)
def transaction_edit(request, pk: int):
    row, project = _framework_row(request, FinancialTransaction, pk, "project")
    form = TransactionForm(request.POST or None, instance=row, project=project)
    if _save(request, form, lambda data: services.transaction_update(transaction_row=row, actor=request.user, **data)):
        return _money_saved(request, project)
    return _form_page(
        request,
        form,
        project=project,
        title=_("Edit money record"),
        back=project_results_url(project),
        delete_url=reverse("results:transaction_delete", args=[row.pk]),
    )


@require_POST
@role_required("financial_transaction", DELETE)
def transaction_delete(request, pk: int):
    row, project = _framework_row(request, FinancialTransaction, pk, "project")
    return _delete(
        request,
        delete=lambda: services.transaction_delete(transaction_row=row, actor=request.user),
        project=project,
        done=_("Money record deleted."),
    )


def _activity_item(request, pk: int) -> ReportedActivity:
    """An activity item the user may link: its structure's staff or reviewers (``can_link_activity``)."""
    try:
        item = selectors.activity_item(user=request.user, pk=pk)
    except ReportedActivity.DoesNotExist:
        raise Http404 from None
    if not rules.can_link_activity(user=request.user, obj=item):
        raise PermissionDenied
    return item


@role_required("activity_contribution", ADD)
def activity_results(request, pk: int):
    """One activity item's links to output indicators and its participants by sex and age group."""
    item = _activity_item(request, pk)
    form = ContributionForm(request.POST or None, activity=item)
    if _save(
        request,
        form,
        lambda data: services.contribution_create(activity=item, actor=request.user, **data),
    ):
        messages.success(request, _("The activity now counts towards the indicator."))
        return redirect("results:activity_results", pk=item.pk)
    return _activity_page(request, item, contribution_form=form, breakdown_form=_breakdown_form(item))


def _breakdown_form(item: ReportedActivity, data=None) -> BreakdownForm:
    initial = {f"{row.sex}__{row.age_group}": row.count for row in selectors.activity_breakdown(activity=item)}
    return BreakdownForm(data, activity=item, initial=initial)


def _activity_page(request, item, *, contribution_form, breakdown_form):
    return render(
        request,
        "results/activity_results.html",
        {
            "item": item,
            "contribution_form": contribution_form,
            "breakdown_form": breakdown_form,
            "contributions": selectors.activity_contributions(activity=item),
        },
        status=400 if contribution_form.errors or breakdown_form.errors else 200,
    )


@require_POST
@role_required("activity_contribution", DELETE)
def contribution_delete(request, pk: int):
    contribution = get_object_or_404(selectors.contributions(), pk=pk)
    item = _activity_item(request, contribution.activity_id)
    services.contribution_delete(contribution=contribution, actor=request.user)
    messages.success(request, _("The activity no longer counts towards the indicator."))
    return redirect("results:activity_results", pk=item.pk)


@role_required("activity_contribution", CHANGE)
def activity_breakdown(request, pk: int):
    item = _activity_item(request, pk)
    form = _breakdown_form(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.breakdown_set(activity=item, rows=form.breakdown_rows(), actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Participants by age saved."))
            return redirect("results:activity_results", pk=item.pk)
    return _activity_page(request, item, contribution_form=ContributionForm(activity=item), breakdown_form=form)
