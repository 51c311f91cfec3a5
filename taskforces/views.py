"""Server-rendered pages. Each view declares its resource and action through ``role_required``; row-level rules
(members and Secretariat staff edit, others see what is published) come from ``taskforces.permissions`` and are
applied again by the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes.permissions import ADD, CHANGE, VIEW, can, role_required
from programmes.views import paginate
from programmes.views_tools import handle_service_form
from taskforces import selectors, services
from taskforces.filtersets import ActionItemFilterSet, MeetingFilterSet, TaskForceFilterSet
from taskforces.forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    ProgressNoteForm,
    TaskForceForm,
)
from taskforces.models import ActionItem, AgendaItem, Decision, Meeting, MeetingPack, TaskForce, TaskForceMember
from taskforces.permissions import (
    can_edit_task_force,
    can_publish_meeting,
    can_see_task_force_internals,
    can_update_action,
)
from taskforces.rendering import render_minutes


def _task_force(request, slug: str) -> TaskForce:
    try:
        return selectors.taskforce_detail(user=request.user, slug=slug)
    except TaskForce.DoesNotExist:
        raise Http404 from None


def _meeting(request, pk: int) -> Meeting:
    try:
        return selectors.meeting_detail(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _editable_task_force(request, slug: str) -> TaskForce:
    task_force = _task_force(request, slug)
    if not can_edit_task_force(user=request.user, task_force=task_force):
        raise PermissionDenied
    return task_force


def _editable_meeting(request, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    if not can_edit_task_force(user=request.user, task_force=meeting.task_force):
        raise PermissionDenied
    return meeting


def _form_page(
    request,
    form,
    service_call,
    *,
    title: str,
    back_url: str,
    success_message: str,
    success_url=None,
    context: dict | None = None,
):
    """Every edit page of the app: the shared form template around ``handle_service_form``."""
    return handle_service_form(
        request,
        form,
        service_call,
        template="taskforces/form.html",
        context={"title": title, "back_url": back_url, **(context or {})},
        success_url=success_url,
        success_message=success_message,
    )


# --- Task forces -------------------------------------------------------------------------------------------------


@role_required("taskforce", VIEW)
def taskforce_list(request):
    filterset = TaskForceFilterSet(request.GET or None, queryset=selectors.taskforce_list(user=request.user))
    task_forces = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, task_forces)
    return render(
        request,
        "taskforces/taskforce_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_add": can(request.user, "taskforce", ADD),
        },
    )


@role_required("taskforce", VIEW)
def taskforce_detail(request, slug: str):
    task_force = _task_force(request, slug)
    user = request.user
    internals = can_see_task_force_internals(user=user, task_force=task_force)
    editor = can_edit_task_force(user=user, task_force=task_force)
    meetings = selectors.meeting_list(user=user).filter(task_force=task_force).order_by("-starts_at")
    page, query = paginate(request, meetings, per_page=12)
    context = {
        "task_force": task_force,
        "members": task_force.members.all(),
        "internals": internals,
        "next_meeting": selectors.next_meeting(user=user, task_force=task_force),
        "page": page,
        "query": query,
        "can_edit": can(user, "taskforce", CHANGE) and editor,
        "can_add_meeting": can(user, "meeting", ADD) and editor,
        "can_add_action": can(user, "action_item", ADD) and editor,
    }
    if can(user, "action_item", VIEW) and internals:
        context["open_actions"] = selectors.open_action_items(task_force=task_force)[:50]
        context["action_counts"] = selectors.action_counts(task_force=task_force)
    return render(request, "taskforces/taskforce_detail.html", context)


@role_required("taskforce", ADD)
def taskforce_create(request):
    return _form_page(
        request,
        TaskForceForm(request.POST or None),
        lambda data: services.taskforce_create(**data),
        title=_("New task force"),
        back_url="taskforces:taskforce_list",
        success_message=_("Task force created."),
    )


@role_required("taskforce", CHANGE)
def taskforce_edit(request, slug: str):
    task_force = _editable_task_force(request, slug)
    form = TaskForceForm(request.POST or None, instance=TaskForce.objects.get(pk=task_force.pk))
    return _form_page(
        request,
        form,
        lambda data: services.taskforce_update(task_force=task_force, data=data, actor=request.user),
        title=_("Edit %(name)s") % {"name": task_force.name},
        back_url=task_force.get_absolute_url(),
        success_message=_("Task force saved."),
    )


@role_required("taskforce", CHANGE)
def member_add(request, slug: str):
    task_force = _editable_task_force(request, slug)
    return _form_page(
        request,
        MemberForm(request.POST or None, task_force=task_force),
        lambda data: services.member_add(task_force=task_force, actor=request.user, **data),
        title=_("Add a member to %(name)s") % {"name": task_force.name},
        back_url=task_force.get_absolute_url(),
        success_url=task_force,
        success_message=_("Member added."),
    )


def _member(task_force: TaskForce, pk: int) -> TaskForceMember:
    try:
        return task_force.members.select_related("structure").get(pk=pk)
    except TaskForceMember.DoesNotExist:
        raise Http404 from None


@role_required("taskforce", CHANGE)
def member_edit(request, slug: str, pk: int):
    task_force = _editable_task_force(request, slug)
    member = _member(task_force, pk)
    return _form_page(
        request,
        MemberForm(request.POST or None, instance=member, task_force=task_force),
        lambda data: services.member_update(member=member, data=data, actor=request.user),
        title=str(member),
        back_url=task_force.get_absolute_url(),
        success_url=task_force,
        success_message=_("Member saved."),
    )


@require_POST
@role_required("taskforce", CHANGE)
def member_remove(request, slug: str, pk: int):
    task_force = _editable_task_force(request, slug)
    try:
        services.member_remove(member=_member(task_force, pk), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect(task_force)


# --- Meetings ----------------------------------------------------------------------------------------------------


@role_required("meeting", VIEW)
def meeting_list(request):
    filterset = MeetingFilterSet(
        request.GET or None, queryset=selectors.meeting_list(user=request.user).order_by("-starts_at")
    )
    meetings = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, meetings)
    return render(request, "taskforces/meeting_list.html", {"filter": filterset, "page": page, "query": query})


@role_required("meeting", VIEW)
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    user = request.user
    task_force = meeting.task_force
    internals = can_see_task_force_internals(user=user, task_force=task_force)
    editor = can(user, "meeting", CHANGE) and can_edit_task_force(user=user, task_force=task_force)
    show_minutes = internals or meeting.published
    context = {
        "meeting": meeting,
        "task_force": task_force,
        "internals": internals,
        "can_edit": editor,
        "can_add_action": can(user, "action_item", ADD) and editor,
        "can_request_pack": can(user, "meeting_pack", ADD) and internals,
        "minutes_html": render_minutes(meeting.minutes_markdown) if show_minutes else "",
        "actions_raised": selectors.actions_raised(meeting=meeting),
        "previous_meeting": selectors.previous_meeting(meeting=meeting) if internals else None,
    }
    if internals:
        context["actions_to_review"] = selectors.actions_to_review(meeting=meeting)
    if can(user, "meeting_pack", VIEW):
        context["packs"] = selectors.meeting_pack_list(meeting=meeting)[:5]
    return render(request, "taskforces/meeting_detail.html", context)


def _meeting_form(request, form: MeetingForm, meeting) -> MeetingForm:
    # Members who may not publish see the box but cannot change it (the service refuses a change too).
    if not can_publish_meeting(user=request.user, obj=meeting):
        form.fields["published"].disabled = True
        form.fields["published"].help_text = _("Secretariat staff publish the minutes.")
    return form


@role_required("meeting", ADD)
def meeting_create(request, slug: str):
    task_force = _editable_task_force(request, slug)
    form = _meeting_form(request, MeetingForm(request.POST or None), None)
    return _form_page(
        request,
        form,
        lambda _data: services.meeting_create(task_force=task_force, actor=request.user, **form.service_data()),
        title=_("New meeting of the %(name)s") % {"name": task_force.name},
        back_url=task_force.get_absolute_url(),
        success_message=_("Meeting created and added to the joint calendar."),
    )


@role_required("meeting", CHANGE)
def meeting_edit(request, pk: int):
    meeting = _editable_meeting(request, pk)
    form = _meeting_form(
        request,
        MeetingForm(request.POST or None, initial=MeetingForm.initial_from(meeting), versioned=meeting),
        meeting,
    )
    return _form_page(
        request,
        form,
        lambda _data: services.meeting_update(
            meeting=meeting, data=form.service_data(), actor=request.user, expected_version=form.expected_version
        ),
        title=_("Edit %(meeting)s") % {"meeting": meeting},
        back_url=meeting.get_absolute_url(),
        success_message=_("Meeting saved."),
    )


@role_required("meeting", CHANGE)
def agenda_item_add(request, pk: int):
    meeting = _editable_meeting(request, pk)
    return _form_page(
        request,
        AgendaItemForm(request.POST or None),
        lambda data: services.agenda_item_add(meeting=meeting, actor=request.user, **data),
        title=_("Add an agenda item"),
        back_url=meeting.get_absolute_url(),
        success_url=meeting,
        success_message=_("Agenda item added."),
    )


def _agenda_item(meeting: Meeting, item_pk: int) -> AgendaItem:
    try:
        return meeting.agenda_items.get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404 from None


@role_required("meeting", CHANGE)
def agenda_item_edit(request, pk: int, item_pk: int):
    meeting = _editable_meeting(request, pk)
    item = _agenda_item(meeting, item_pk)
    form = AgendaItemForm(
        request.POST or None,
        initial={"title": item.title, "notes": item.notes, "presenter": item.presenter_id, "position": item.position},
    )
    return _form_page(
        request,
        form,
        lambda data: services.agenda_item_update(item=item, data=data, actor=request.user),
        title=_("Edit agenda item"),
        back_url=meeting.get_absolute_url(),
        success_url=meeting,
        success_message=_("Agenda item saved."),
    )


@require_POST
@role_required("meeting", CHANGE)
def agenda_item_move(request, pk: int, item_pk: int):
    meeting = _editable_meeting(request, pk)
    item = _agenda_item(meeting, item_pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.agenda_item_move(item=item, offset=offset, actor=request.user)
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@require_POST
@role_required("meeting", CHANGE)
def agenda_item_delete(request, pk: int, item_pk: int):
    meeting = _editable_meeting(request, pk)
    services.agenda_item_delete(item=_agenda_item(meeting, item_pk), actor=request.user)
    messages.success(request, _("Agenda item removed."))
    return redirect(f"{meeting.get_absolute_url()}#agenda")


@role_required("meeting", CHANGE)
def attendance_edit(request, pk: int):
    meeting = _editable_meeting(request, pk)
    members = selectors.member_list(task_force=meeting.task_force)
    form = AttendanceForm(request.POST or None, meeting=meeting, members=members)
    return _form_page(
        request,
        form,
        lambda _data: services.attendance_set(meeting=meeting, entries=form.entries(), actor=request.user),
        title=_("Attendance"),
        back_url=meeting.get_absolute_url(),
        success_url=meeting,
        success_message=_("Attendance saved."),
    )


@role_required("meeting", CHANGE)
def decision_add(request, pk: int):
    meeting = _editable_meeting(request, pk)
    return _form_page(
        request,
        DecisionForm(request.POST or None),
        lambda data: services.decision_create(meeting=meeting, actor=request.user, **data),
        title=_("Record a decision"),
        back_url=meeting.get_absolute_url(),
        success_url=meeting,
        success_message=_("Decision recorded."),
    )


@role_required("meeting", CHANGE)
def decision_edit(request, pk: int, decision_pk: int):
    meeting = _editable_meeting(request, pk)
    try:
        decision = meeting.decisions.get(pk=decision_pk)
    except Decision.DoesNotExist:
        raise Http404 from None
    form = DecisionForm(
        request.POST or None, initial={"text": decision.text, "thematic_areas": list(decision.thematic_areas.all())}
    )
    return _form_page(
        request,
        form,
        lambda data: services.decision_update(decision=decision, data=data, actor=request.user),
        title=_("Edit decision %(n)s") % {"n": decision.number},
        back_url=meeting.get_absolute_url(),
        success_url=meeting,
        success_message=_("Decision saved."),
    )


# --- Action items ------------------------------------------------------------------------------------------------


@role_required("action_item", ADD)
def action_create(request, slug: str):
    task_force = _editable_task_force(request, slug)
    meeting = None
    if request.GET.get("meeting") or request.POST.get("meeting_id"):
        try:
            meeting = task_force.meetings.get(pk=int(request.GET.get("meeting") or request.POST.get("meeting_id")))
        except (Meeting.DoesNotExist, ValueError):
            raise Http404 from None
    initial = {"due_date": services.default_due_date(meeting=meeting)}
    form = ActionItemForm(request.POST or None, task_force=task_force, initial=initial)
    back = meeting.get_absolute_url() if meeting else task_force.get_absolute_url()
    return _form_page(
        request,
        form,
        lambda _data: services.action_item_create(
            task_force=task_force, meeting=meeting, actor=request.user, **form.service_data()
        ),
        title=_("New action"),
        back_url=back,
        success_url=lambda action: meeting or action,
        success_message=_("Action recorded."),
        context={"hidden": {"meeting_id": meeting.pk} if meeting else {}},
    )


def _action(request, pk: int) -> ActionItem:
    try:
        return selectors.action_item_detail(user=request.user, pk=pk)
    except ActionItem.DoesNotExist:
        raise Http404 from None


def _updatable_action(request, pk: int) -> ActionItem:
    action = _action(request, pk)
    if not can_update_action(user=request.user, action=action):
        raise PermissionDenied
    return action


@role_required("action_item", VIEW)
def action_detail(request, pk: int):
    action = _action(request, pk)
    may_update = can(request.user, "action_item", CHANGE) and can_update_action(user=request.user, action=action)
    return render(
        request,
        "taskforces/action_detail.html",
        {
            "action": action,
            "can_update": may_update,
            "note_form": ProgressNoteForm(initial={"status": action.status}) if may_update else None,
        },
    )


@role_required("action_item", CHANGE)
def action_edit(request, pk: int):
    action = _updatable_action(request, pk)
    initial = {
        "what": action.what,
        "owner_structure": action.owner_structure_id,
        "owner": action.owner_id,
        "due_date": action.due_date,
        "due_timezone": action.due_timezone,
        "status": action.status,
        "decision": action.decision_id,
        "project": action.project_id,
        "event": action.event_id,
    }
    form = ActionItemForm(request.POST or None, task_force=action.task_force, initial=initial, versioned=action)
    return _form_page(
        request,
        form,
        lambda _data: services.action_item_update(
            action=action, data=form.service_data(), actor=request.user, expected_version=form.expected_version
        ),
        title=_("Edit action"),
        back_url=action.get_absolute_url(),
        success_url=action,
        success_message=_("Action saved."),
    )


@require_POST
@role_required("action_item", CHANGE)
def action_progress_add(request, pk: int):
    action = _updatable_action(request, pk)
    return handle_service_form(
        request,
        ProgressNoteForm(request.POST),
        lambda data: services.action_progress_add(
            action=action, actor=request.user, text=data["text"], status=data.get("status") or None
        ),
        template="taskforces/action_detail.html",
        form_name="note_form",
        context={"action": action, "can_update": True},
        success_url=action,
        success_message=_("Progress recorded."),
    )


@role_required("action_item", VIEW)
def action_list(request):
    filterset = ActionItemFilterSet(request.GET or None, queryset=selectors.action_item_list(user=request.user))
    actions = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, actions)
    return render(
        request,
        "taskforces/action_list.html",
        {"filter": filterset, "page": page, "query": query, "title": _("Task-force actions")},
    )


@role_required("action_item", VIEW)
def my_actions(request):
    filterset = ActionItemFilterSet(request.GET or None, queryset=selectors.my_action_items(user=request.user))
    actions = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page, query = paginate(request, actions)
    return render(
        request,
        "taskforces/action_list.html",
        {"filter": filterset, "page": page, "query": query, "title": _("My actions"), "mine": True},
    )


# --- Meeting packs -----------------------------------------------------------------------------------------------


@require_POST
@role_required("meeting_pack", ADD)
def pack_request(request, pk: int):
    meeting = _meeting(request, pk)
    if not can_see_task_force_internals(user=request.user, task_force=meeting.task_force):
        raise PermissionDenied
    pack = services.meeting_pack_request(meeting=meeting, actor=request.user)
    return redirect(pack)


def _pack(request, pk: int) -> MeetingPack:
    try:
        pack = selectors.meeting_pack_detail(pk=pk)
    except MeetingPack.DoesNotExist:
        raise Http404 from None
    if not selectors.meeting_list(user=request.user).filter(pk=pack.meeting_id).exists():
        raise Http404
    return pack


@role_required("meeting_pack", VIEW)
def pack_detail(request, pk: int):
    pack = _pack(request, pk)
    return render(request, "taskforces/pack_detail.html", {"pack": pack, "now": timezone.now()})


@role_required("meeting_pack", VIEW)
def pack_status(request, pk: int):
    """Polled by static/js/taskforces.js; the HTML page refreshes itself without JavaScript."""
    pack = _pack(request, pk)
    return JsonResponse(
        {
            "status": pack.status,
            "progress": pack.progress,
            "message": pack.progress_message,
            "finished": pack.is_finished,
            "download_url": reverse("taskforces:pack_download", args=[pack.pk])
            if pack.status == MeetingPack.Status.DONE
            else None,
        }
    )


@require_POST
@role_required("meeting_pack", ADD)
def pack_retry(request, pk: int):
    pack = _pack(request, pk)
    services.meeting_pack_retry(pack=pack)
    return redirect(pack)


@role_required("meeting_pack", VIEW)
def pack_download(request, pk: int):
    pack = _pack(request, pk)
    if pack.status != MeetingPack.Status.DONE or not pack.pdf:
        raise Http404
    return FileResponse(
        pack.pdf.open("rb"),
        as_attachment=True,
        filename=pack.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
