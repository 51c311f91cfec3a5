"""Reports' and dashboards' part of the permission table."""

from programmes.permissions import ADD, ALL, DELETE, EXPORT, MANAGERS, PUBLISH, STAFF, VIEW, declare_resources

declare_resources(
    {
        # Delegations read what is published, and aggregates.
        "generated_report": {VIEW: ALL, ADD: STAFF, PUBLISH: MANAGERS, DELETE: MANAGERS},
        "dashboard": {VIEW: ALL, EXPORT: ALL},
    }
)
