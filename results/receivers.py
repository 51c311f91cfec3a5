"""Results' answers to activity reporting's signals: indicator actuals move through the report cycle with the
activity report of the same structure and period (activity never imports this app)."""

from __future__ import annotations

from results import services


def on_report_submitted(sender, report, actor, **kwargs) -> None:
    services.actuals_submit_for_report(report=report, actor=actor)


def on_report_returned(sender, report, actor, comment="", **kwargs) -> None:
    services.actuals_return_for_report(report=report, actor=actor, comment=comment)


def on_report_accepted(sender, report, actor, comment="", **kwargs) -> None:
    services.actuals_approve_for_report(report=report, actor=actor, comment=comment)


def connect() -> None:
    from programmes.activity import signals

    signals.report_submitted.connect(on_report_submitted, dispatch_uid="results.actuals_submit_for_report")
    signals.report_returned.connect(on_report_returned, dispatch_uid="results.actuals_return_for_report")
    signals.report_accepted.connect(on_report_accepted, dispatch_uid="results.actuals_approve_for_report")
