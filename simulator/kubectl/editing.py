"""`kubectl edit TYPE NAME`: the object's YAML, for an editor.

kubectl writes the object to a temporary file and opens `$KUBE_EDITOR`,
`$EDITOR` or `vi` on it. The simulated workstation has no editor, so the
command ends as kubectl does when `vi` cannot start (`error: unable to
launch the editor "vi"`, exit 1); its result carries the YAML kubectl would
have opened (`CommandResult.edit`), and the web playground opens it in the
room's Manifests editor, where Apply sends the changed object with
`kubectl apply -f -`.
"""

from __future__ import annotations

from .applying import qualified
from .changing import targets
from .context import Context
from .errors import error
from .output import to_yaml

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)


def edit(ctx: Context) -> None:
    """Run `kubectl edit` (see the module docstring)."""
    if ctx.args.get("filename"):
        raise error("`kubectl edit -f` is not available here: use `kubectl edit TYPE NAME`")
    found = targets(ctx, ctx.args.positional, "edit")
    if not found:
        return
    documents = [to_yaml(obj) for _, obj in found]
    refs = [f"{qualified(rt.kind)}/{obj['metadata']['name']}" for rt, obj in found]
    ctx.edit = {
        "ref": ", ".join(refs),
        "namespace": found[0][1]["metadata"].get("namespace", ""),
        "yaml": HEADER + "---\n".join(documents),
    }
    raise error('unable to launch the editor "vi"')
