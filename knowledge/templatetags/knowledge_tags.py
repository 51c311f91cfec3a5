"""Sections the lower apps' pages include, filled from the knowledge selectors here, so their views need not know
this app: ``{% load knowledge_tags %}{% library_documents event %}`` and ``{% legal_position state %}``."""

from django import template
from django.utils import timezone

from knowledge import selectors
from programmes.permissions import VIEW, can

register = template.Library()


@register.inclusion_tag("knowledge/includes/linked_documents.html", takes_context=True)
def library_documents(context, obj, heading=True):
    user = context.get("user")
    allowed = user is not None and can(user, "library_document", VIEW)
    documents = list(selectors.documents_linked_to(user=user, obj=obj)[:50]) if allowed else []
    return {"documents": documents, "allowed": allowed, "heading": heading}


@register.inclusion_tag("knowledge/includes/legal_position.html", takes_context=True)
def legal_position(context, state):
    user = context.get("user")
    allowed = user is not None and can(user, "legal_matrix", VIEW) and not state.is_partner
    today = timezone.localdate()
    positions = selectors.state_positions(state=state, on=today) if allowed else []
    return {"positions": positions, "allowed": allowed, "on": today, "state": state}
