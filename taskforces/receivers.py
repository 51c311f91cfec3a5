"""Signal receivers connected in ``TaskforcesConfig.ready``; each hands over to a service."""


def on_calendar_bundle_ready(sender, bundle, **kwargs) -> list[str]:
    """Queue the e-mail (once per bundle and task force) and tell the calendar whom it is addressed to."""
    from taskforces.selectors import calendar_recipients
    from taskforces.services import calendar_bundle_queue

    recipients: set[str] = set()
    for mailing in calendar_bundle_queue(bundle=bundle):
        recipients.update(calendar_recipients(task_force=mailing.task_force))
    return sorted(recipients)


def on_reference_data_loaded(sender, **kwargs) -> None:
    from taskforces.reference_data import load_task_forces

    load_task_forces()
