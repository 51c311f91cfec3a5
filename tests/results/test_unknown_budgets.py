"""Issue 11: a project whose budget is not given (null) is never EUR 0 on the programme page; the total says how
many projects have no figure."""

from datetime import date
from decimal import Decimal

from tests.factories import ProjectFactory
from tests.results.factories import ProgrammeFactory


def test_programme_page_counts_projects_with_no_budget_figure_apart(world, client_as):
    programme = ProgrammeFactory(title="Border package")
    world.project.programme = programme
    world.project.save()
    ProjectFactory(programme=programme, budget=None, start=date(2010, 1, 1))
    ProjectFactory(programme=programme, budget=Decimal("50000"), start=date(2010, 1, 1))

    html = client_as(world.reviewer).get(f"/programmes/{programme.pk}/").content.decode()

    # Worked out by hand: 100,000 (the world's project) + 50,000; the third project has no figure.
    assert "150,000.00" in html
    assert "1 project not costed" in html
