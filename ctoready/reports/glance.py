"""The report's opening "at a glance" block: the one next step, from the plan."""

from dataclasses import dataclass

from django.utils.translation import gettext

from ctoready.reports.plans import AreaPlan


@dataclass(frozen=True)
class NextStep:
    area: str | None
    text: str


def next_step(
    area_plans: tuple[AreaPlan, ...], next_experience: tuple[str, ...]
) -> NextStep | None:
    """The first stretch experience (the 70 of 70/20/10) of the first focus area, or else the
    first experience the next readiness level presumes."""
    for plan in area_plans:
        for group in plan.groups:
            if group.kind == "experience" and group.actions:
                return NextStep(plan.name, group.actions[0].text)
    if next_experience:
        return NextStep(
            None,
            gettext("Look for a first chance at this experience: %(experience)s.")
            % {"experience": next_experience[0]},
        )
    return None
