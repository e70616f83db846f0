"""A review's hints as sentences under keys, so that a page can word them in its language.

The simulator speaks English (`str(hint)`). The playground words the same sentence in
its page's language from the key and the values (playground/templatetags/hints.py):
the sentences below are in its catalogue because they are marked with `gettext_noop`
(simulator/catalogue.py). A trace's reason is a hint too: its sentences are in
simulator/reasons.py. A value is a name, a number, a line of YAML, or another hint (a
character's name, a kind of value), worded in the same language.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from .catalogue import gettext_noop
from .reasons import REASONS

SENTENCES: dict[str, str] = {
    # -- characters that look like YAML punctuation (characters.py) ----------------------
    "char-tab": gettext_noop("a tab"),
    "char-full-width-space": gettext_noop("a full-width space"),
    "char-nbsp": gettext_noop("a non-breaking space"),
    "char-zero-width-space": gettext_noop("a zero-width space"),
    "char-bom": gettext_noop("a zero-width no-break space"),
    "char-en-space": gettext_noop("an en space"),
    "char-em-space": gettext_noop("an em space"),
    "char-full-width-hyphen": gettext_noop("a full-width hyphen"),
    "char-en-dash": gettext_noop("an en dash"),
    "char-em-dash": gettext_noop("an em dash"),
    "char-curly-double": gettext_noop("a curly double quote"),
    "char-curly-single": gettext_noop("a curly single quote"),
    "char-full-width-double": gettext_noop("a full-width double quote"),
    "char-full-width-single": gettext_noop("a full-width single quote"),
    # "a tab (U+0009, shown as “→” below)", "a full-width space “　” (U+3000)"
    "char-shown": gettext_noop("{name} ({code}, shown as “{shown}” below)"),
    "char-itself": gettext_noop("{name} “{char}” ({code})"),
    # "{what!c}": the value with its first letter capitalised (a sentence starts with it).
    "space-in-indentation": gettext_noop(
        "{what!c} in the indentation. YAML indents with ordinary spaces only: replace it "
        "with spaces (as many as the lines around it use)."
    ),
    "full-width-space-in-indentation": gettext_noop(
        "{what!c} in the indentation. YAML indents with ordinary spaces only: replace it "
        "with spaces (two for a full-width space)."
    ),
    "space-after-dash": gettext_noop(
        "{what!c} after the dash of a list item. YAML needs an ordinary space there, so it "
        "reads the whole line as one string: retype it as a space."
    ),
    "space-after-colon": gettext_noop(
        "{what!c} after the colon of a key. YAML needs an ordinary space there, so it "
        "reads the whole line as one string: retype it as a space."
    ),
    "look-alike-dash": gettext_noop(
        "{what!c}. YAML starts a list item with the ASCII hyphen “-” followed by a space: "
        "retype it."
    ),
    "full-width-colon": gettext_noop(
        "A full-width colon “：” (U+FF1A), common in text copied from Chinese pages. YAML "
        "only reads the ASCII colon “:” followed by a space as the end of a key: write "
        "“{key}: ”."
    ),
    "look-alike-quote": gettext_noop(
        "{what!c}. YAML only quotes with straight quotes \" or ', so these quotes become "
        "part of the value: retype them."
    ),
    "parser-stopped": gettext_noop("(The parser stopped on line {line}.)"),
    # Two sentences said one after the other (Chinese puts no space between them).
    "then": gettext_noop("{first} {then}"),
    # -- where a YAML structure broke (syntax.py) -----------------------------------------
    "one-space": gettext_noop("1 space"),
    "spaces": gettext_noop("{count} spaces"),
    "parser-noticed": gettext_noop("The parser only noticed on line {line}."),
    "missing-colon": gettext_noop(
        "Line {line} (“{shown}”) has no “: ” after its key: write “{fixed}”."
    ),
    "missing-space": gettext_noop(
        "Line {line} needs a space after the colon: write “{fixed}”. Without it YAML reads "
        "“{shown}” as one string."
    ),
    "needs-quotes": gettext_noop(
        "The value on line {line} holds “: ” or starts with a character YAML reserves: put "
        "it in quotes, as in {fixed}."
    ),
    "indent-like-sibling": gettext_noop(
        "Line {line} is indented {spaces}, but it belongs with line {sibling} (“{other}”), "
        "which is indented {indent}: indent “{shown}” by {wanted}."
    ),
    "indent-under-parent": gettext_noop(
        "Line {line} is indented {spaces}; with {wanted} it sits under “{other}” (line "
        "{parent}) and the document reads correctly."
    ),
    "indent-to": gettext_noop(
        "Line {line} is indented {spaces}; with {wanted} the document reads correctly."
    ),
    "does-not-fit": gettext_noop(
        "Something on line {line} does not fit the block it is in: usually a line indented "
        "differently from the keys above it."
    ),
    "colon-cannot-start-key": gettext_noop(
        "The “: ” on line {line} cannot start a key here: either the line is indented under "
        "a plain value, or a value holds “: ” and needs quotes."
    ),
    "key-without-colon": gettext_noop(
        "Line {line} starts a key but no “: ” follows it (a missing colon, or a missing space "
        "after the colon)."
    ),
    "cannot-start-value": gettext_noop(
        "The character at line {line}, column {column} cannot start a value: a tab in the "
        "indentation, or a value starting with @ or ` that needs quotes."
    ),
    "not-a-list-item": gettext_noop(
        "Line {line} is indented like a list item but does not start with “- ”."
    ),
    "quote-not-closed": gettext_noop("The quote opened on line {line} is never closed."),
    # -- kubectl's cryptic messages about fields (review/messages.py) --------------------
    "needs-apiversion-and-kind": gettext_noop(
        "Every document needs apiVersion: and kind: at its top level (no indentation), "
        "e.g. apiVersion: v1 and kind: Service."
    ),
    "field-belongs-elsewhere": gettext_noop(
        "“{name}” belongs under {where} in a {kind}, not under {parent}: check its indentation."
    ),
    "either": gettext_noop("{first} or {second}"),
    "the-top-level": gettext_noop("the top level"),
    "the-top": gettext_noop("the top"),
    "did-you-mean": gettext_noop("A {kind} has no field “{path}”: did you mean “{close}”?"),
    "wrong-type": gettext_noop("{field} should be {wanted}, but the YAML gives it {actual}."),
    "lines-not-keys": gettext_noop(
        "The lines under it are probably not read as keys: look for a missing “: ” (or a "
        "full-width “：”) or a wrong indentation."
    ),
    "type-string": gettext_noop("a string"),
    "type-bool": gettext_noop("true or false"),
    "type-whole-number": gettext_noop("a whole number"),
    "type-number-or-name": gettext_noop("a number or a name"),
    "type-pairs": gettext_noop("a mapping of key: value pairs"),
    "type-number": gettext_noop("a number"),
    "type-list": gettext_noop("a list"),
    "type-mapping": gettext_noop("a mapping"),
    "type-items": gettext_noop("a list (lines starting with “- ”)"),
    "type-fields": gettext_noop("a mapping of fields (key: value lines indented under it)"),
    # -- Services that reach no pod or no declared port (review/selection.py) ------------
    "selects-no-pod": gettext_noop(
        "Service “{name}” selects {labels}, but no pod or pod template in this input or in "
        "the cluster's namespace “{namespace}” carries that label: it gets no endpoints, "
        "and connections to it are refused."
    ),
    "selects-no-pod-labels": gettext_noop(
        "Service “{name}” selects {labels}, but no pod or pod template in this input or in "
        "the cluster's namespace “{namespace}” carries those labels: it gets no endpoints, "
        "and connections to it are refused."
    ),
    "pods-in-other-namespace": gettext_noop(
        "Pods in namespace “{namespace}” match, but a Service only selects pods in its own "
        "namespace."
    ),
    "pods-here-labelled": gettext_noop("The pods here are labelled {labels}."),
    "and": gettext_noop("{first} and {second}"),
    "none": gettext_noop("none"),
    "no-container-port": gettext_noop(
        "No container selected by Service “{name}” declares containerPort {target} (they "
        "declare: {listed}). A Kubeplay container listens only on the ports it declares, so "
        "connections to port {port} would be refused."
    ),
    "no-port-name": gettext_noop(
        "No container selected by Service “{name}” has a port named “{target}” (their port "
        "names: {listed}), so no pod becomes an endpoint for port {port}."
    ),
    # -- API versions a current cluster no longer serves (api_versions.py) ---------------
    "endpoints-deprecated": gettext_noop(
        "A current cluster still accepts hand-written Endpoints (for a Service without a "
        "selector) and answers with this warning; tools now read EndpointSlices instead."
    ),
    "legacy-converted": gettext_noop(
        "Kubernetes stopped serving {kind} in {api_version} in {removed}: a current cluster "
        '({current}) refuses it with “no matches for kind "{kind}" in version '
        '"{api_version}"”. Kubeplay converts it to {use} (serviceName and servicePort '
        "become service.name and service.port, pathType ImplementationSpecific); write "
        "apiVersion: {use} to use it on a real cluster."
    ),
    "version-removed": gettext_noop(
        "{kind} in {api_version} was removed in Kubernetes {since}; write apiVersion: {use}."
    ),
    "version-removed-apps": gettext_noop(
        "{kind} in {api_version} was removed in Kubernetes {since}; write apiVersion: {use} "
        "(apps/v1 also requires spec.selector, matching the template's labels)."
    ),
    "served-as": gettext_noop(
        "{kind} is served as {api_version}: write apiVersion: {api_version}."
    ),
    "kinds-case-sensitive": gettext_noop(
        "Kinds are case-sensitive: write kind: {kind} (apiVersion: {api_version})."
    ),
    "bracket-not-closed": gettext_noop(
        "The bracket opened on line {line} is not closed, or a comma is missing."
    ),
    # -- a trace's reason (reasons.py) ---------------------------------------------------
    **REASONS,
}


#: What a trace's reason may be made of, for a page to word: its own sentences and the
#: ones it shares with the review.
REASON_SENTENCES: dict[str, str] = {key: SENTENCES[key] for key in (*REASONS, "none", "then")}


class _Sentence(string.Formatter):
    """`str.format`, and `!c`: the value with its first letter capitalised."""

    def convert_field(self, value: object, conversion: str | None) -> object:
        if conversion == "c":
            text = str(value)
            return text[:1].upper() + text[1:]
        return super().convert_field(value, conversion)


_SENTENCE = _Sentence()


def word(said: Hint | Hints, translate: Callable[[str], str] = str) -> str:
    """`said` worded with `translate` (a catalogue's gettext; English by default), the
    hints among its values too."""
    if isinstance(said, Hints):
        worded = word(said.parts[0], translate)
        for part in said.parts[1:]:
            worded = _SENTENCE.format(
                translate(SENTENCES["then"]), first=worded, then=word(part, translate)
            )
        return worded
    values = {
        name: word(value, translate) if isinstance(value, Hint | Hints) else value
        for name, value in said.values
    }
    return _SENTENCE.format(translate(SENTENCES[said.key]), **values)


class Hint(str):
    """One sentence: the English text itself (so a hint is a string wherever one is
    expected), its key in `SENTENCES` and the values it names."""

    key: str
    values: tuple[tuple[str, str | Hint | Hints], ...]

    def __new__(cls, key: str, values: tuple[tuple[str, str | Hint | Hints], ...] = ()) -> Hint:
        sentence, named = SENTENCES[key], dict(values)
        # Only `!c` needs the Formatter written in Python: str.format does the rest, which
        # is most sentences (a trace's reason is made for many requests).
        if "!c}" in sentence:
            said = super().__new__(cls, _SENTENCE.format(sentence, **named))
        else:
            said = super().__new__(cls, sentence.format(**named))
        said.key, said.values = key, values
        return said

    def __getnewargs__(self) -> tuple:  # pickled by key and values
        return (self.key, self.values)

    def __getstate__(self) -> None:  # which are all it is (not the `to_dict` it made)
        return None

    def to_dict(self) -> dict:
        """`{"key", "values"}`, a value that is a hint itself as such a dict (made once: a
        trace's reason is shared by the requests it explains; treat it as read-only)."""
        made = self.__dict__.get("_dict")
        if made is None:
            made = self._dict = {
                "key": self.key,
                "values": {
                    name: value.to_dict() if isinstance(value, Hint | Hints) else str(value)
                    for name, value in self.values
                },
            }
        return made


class Hints(str):
    """Sentences said one after another (a hint, then what it adds), as one string."""

    parts: tuple[Hint, ...]

    def __new__(cls, parts: tuple[Hint, ...]) -> Hints:
        said = super().__new__(cls, " ".join(parts))
        said.parts = parts
        return said

    def __getnewargs__(self) -> tuple:  # pickled by parts
        return (self.parts,)

    def __getstate__(self) -> None:  # which are all it is
        return None

    def to_dict(self) -> dict:
        """`{"parts": [...]}`, each part as `Hint.to_dict` gives it."""
        return {"parts": [part.to_dict() for part in self.parts]}


def hint(key: str, /, **values: object) -> Hint:
    """The sentence `key` naming `values` (a hint stays one; anything else is shown as text)."""
    return Hint(
        key,
        tuple((name, v if isinstance(v, Hint | Hints) else str(v)) for name, v in values.items()),
    )


#: "none", for an empty list a sentence names (its ports, its port names).
NONE = hint("none")


def then(first: Hint | Hints, *more: Hint) -> Hints:
    """`first`, then `more` sentences."""
    parts = first.parts if isinstance(first, Hints) else (first,)
    return Hints((*parts, *more))


def from_dict(said: dict) -> Hint | Hints:
    """The hint `to_dict` made `said` from (as it crosses a process boundary as data)."""
    if "parts" in said:
        return Hints(tuple(Hint(**_fields(part)) for part in said["parts"]))
    return Hint(**_fields(said))


def _fields(said: dict) -> dict:
    values = tuple(
        (name, from_dict(value) if isinstance(value, dict) else value)
        for name, value in said["values"].items()
    )
    return {"key": said["key"], "values": values}


def hint_words(said: str) -> dict | None:
    """A problem's hint as data (`to_dict`), or None for a hint with no sentence key."""
    return said.to_dict() if isinstance(said, Hint | Hints) else None


def word_hint(words: dict, translate: Callable[[str], str]) -> str:
    """The hint `hint_words` gave, worded with `translate` (a catalogue's gettext)."""
    return word(from_dict(words), translate)
