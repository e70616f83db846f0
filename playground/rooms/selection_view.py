"""Who selects whom, in words: a pod against a Service's selector, as the inspector
shows it (each term matched or not, then whether the Endpoints list the pod)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def selection_row(row: Any) -> dict[str, Any]:
    """One row of `Inspection.selection` (a pod against one Service's selector), with the
    reasons it is (not) selected."""
    reasons = []
    for term in row.terms:
        words = {"key": term.key, "value": term.value, "has": term.pod_value}
        if term.matched:
            reasons.append(_("has %(key)s=%(value)s") % words)
        elif term.pod_value is None:
            reasons.append(_("needs %(key)s=%(value)s, has no %(key)s label") % words)
        else:
            reasons.append(_("needs %(key)s=%(value)s, has %(key)s=%(has)s") % words)
    if not row.terms:
        reasons.append(_("the Service has no selector: its Endpoints are managed by hand"))
    if row.selected:
        if row.listed == "ready":
            reasons.append(_("listed as a ready address: it gets traffic"))
        elif row.listed == "not ready":
            reasons.append(_("listed under notReadyAddresses: it gets no traffic until Ready"))
        elif not row.ready:
            reasons.append(_("not Ready: it gets no traffic"))
    return {
        "pod": row.pod,
        "service": row.service,
        "selected": row.selected,
        "ready": row.ready,
        "listed": row.listed,
        "reasons": reasons,
    }
