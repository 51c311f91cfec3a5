"""``{% object_history obj "relation" … %}``: the readable change list of an object, for the roles that may see it
(staff), with the sign-in events of the people in it for administrators."""

from django import template

from programmes.security import history, selectors
from programmes.security.permissions import can_view_history, can_view_sign_in_events

register = template.Library()


@register.inclusion_tag("includes/history.html", takes_context=True)
def object_history(context, obj, *related):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or obj is None or not can_view_history(user=user, obj=obj):
        return {"visible": False}
    changes = history.object_changes(obj, related=tuple(related))
    sign_ins = []
    if can_view_sign_in_events(user=user, obj=obj):
        sign_ins = selectors.sign_in_events_for_users(user_ids={c.user_id for c in changes if c.user_id})
    return {"visible": True, "changes": changes, "sign_ins": sign_ins}
