"""Activity reports from structures to the central point (issue: activity reporting)."""

__all__: list[str] = []
