"""HTTPRoute filters as pure functions: redirects, rewrites and header changes.

* ``RequestRedirect`` (``HTTPRequestRedirectFilter``): the ``Location`` is built from the
  filter's scheme, hostname, port and path, each defaulting to the request's; without a
  port, a given scheme brings its well-known port (http 80, https 443) and no scheme keeps
  the listener's port; port 80 with http and 443 with https are left out of ``Location``.
  The status code defaults to 302. The query string is kept (nginx's ``$request_uri``).
* ``URLRewrite``: ``ReplaceFullPath`` replaces the path; ``ReplacePrefixMatch`` replaces the
  matched ``PathPrefix`` element-wise (the spec's table: ``/foo/bar`` with prefix ``/foo``
  and replacement ``/xyz/`` becomes ``/xyz/bar``, with replacement ``""`` becomes ``/bar``);
  ``hostname`` replaces the ``Host`` header sent upstream.
* ``RequestHeaderModifier`` / ``ResponseHeaderModifier`` (``HTTPHeaderFilter``): ``set``
  overwrites, ``add`` appends to an existing value with a comma (``foo,bar``), ``remove``
  drops; names compare case-insensitively.
"""

from __future__ import annotations

WELL_KNOWN_PORTS = {"http": 80, "https": 443}


def replace_prefix(path: str, prefix: str, replacement: str) -> str:
    """``path`` with its ``PathPrefix`` match ``prefix`` replaced, element-wise."""
    matched = prefix.rstrip("/")
    rest = path[len(matched) :] if path.startswith(matched) else path
    result = replacement.rstrip("/") + rest
    return result or "/"


def modified_path(modifier: dict | None, path: str, match: dict | None) -> str:
    """The path after an ``HTTPPathModifier`` (None: unchanged).

    Args:
        modifier: the filter's ``path`` (``ReplaceFullPath`` or ``ReplacePrefixMatch``).
        path: the request path, without the query string.
        match: the rule's match that selected the request (its path prefix is replaced).
    """
    if not modifier:
        return path
    if modifier.get("type") == "ReplaceFullPath":
        return modifier.get("replaceFullPath", "")
    prefix = ((match or {}).get("path") or {}).get("value", "/")
    return replace_prefix(path, prefix, modifier.get("replacePrefixMatch", ""))


def redirect_location(
    redirect: dict,
    *,
    scheme: str,
    host: str,
    listener_port: int,
    path: str,
    query: str,
    match: dict | None,
) -> tuple[int, str]:
    """The status code and ``Location`` of a ``RequestRedirect`` filter.

    Args:
        redirect: the filter's ``requestRedirect`` (defaulted: ``statusCode`` is set).
        scheme: the request's scheme (the listener's protocol).
        host: the request's host, without a port.
        listener_port: the port of the listener the request came in on.
        path: the request path, without the query string.
        query: the query string (without ``?``), kept as is.
        match: the match that selected the request (for ``ReplacePrefixMatch``).
    """
    new_scheme = redirect.get("scheme") or scheme
    if redirect.get("port"):
        port = redirect["port"]
    elif redirect.get("scheme"):
        port = WELL_KNOWN_PORTS.get(new_scheme, listener_port)
    else:
        port = listener_port
    new_host = redirect.get("hostname") or host
    authority = new_host if WELL_KNOWN_PORTS.get(new_scheme) == port else f"{new_host}:{port}"
    new_path = modified_path(redirect.get("path"), path, match)
    location = f"{new_scheme}://{authority}{new_path}" + (f"?{query}" if query else "")
    return redirect.get("statusCode", 302), location


def modify_headers(headers: list[tuple[str, str]], modifier: dict | None) -> list[tuple[str, str]]:
    """Headers after an ``HTTPHeaderFilter``: set, then add, then remove.

    Args:
        headers: ``(name, value)`` pairs in order.
        modifier: the filter's ``requestHeaderModifier`` or ``responseHeaderModifier``.

    Returns:
        A new list; a set or added header that was absent goes at the end.
    """
    if not modifier:
        return list(headers)
    out = list(headers)
    for header in modifier.get("set") or ():
        name = header["name"]
        kept = [(k, v) for k, v in out if k.lower() != name.lower()]
        out = [*kept, (name, header["value"])]
    for header in modifier.get("add") or ():
        name = header["name"]
        for index, (key, value) in enumerate(out):
            if key.lower() == name.lower():
                out[index] = (key, f"{value},{header['value']}")
                break
        else:
            out.append((name, header["value"]))
    removed = {name.lower() for name in modifier.get("remove") or ()}
    return [(k, v) for k, v in out if k.lower() not in removed]


def describe_filter(item: dict) -> str:
    """A filter in a few words, for traces and the inspector."""
    kind = item.get("type", "")
    if kind in ("RequestHeaderModifier", "ResponseHeaderModifier"):
        spec = item.get("requestHeaderModifier" if kind.startswith("Request") else
                        "responseHeaderModifier") or {}  # fmt: skip
        parts = [f"set {h['name']}: {h['value']}" for h in spec.get("set") or ()]
        parts += [f"add {h['name']}: {h['value']}" for h in spec.get("add") or ()]
        parts += [f"remove {name}" for name in spec.get("remove") or ()]
        return f"{kind} ({', '.join(parts)})" if parts else kind
    if kind == "URLRewrite":
        spec = item.get("urlRewrite") or {}
        parts = []
        path = spec.get("path") or {}
        if path.get("type") == "ReplaceFullPath":
            parts.append(f"path -> {path.get('replaceFullPath', '')}")
        elif path.get("type") == "ReplacePrefixMatch":
            parts.append(f"prefix -> {path.get('replacePrefixMatch', '') or '/'}")
        if spec.get("hostname"):
            parts.append(f"Host -> {spec['hostname']}")
        return f"URLRewrite ({', '.join(parts)})" if parts else kind
    if kind == "RequestRedirect":
        spec = item.get("requestRedirect") or {}
        parts = [f"{key} {spec[key]}" for key in ("scheme", "hostname", "port") if spec.get(key)]
        return f"RequestRedirect {spec.get('statusCode', 302)}" + (
            f" ({', '.join(parts)})" if parts else ""
        )
    return kind
