"""Signals activity reporting sends so apps above it can act in the same report cycle without being imported here.

Each is sent by the service *inside* its transaction, after the report's own transition is saved, with
``sender=ActivityReport, report=<the locked report>, actor=<user or None>`` (and ``comment`` for reviews). A
receiver that raises (a ``ValidationError`` or ``PermissionDenied``) therefore undoes the report's transition too:
the report and what travels with it move together or not at all.
"""

from django.dispatch import Signal

report_submitted = Signal()
report_returned = Signal()
report_accepted = Signal()
