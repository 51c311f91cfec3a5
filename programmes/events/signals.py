"""Signals the calendar sends to the apps above it (which connect receivers; the calendar never imports them)."""

from django.dispatch import Signal

# Sent once a calendar bundle's files are ready: ``sender=CalendarBundle, bundle=<CalendarBundle>``. The task-forces
# app connects the receiver that e-mails the bundle to the Task Force on Transnational Threats; a receiver may return
# the list of addresses it e-mailed, which is stored on the bundle.
calendar_bundle_ready = Signal()
