"""``{% project_results_section project %}``: a project's results and money in a few lines, for the core's project
page (the core cannot import this app, so the project page loads the tag library instead)."""

from django import template

from results import selectors
from results.permissions import can_view_project_results

register = template.Library()


@register.inclusion_tag("results/includes/project_section.html", takes_context=True)
def project_results_section(context, project):
    user = context["request"].user
    if not can_view_project_results(user=user, obj=project):
        return {"visible": False}
    rows = selectors.target_vs_actual(user=user, projects=selectors.visible_projects(user=user).filter(pk=project.pk))
    return {
        "visible": True,
        "project": project,
        "rows": rows,
        "funding": selectors.project_funding(projects=[project])[project.pk],
    }
