"""An administrator's page: find a person by e-mail address, download everything held about them as JSON, erase it.
The address travels in POST bodies only, so it never appears in access logs."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osce_tnt.privacy import selectors, services
from programmes.permissions import VIEW, role_required


class PersonForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the person"))
    confirm = forms.BooleanField(label=gettext_lazy("I confirm the erasure"), required=False)


@role_required("personal_data", VIEW)
def person(request):
    form = PersonForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        action = request.POST.get("action", "find")
        if action == "export":
            data = selectors.person_export(email=email)
            response = HttpResponse(
                json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), content_type="application/json"
            )
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            return response
        if action == "erase":
            if not form.cleaned_data["confirm"]:
                form.add_error("confirm", _("Tick the box to confirm the erasure."))
            else:
                record = services.person_erase(email=email, actor=request.user)
                messages.success(request, _("Erased: %(subject)s.") % {"subject": record.subject})
                return redirect("privacy:person")
        focal_points, users = selectors.people_by_email(email)
        context.update({"searched": True, "focal_points": focal_points, "users": users})
    return render(request, "privacy/person.html", context)
