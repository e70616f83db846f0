"""Review learner input as ``kubectl apply`` takes it, and explain what is wrong.

`review_manifests(text)` is the one path every manifest takes before it reaches the
cluster: parse (`simulator.manifests`, recovering the other documents after a syntax
error), validate (`simulator.validation`), then warn and explain:

* errors keep kubectl's wording in ``message``; a plain ``hint`` is added where that
  wording is cryptic (`messages`, `syntax`), and a YAML syntax error moves to the line
  where the structure broke, with a caret ``excerpt`` (`syntax`, `excerpt`);
* look-alike characters (full-width colon or space, tab, non-breaking space...) are
  named with their code point, line and column (`characters`): attached to the syntax
  error they cause, or listed on their own;
* warnings: the API server's (deprecated or converted apiVersions, from validation) and
  Kubeplay's own (Services that reach no pod or no port, `selection`).

Explanations are computed only when there is something to explain, so accepted input
pays for none of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from simulator.hints import hint, then
from simulator.manifests import DEFAULT_LIMITS, Document, Limits, ParsedManifests, parse_manifests
from simulator.problems import ManifestError, Problem
from simulator.review import characters, excerpt, lines, messages, syntax
from simulator.review.selection import PodIndex, selection_warnings
from simulator.validation import validate_documents

__all__ = ["Review", "review_manifests"]

_SYNTAX = ("error converting YAML to JSON", "error: error parsing ")
_EXPLAINED = 200  # problems explained, and characters named, per input at most


@dataclass(slots=True)
class Review:
    """What `review_manifests` found.

    Attributes:
        documents: the validated documents (converted to current apiVersions, not yet
            defaulted); only to be applied when ``errors`` is empty.
        errors: problems that refuse the whole input, in kubectl's order per document.
        warnings: problems that do not refuse it.
        parsed: the parse, for locating fields later; None when nothing decoded.
    """

    documents: list[Document]
    errors: list[Problem]
    warnings: list[Problem]
    parsed: ParsedManifests | None

    @property
    def problems(self) -> list[Problem]:
        """Errors, then warnings."""
        return [*self.errors, *self.warnings]


def review_manifests(
    text: str,
    *,
    source: str = "STDIN",
    limits: Limits = DEFAULT_LIMITS,
    cluster: PodIndex | None = None,
    namespace: str = "default",
) -> Review:
    """Parse, validate, warn and explain one input; never raises for anything typed.

    Args:
        text: the manifests.
        source: the name kubectl shows for the input.
        limits: size, document, depth and alias bounds.
        cluster: the cluster's pod index (`simulator.store.Store`), so Services selecting
            pods that already run are not warned about; None for an empty cluster.
        namespace: the namespace for objects that name none.
    """
    try:
        parsed: ParsedManifests | None = parse_manifests(text, source=source, limits=limits)
        errors: list[Problem] = []
    except ManifestError as err:
        parsed = err.parsed if isinstance(err.parsed, ParsedManifests) else None
        errors = list(err.problems)
    if parsed is None:
        return Review([], _explain(text, errors), [], None)
    documents, warnings, problems = validate_documents(parsed)
    # Syntax errors of some documents beside the other documents' problems: stable per document.
    errors = sorted([*errors, *problems], key=lambda p: p.document) if errors else problems
    # After a syntax error a lost document may hold the pods: no Service is judged then.
    if not parsed.recovered:
        unsure = {p.document for p in errors}
        warnings += selection_warnings(documents, parsed.locate, cluster, namespace, unsure)
    if errors:
        errors = _explain(text, errors)
    if warnings:
        warnings = sorted((_with_hint(p) for p in warnings), key=_place)
    return Review(documents, errors, warnings, parsed)


def _explain(text: str, errors: list[Problem]) -> list[Problem]:
    """Errors with hints and excerpts, and look-alike characters named where they are."""
    if not text:
        return errors
    spans = lines.documents(text)
    text_lines = text.split("\n")
    findings = characters.find_characters(text)[:_EXPLAINED]
    budget = syntax.Budget()
    explained: list[Problem] = []
    for position, problem in enumerate(errors):
        if position >= _EXPLAINED:
            explained.extend(errors[position:])
            break
        if problem.line is not None and any(mark in problem.message for mark in _SYNTAX):
            problem = _explain_syntax(problem, problem.line, spans, text_lines, findings, budget)
        else:
            problem = _with_hint(problem)
        explained.append(problem)
    for finding in findings:
        document = lines.document_at(spans, finding.line)
        where = next(
            (
                i
                for i, p in enumerate(explained)
                if (p.document, p.line or 0) > (document, finding.line)
            ),
            None,
        )
        problem = Problem(
            document,
            "",
            "",
            line=finding.line,
            column=finding.column,
            hint=finding.hint,
            excerpt=excerpt.render(text_lines, finding.line, finding.column),
        )
        explained.insert(len(explained) if where is None else where, problem)
    return explained


def _explain_syntax(
    problem: Problem,
    stopped: int,
    spans: list[lines.Span],
    text_lines: list[str],
    findings: list[characters.Finding],
    budget: syntax.Budget,
) -> Problem:
    # The parser's line (`stopped`) is inside the document it failed in (its index may
    # count an extra document libyaml closed early, so the line decides), or the "---" line
    # just after it when the document ended too early (an unclosed quote or bracket).
    span = spans[lines.document_at(spans, stopped)]
    if span.index > 0 and span.first == stopped:
        span = spans[span.index - 1]
    for finding in findings:
        if span.first <= finding.line <= stopped:
            findings.remove(finding)
            said: str = finding.hint
            if finding.line != stopped:
                said = then(finding.hint, hint("parser-stopped", line=stopped))
            return replace(
                problem,
                line=finding.line,
                column=finding.column,
                hint=said,
                excerpt=excerpt.render(text_lines, finding.line, finding.column),
            )
    document = "\n".join(text_lines[span.first - 1 : span.last])
    if len(document) > budget.left:
        return replace(problem, excerpt=excerpt.render(text_lines, stopped, problem.column))
    error = syntax.first_error(document)
    if error is None:
        return _with_hint(problem)
    budget.left -= len(document)
    found = syntax.locate_break(document, error, span.first, budget)
    line, column = span.first + found.line, found.column + 1
    return replace(
        problem,
        line=line,
        column=column,
        hint=found.hint or problem.hint,
        excerpt=excerpt.render(text_lines, line, column),
    )


def _place(problem: Problem) -> tuple[int, int]:
    return problem.document, problem.line or 0


def _with_hint(problem: Problem) -> Problem:
    if problem.hint or not problem.message:
        return problem
    hint = messages.hint_for(problem.message, problem.kind)
    return replace(problem, hint=hint) if hint else problem
