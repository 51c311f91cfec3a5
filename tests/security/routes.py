"""The route table the permission matrix walks: one entry per named URL.

An entry says how to fill the URL's arguments from the matrix's world and, where a row-level rule or the view's
shape makes a role's answer differ from what the role x resource table alone gives, that role's exact status.

How the portal answers a GET (the one rule, as the views on main apply it):

1. The role x resource table is asked first, before any row is loaded. Anonymous users are sent to sign in (302)
   by pages and refused with 403 by the API (session authentication comes first, so DRF answers 403, not 401); a
   signed-in role the table does not allow gets 403, whether or not the object exists or is visible to it.
2. Then the row. An object the user may not see (another operation's draft, an unpublished project's results or
   money, a staff-only document for a delegation) is answered 404, exactly as if it did not exist, so that its
   existence is not disclosed.
3. An object the user may see, but on which this action is not theirs to take (edit a document of another
   operation, report an actual on another operation's project), is 403.
4. A GET of a POST-only action is 405. Pages check the method before anything else (``require_POST`` is the
   outermost decorator), so everyone, anonymous included, gets the same 405, which says nothing about the object;
   the API authenticates and asks the table first (anonymous and refused roles 403), then answers 405.
5. A step that the object's state does not allow, whoever asks (approving an approved actual, changing the status
   of an adopted decision), is not a permission matter: the API answers 400 with the reason.

A POST that a role may not make is refused the same way (rule 1 or 3) and changes nothing:
``test_no_refused_role_can_write_through_any_route`` posts to every route as every role the table does not let
write, and ``tests/security/test_row_rules.py`` posts the row-level actions of results and knowledge.

So each role x route has one status; ``expected_status`` derives it from the table and the entry. A route without
an entry fails ``test_every_route_has_a_table_entry``; who may use a resource comes from the permission table
(``programmes.permissions.PERMISSIONS``) through the resource the view declares, never from this file."""

from __future__ import annotations

from dataclasses import dataclass, field

# Roles, as the matrix names them.
ANON, DEL_A, DEL_B, FIELD_A, FIELD_B, SECRETARIAT, COORDINATOR, ADMIN = (
    "anonymous",
    "delegation_a",
    "delegation_b",
    "field_a",
    "field_b",
    "secretariat",
    "coordinator",
    "administrator",
)
ROLES = [ANON, DEL_A, DEL_B, FIELD_A, FIELD_B, SECRETARIAT, COORDINATOR, ADMIN]
SIGNED_IN = ROLES[1:]
DELEGATIONS = (DEL_A, DEL_B)
REVIEWERS = (SECRETARIAT, COORDINATOR)

# Who may not see which of the world's rows although the table lets them read the resource (rule 2):
# operation A's drafts (activity report, indicator actual) are A's own until submitted;
DRAFT_HIDDEN = (DEL_A, DEL_B, FIELD_B, SECRETARIAT, COORDINATOR)
# an unpublished meeting is for the task force's members and staff;
UNPUBLISHED_MEETING = (DEL_A, DEL_B, FIELD_B)
# a generated report is the Secretariat's until published;
UNPUBLISHED_REPORT = (DEL_A, DEL_B, FIELD_A, FIELD_B)
# internal events, unpublished projects' results and money, staff-only documents are not for delegations.

# What a role gets when the table refuses it (rule 1), when the row is hidden (2) or not theirs (3), and for a GET
# of a POST-only action (4).
ANON_PAGE, ANON_API, REFUSED = 302, 403, 403
HIDDEN, NOT_YOURS, METHOD_NOT_ALLOWED = 404, 403, 405


@dataclass(frozen=True)
class Entry:
    kwargs: dict[str, str] = field(default_factory=dict)
    # The status a role the table allows gets when the row is visible and the action its own: 200, or 302 for a
    # GET that redirects.
    ok: int = 200
    post_only: bool = False  # rule 4
    hidden: tuple[str, ...] = ()  # rule 2: roles the table allows that may not see this row (404)
    not_yours: tuple[str, ...] = ()  # rule 3: roles that see the row but may not take this action (403)
    # Exact statuses that no rule above gives, each with its reason beside the entry.
    status: dict[str, int] = field(default_factory=dict)


def E(
    kwargs: dict[str, str] | None = None,
    *,
    ok: int = 200,
    post_only: bool = False,
    hidden: tuple[str, ...] = (),
    not_yours: tuple[str, ...] = (),
    status: dict[str, int] | None = None,
) -> Entry:
    return Entry(kwargs or {}, ok, post_only, tuple(hidden), tuple(not_yours), status or {})


def expected_status(entry: Entry, *, role: str, allowed: bool, is_api: bool, open_to_anonymous: bool) -> int:
    """The one status ``role`` gets for a GET of the entry's URL; ``allowed`` is the table's answer."""
    if role in entry.status:
        return entry.status[role]
    if entry.post_only and not is_api:
        # Pages check the method before anything else (``require_POST`` outermost): the same 405 for everyone,
        # which tells nothing about the object.
        return METHOD_NOT_ALLOWED
    if role == ANON and not open_to_anonymous:
        return ANON_API if is_api else ANON_PAGE
    if not allowed:
        return REFUSED
    if entry.post_only:
        # DRF authenticates and asks the table before it looks at the method, and loads no row for a GET it
        # cannot route, so the row rules are not reached.
        return METHOD_NOT_ALLOWED
    if role in entry.hidden:
        return HIDDEN
    if role in entry.not_yours:
        return NOT_YOURS
    return entry.ok


R: dict[str, Entry] = {
    "home": E(),
    "healthz": E(),
    # A signed-in user is sent on from the sign-in page.
    "login": E(status=dict.fromkeys(SIGNED_IN, 302)),
    "logout": E(post_only=True),
    # Without a language to set, Django's view sends the browser back.
    "set_language": E(ok=302),
    "security:api_token": E(),
    "privacy:person": E(),
    "api:schema": E(),
    "api:docs": E(),
    "api:redoc": E(),
    "api:api_token": E(),
    "api:api-root": E(),
    "api:dashboard": E(),
    # core
    "api:structure-list": E(),
    "api:structure-detail": E({"pk": "field_a_structure"}),
    "api:state-list": E(),
    "api:state-detail": E({"pk": "state_a"}),
    "api:partner-organisation-list": E(),
    "api:partner-organisation-detail": E({"pk": "partner"}),
    "api:thematic-area-list": E(),
    "api:thematic-area-detail": E({"pk": "area"}),
    "api:mandate-list": E(),
    "api:mandate-detail": E({"pk": "mandate"}),
    "api:project-list": E(),
    "api:project-detail": E({"pk": "project"}),
    "programmes:project_list": E(),
    "programmes:project_create": E(),
    "programmes:project_detail": E({"pk": "project"}),
    "programmes:project_edit": E({"pk": "project"}),
    "programmes:project_change_status": E({"pk": "project"}, post_only=True),
    "programmes:structure_list": E(),
    "programmes:structure_detail": E({"pk": "field_a_structure"}),
    "programmes:state_list": E(),
    "programmes:state_detail": E({"pk": "state_a"}),
    "programmes:project_picker": E(),
    "programmes:event_picker": E(),
    # calendar
    "api:event-list": E(),
    "api:event-detail": E({"pk": "internal_event"}, hidden=DELEGATIONS),
    "api:event-duplicates": E({"pk": "internal_event"}),
    "api:coordination-alert-list": E(),
    "api:coordination-alert-detail": E({"pk": "alert"}),
    "api:coordination-alert-resolve": E({"pk": "alert"}, post_only=True),
    "events:calendar": E(),
    "events:agenda": E(),
    "events:event_create": E(),
    "events:event_detail": E({"pk": "internal_event"}, hidden=DELEGATIONS),
    "events:event_edit": E({"pk": "internal_event"}, not_yours=(FIELD_B,)),
    "events:event_cancel": E({"pk": "internal_event"}, post_only=True),
    "api:event-check": E(post_only=True),
    "api:event-outcome": E({"pk": "internal_event"}),
    # The lead structure's staff or a co-ordinator record an outcome; others who see the event may not.
    "events:event_outcome": E({"pk": "internal_event"}, not_yours=(FIELD_B, SECRETARIAT)),
    "events:awaiting_outcome": E(),
    "events:scoring": E(),
    "events:alert_list": E(),
    "events:alert_resolve": E({"pk": "alert"}, post_only=True),
    "events:feed": E(),
    "events:private_feed": E({"token": "feed_secret"}),
    "events:feed_tokens": E(),
    "events:bundle_list": E(),
    "events:bundle_retry": E({"pk": "bundle"}, post_only=True),
    "events:bundle_download": E({"pk": "bundle", "kind": "xlsx"}),
    # activity reporting
    "api:activity-report-list": E(),
    "api:activity-report-detail": E({"pk": "draft_report_a"}, hidden=DRAFT_HIDDEN),
    "api:activity-report-accept": E({"pk": "draft_report_a"}, post_only=True),
    "api:activity-report-return": E({"pk": "draft_report_a"}, post_only=True),
    "api:activity-report-submit": E({"pk": "draft_report_a"}, post_only=True),
    "api:activity-report-attachments": E({"pk": "draft_report_a"}, post_only=True),
    "api:activity-report-attachment-delete": E({"pk": "draft_report_a", "attachment_id": "attachment"}, post_only=True),
    "activity:report_list": E(),
    # Reports are filed for the user's own structure; an administrator has none.
    "activity:report_create": E(not_yours=(ADMIN,)),
    "activity:review_queue": E(),
    "activity:compliance": E(),
    "activity:compliance_export": E({"fmt": "csv"}),
    "activity:report_detail": E({"pk": "draft_report_a"}, hidden=DRAFT_HIDDEN),
    "activity:report_edit": E({"pk": "draft_report_a"}, hidden=DRAFT_HIDDEN),
    "activity:report_submit": E({"pk": "draft_report_a"}, post_only=True),
    "activity:report_review": E({"pk": "draft_report_a"}, post_only=True),
    "activity:attachment_download": E({"pk": "draft_report_a", "attachment_id": "attachment"}, hidden=DRAFT_HIDDEN),
    # focal points
    "api:network-list": E(),
    "api:network-detail": E({"pk": "network"}),
    "api:network-coverage": E({"pk": "network"}),
    "api:focal-point-list": E(),
    "api:focal-point-detail": E({"pk": "focal_point"}, hidden=(DEL_B,)),
    "api:focal-point-memberships": E({"pk": "focal_point"}, post_only=True),
    "focal_points:directory": E(),
    "focal_points:directory_csv": E(),
    "focal_points:directory_vcard": E(),
    "focal_points:focal_point_create": E(),
    "focal_points:focal_point_detail": E({"pk": "focal_point"}, hidden=(DEL_B,)),
    "focal_points:focal_point_edit": E({"pk": "focal_point"}),
    "focal_points:membership_add": E({"pk": "focal_point"}),
    "focal_points:membership_end": E({"pk": "membership"}, post_only=True),
    "focal_points:focal_point_vcard": E({"pk": "focal_point"}),
    "focal_points:focal_point_csv": E({"pk": "focal_point"}),
    "focal_points:network_list": E(),
    "focal_points:network_detail": E({"pk": "network"}),
    "focal_points:coverage": E(),
    "focal_points:coverage_csv": E(),
    "focal_points:coverage_xlsx": E(),
    "focal_points:vacancies": E(),
    "focal_points:vacancies_csv": E(),
    "focal_points:vacancies_xlsx": E(),
    "focal_points:confirm": E({"token": "confirm_secret"}),
    "focal_points:import": E(),
    "focal_points:import_confirm": E(post_only=True),
    "focal_points:change_queue": E(),
    "focal_points:change_decide": E({"pk": "proposed_change"}, post_only=True),
    # task forces
    "api:task-force-list": E(),
    "api:task-force-detail": E({"pk": "task_force"}),
    "api:meeting-list": E(),
    "api:meeting-detail": E({"pk": "unpublished_meeting"}, hidden=UNPUBLISHED_MEETING),
    "api:meeting-reorder-agenda": E({"pk": "unpublished_meeting"}, post_only=True),
    "api:action-item-list": E(),
    "api:action-item-detail": E({"pk": "action"}, hidden=(FIELD_B,)),
    "api:action-item-progress": E({"pk": "action"}, post_only=True),
    "taskforces:taskforce_list": E(),
    "taskforces:taskforce_create": E(),
    "taskforces:meeting_list": E(),
    "taskforces:meeting_detail": E({"pk": "unpublished_meeting"}, hidden=UNPUBLISHED_MEETING),
    "taskforces:meeting_edit": E({"pk": "unpublished_meeting"}, hidden=(FIELD_B,)),
    "taskforces:agenda_item_add": E({"pk": "unpublished_meeting"}, hidden=(FIELD_B,)),
    "taskforces:agenda_item_edit": E({"pk": "unpublished_meeting", "item_pk": "agenda_item"}, hidden=(FIELD_B,)),
    "taskforces:agenda_item_move": E({"pk": "unpublished_meeting", "item_pk": "agenda_item"}, post_only=True),
    "taskforces:agenda_item_delete": E({"pk": "unpublished_meeting", "item_pk": "agenda_item"}, post_only=True),
    "taskforces:attendance_edit": E({"pk": "unpublished_meeting"}, hidden=(FIELD_B,)),
    "taskforces:decision_add": E({"pk": "unpublished_meeting"}, hidden=(FIELD_B,)),
    "taskforces:decision_edit": E({"pk": "unpublished_meeting", "decision_pk": "decision"}, hidden=(FIELD_B,)),
    "taskforces:pack_request": E({"pk": "unpublished_meeting"}, post_only=True),
    "taskforces:pack_detail": E({"pk": "pack"}),
    "taskforces:pack_status": E({"pk": "pack"}),
    "taskforces:pack_retry": E({"pk": "pack"}, post_only=True),
    "taskforces:pack_download": E({"pk": "pack"}),
    "taskforces:action_list": E(),
    "taskforces:my_actions": E(),
    "taskforces:action_detail": E({"pk": "action"}, hidden=(FIELD_B,)),
    "taskforces:action_edit": E({"pk": "action"}, hidden=(FIELD_B,)),
    "taskforces:action_progress_add": E({"pk": "action"}, post_only=True),
    "taskforces:taskforce_detail": E({"slug": "task_force_slug"}),
    "taskforces:taskforce_edit": E({"slug": "task_force_slug"}),
    "taskforces:member_add": E({"slug": "task_force_slug"}),
    "taskforces:member_edit": E({"slug": "task_force_slug", "pk": "member"}),
    "taskforces:member_remove": E({"slug": "task_force_slug", "pk": "member"}, post_only=True),
    "taskforces:meeting_create": E({"slug": "task_force_slug"}, not_yours=(FIELD_B,)),
    "taskforces:action_create": E({"slug": "task_force_slug"}, not_yours=(FIELD_B,)),
    # generated reports and dashboards
    "api:report-list": E(),
    "api:report-detail": E({"pk": "unpublished_report"}, hidden=UNPUBLISHED_REPORT),
    "api:report-download": E({"pk": "unpublished_report", "fmt": "csv"}, hidden=UNPUBLISHED_REPORT),
    "api:report-publish": E({"pk": "unpublished_report"}, post_only=True),
    "api:report-retry": E({"pk": "unpublished_report"}, post_only=True),
    "api:report-unpublish": E({"pk": "unpublished_report"}, post_only=True),
    "reporting:report_list": E(),
    "reporting:report_create": E(),
    "reporting:report_detail": E({"pk": "unpublished_report"}, hidden=UNPUBLISHED_REPORT),
    "reporting:report_retry": E({"pk": "unpublished_report"}, post_only=True),
    "reporting:report_publish": E({"pk": "unpublished_report"}, post_only=True),
    "reporting:report_delete": E({"pk": "unpublished_report"}, post_only=True),
    "reporting:report_download": E({"pk": "unpublished_report", "fmt": "csv"}, hidden=UNPUBLISHED_REPORT),
    "reporting:dashboard": E(),
    "reporting:my_state": E(),
    "reporting:dashboard_csv": E({"name": "exb_by_donor"}),
    "favicon": E(ok=302),  # to the icon among the static files
    # results and money
    "api:programme-list": E(),
    "api:programme-detail": E({"pk": "programme"}),
    "api:programme-summary": E({"pk": "programme"}),
    "api:project-classification-list": E(),
    "api:project-classification-detail": E({"pk": "hidden_project"}, hidden=DELEGATIONS),
    "api:result-list": E(),
    "api:result-detail": E({"pk": "hidden_result"}, hidden=DELEGATIONS),
    "api:indicator-list": E(),
    "api:indicator-detail": E({"pk": "hidden_indicator"}, hidden=DELEGATIONS),
    "api:indicator-period-list": E(),
    "api:indicator-period-detail": E({"pk": "hidden_period"}, hidden=DELEGATIONS),
    "api:indicator-actual-list": E(),
    "api:indicator-actual-detail": E({"pk": "actual_draft_a"}, hidden=DRAFT_HIDDEN),
    "api:indicator-actual-submit": E({"pk": "actual_draft_a"}, post_only=True),
    "api:indicator-actual-return-actual": E({"pk": "actual_draft_a"}, post_only=True),
    "api:indicator-actual-approve": E({"pk": "actual_draft_a"}, post_only=True),
    "api:activity-contribution-list": E(),
    "api:activity-contribution-detail": E({"pk": "contribution"}, hidden=DRAFT_HIDDEN),
    "api:activity-participants-by-age": E({"pk": "draft_activity_a"}, hidden=DRAFT_HIDDEN),
    "api:financial-transaction-list": E(),
    "api:financial-transaction-detail": E({"pk": "transaction"}, hidden=DELEGATIONS),
    "api:project-iati-list": E(),
    "api:project-iati-detail": E({"pk": "project"}),
    "api:project-results": E({"pk": "hidden_project"}, hidden=DELEGATIONS),
    "programme_pages:programme_list": E(),
    "programme_pages:programme_detail": E({"pk": "programme"}),
    "results:dashboard": E(),
    "results:project_results": E({"pk": "hidden_project"}, hidden=DELEGATIONS),
    "results:project_classify": E({"pk": "hidden_project"}),
    "results:actual_list": E(),
    # The framework and the money of a project: staff write them (the table), on the rows of a project they see.
    "results:result_create": E({"pk": "hidden_project"}),
    "results:result_edit": E({"pk": "hidden_result"}),
    "results:result_delete": E({"pk": "hidden_result"}, post_only=True),
    "results:indicator_create": E({"result_pk": "hidden_result"}),
    "results:indicator_edit": E({"pk": "hidden_indicator"}),
    "results:indicator_delete": E({"pk": "hidden_indicator"}, post_only=True),
    "results:period_create": E({"indicator_pk": "hidden_indicator"}),
    "results:period_edit": E({"pk": "hidden_period"}),
    "results:period_delete": E({"pk": "hidden_period"}, post_only=True),
    "results:transaction_create": E({"pk": "hidden_project"}),
    "results:transaction_edit": E({"pk": "transaction"}),
    "results:transaction_delete": E({"pk": "transaction"}, post_only=True),
    # An activity item of operation A's draft report: only those who may see the draft may link it.
    "results:activity_results": E({"pk": "draft_activity_a"}, hidden=DRAFT_HIDDEN),
    "results:activity_breakdown": E({"pk": "draft_activity_a"}, hidden=DRAFT_HIDDEN),
    "results:contribution_delete": E({"pk": "contribution"}, post_only=True),
    "results:actual_create": E({"period_pk": "period"}, not_yours=(FIELD_B, *REVIEWERS)),
    "results:actual_detail": E({"pk": "actual_draft_a"}, hidden=DRAFT_HIDDEN),
    "results:actual_review": E({"pk": "actual_draft_a"}, post_only=True),
    "results:donor_portfolio": E(),
    "results:open_data": E(),
    "results:projects_3w_csv": E(),
    "results:events_3w_csv": E(),
    # knowledge: legal commitments, library, training centres, decisions
    "api:instrument-list": E(),
    "api:instrument-detail": E({"code": "instrument_code"}),
    "api:commitment-list": E(),
    "api:commitment-detail": E({"pk": "commitment"}),
    "api:legal-matrix": E(),
    "api:legal-gaps": E(),
    "api:library-document-list": E(),
    "api:library-document-detail": E({"pk": "staff_document"}, hidden=DELEGATIONS),
    "api:training-centre-list": E(),
    "api:training-centre-detail": E({"pk": "training_centre"}),
    "api:decision-list": E(),
    "api:decision-detail": E({"pk": "proposal"}),
    "api:decision-trace": E({"pk": "proposal"}),
    "api:decision-status": E({"pk": "proposal"}, post_only=True),
    "api:decision-gaps": E(),
    "knowledge:index": E(),
    "knowledge:matrix": E(),
    "knowledge:legal_gaps": E(),
    "knowledge:commitment_create": E(),
    "knowledge:instrument_detail": E({"code": "instrument_code"}),
    "knowledge:instrument_create": E(),
    "knowledge:instrument_edit": E({"code": "instrument_code"}),
    "knowledge:instrument_delete": E({"code": "instrument_code"}, post_only=True),
    "knowledge:commitment_edit": E({"pk": "commitment"}),
    "knowledge:commitment_delete": E({"pk": "commitment"}, post_only=True),
    "knowledge:library": E(),
    "knowledge:document_create": E(),
    "knowledge:document_detail": E({"pk": "staff_document"}, hidden=DELEGATIONS),
    "knowledge:document_file": E({"pk": "staff_document"}, hidden=DELEGATIONS),
    "knowledge:document_edit": E({"pk": "staff_document"}, not_yours=(FIELD_B,)),
    "knowledge:document_delete": E({"pk": "staff_document"}, post_only=True),
    "knowledge:document_reextract": E({"pk": "staff_document"}, post_only=True),
    "knowledge:centre_list": E(),
    "knowledge:centre_detail": E({"pk": "training_centre"}),
    "knowledge:centre_create": E(),
    "knowledge:centre_edit": E({"pk": "training_centre"}),
    "knowledge:centre_delete": E({"pk": "training_centre"}, post_only=True),
    "knowledge:decision_list": E(),
    "knowledge:decision_gaps": E(),
    "knowledge:decision_detail": E({"pk": "proposal"}),
    "knowledge:decision_status": E({"pk": "proposal"}, post_only=True),
}
