"""Name, label, port-name and IP syntax checks, worded as Kubernetes' apimachinery.

Each check returns a tuple of messages (empty when valid), like the Go ``Is*`` helpers;
callers wrap each message as ``Invalid value: ...``. Results for valid and invalid strings
are memoised because manifests repeat the same names ("http", "app", "web") many times.
"""

from __future__ import annotations

import ipaddress
import re

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
PERCENT_FMT = "[0-9]+%"

_LABEL = re.compile(DNS1123_LABEL_FMT)
_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT)
_DNS1035 = re.compile(DNS1035_LABEL_FMT)
_QUALIFIED = re.compile(QUALIFIED_NAME_FMT)
_WILDCARD = re.compile(WILDCARD_DNS1123_SUBDOMAIN_FMT)
_CONFIG_KEY = re.compile(CONFIG_MAP_KEY_FMT)
_PERCENT = re.compile(PERCENT_FMT)
_PORT_NAME_CHARS = re.compile("[-a-z0-9]+")
_HAS_LETTER = re.compile("[a-z]")

_MAX_CACHE = 4096
_OK: tuple[str, ...] = ()


def regex_error(message: str, fmt: str, *examples: str) -> str:
    """Build apimachinery's RegexError text (including its double space before "or")."""
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{example}', " for example in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    """Return ``must be no more than N characters``."""
    return f"must be no more than {length} characters"


def inclusive_range_error(low: int, high: int) -> str:
    """Return ``must be between LOW and HIGH, inclusive``."""
    return f"must be between {low} and {high}, inclusive"


DNS1123_LABEL_ERROR = regex_error(
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character",
    DNS1123_LABEL_FMT,
    "my-name",
    "123-abc",
)
DNS1123_SUBDOMAIN_ERROR = regex_error(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character",
    DNS1123_SUBDOMAIN_FMT,
    "example.com",
)
DNS1035_LABEL_ERROR = regex_error(
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
    "an alphabetic character, and end with an alphanumeric character",
    DNS1035_LABEL_FMT,
    "my-name",
    "abc-123",
)
_QUALIFIED_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
    "an alphanumeric character"
)
QUALIFIED_NAME_ERROR = regex_error(
    _QUALIFIED_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"
)
LABEL_VALUE_ERROR = regex_error(
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
    "or '.', and must start and end with an alphanumeric character",
    LABEL_VALUE_FMT,
    "MyValue",
    "my_value",
    "12345",
)
WILDCARD_ERROR = regex_error(
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
    "alphanumeric character",
    WILDCARD_DNS1123_SUBDOMAIN_FMT,
    "*.example.com",
)
CONFIG_MAP_KEY_ERROR = regex_error(
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
    CONFIG_MAP_KEY_FMT,
    "key.name",
    "KEY_NAME",
    "key-name",
)
PERCENT_ERROR = regex_error(
    "a valid percent string must be a numeric string followed by an ending '%'",
    PERCENT_FMT,
    "1%",
    "93%",
)
PORT_RANGE_ERROR = inclusive_range_error(1, 65535)
IP_ERROR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
CIDR_ERROR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def _memo(cache: dict[str, tuple[str, ...]], value: str, errors: list[str]) -> tuple[str, ...]:
    result = tuple(errors) if errors else _OK
    if len(cache) >= _MAX_CACHE:
        cache.clear()
    cache[value] = result
    return result


_label_cache: dict[str, tuple[str, ...]] = {}
_subdomain_cache: dict[str, tuple[str, ...]] = {}
_dns1035_cache: dict[str, tuple[str, ...]] = {}
_qualified_cache: dict[str, tuple[str, ...]] = {}
_label_value_cache: dict[str, tuple[str, ...]] = {}
_port_name_cache: dict[str, tuple[str, ...]] = {}


def dns1123_label(value: str) -> tuple[str, ...]:
    """IsDNS1123Label: container names, port names of Services, namespaces."""
    cached = _label_cache.get(value)
    if cached is not None:
        return cached
    errors = []
    if len(value) > 63:
        errors.append(max_len_error(63))
    if not _LABEL.fullmatch(value):
        if _SUBDOMAIN.fullmatch(value):
            errors.append("must not contain dots")
        else:
            errors.append(DNS1123_LABEL_ERROR)
    return _memo(_label_cache, value, errors)


def dns1123_subdomain(value: str) -> tuple[str, ...]:
    """IsDNS1123Subdomain: most object names, host names, externalName."""
    cached = _subdomain_cache.get(value)
    if cached is not None:
        return cached
    errors = []
    if len(value) > 253:
        errors.append(max_len_error(253))
    if not _SUBDOMAIN.fullmatch(value):
        errors.append(DNS1123_SUBDOMAIN_ERROR)
    return _memo(_subdomain_cache, value, errors)


def dns1035_label(value: str) -> tuple[str, ...]:
    """IsDNS1035Label: Service names."""
    cached = _dns1035_cache.get(value)
    if cached is not None:
        return cached
    errors = []
    if len(value) > 63:
        errors.append(max_len_error(63))
    if not _DNS1035.fullmatch(value):
        errors.append(DNS1035_LABEL_ERROR)
    return _memo(_dns1035_cache, value, errors)


def qualified_name(value: str) -> tuple[str, ...]:
    """IsQualifiedName: label keys, annotation keys, appProtocol (``[prefix/]name``)."""
    cached = _qualified_cache.get(value)
    if cached is not None:
        return cached
    errors: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend("prefix part " + msg for msg in dns1123_subdomain(prefix))
    else:
        errors.append(
            "a qualified name "
            + QUALIFIED_NAME_ERROR
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        )
        return _memo(_qualified_cache, value, errors)
    if not name:
        errors.append("name part must be non-empty")
    elif len(name) > 63:
        errors.append("name part " + max_len_error(63))
    if not _QUALIFIED.fullmatch(name):
        errors.append("name part " + QUALIFIED_NAME_ERROR)
    return _memo(_qualified_cache, value, errors)


def label_value(value: str) -> tuple[str, ...]:
    """IsValidLabelValue: empty, or up to 63 alphanumerics with '-', '_', '.' inside."""
    cached = _label_value_cache.get(value)
    if cached is not None:
        return cached
    errors = []
    if len(value) > 63:
        errors.append(max_len_error(63))
    if value and not _QUALIFIED.fullmatch(value):
        errors.append(LABEL_VALUE_ERROR)
    return _memo(_label_value_cache, value, errors)


def port_name(value: str) -> tuple[str, ...]:
    """IsValidPortName (IANA_SVC_NAME): container port names, named targetPorts."""
    cached = _port_name_cache.get(value)
    if cached is not None:
        return cached
    errors = []
    if len(value) > 15:
        errors.append(max_len_error(15))
    if not _PORT_NAME_CHARS.fullmatch(value):
        errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _HAS_LETTER.search(value):
        errors.append("must contain at least one letter (a-z)")
    if "--" in value:
        errors.append("must not contain consecutive hyphens")
    if value and (value[0] == "-" or value[-1] == "-"):
        errors.append("must not begin or end with a hyphen")
    return _memo(_port_name_cache, value, errors)


def port_number(value: int) -> tuple[str, ...]:
    """IsValidPortNum: 1-65535."""
    return _OK if 1 <= value <= 65535 else (PORT_RANGE_ERROR,)


def wildcard_dns1123_subdomain(value: str) -> tuple[str, ...]:
    """IsWildcardDNS1123Subdomain: ``*.example.com`` (the star is the whole first label)."""
    errors = []
    if len(value) > 253:
        errors.append(max_len_error(253))
    if not _WILDCARD.fullmatch(value):
        errors.append(WILDCARD_ERROR)
    return tuple(errors)


def config_map_key(value: str) -> tuple[str, ...]:
    """IsConfigMapKey: keys of ConfigMap and Secret data."""
    errors = []
    if len(value) > 253:
        errors.append(max_len_error(253))
    if not _CONFIG_KEY.fullmatch(value):
        errors.append(CONFIG_MAP_KEY_ERROR)
    if value == ".":
        errors.append("must not be '.'")
    elif value == "..":
        errors.append("must not be '..'")
    elif value.startswith(".."):
        errors.append("must not start with '..'")
    return tuple(errors)


def percent(value: str) -> tuple[str, ...]:
    """IsValidPercent: ``25%``."""
    return _OK if _PERCENT.fullmatch(value) else (PERCENT_ERROR,)


def ip_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse an IP address as Go's net.ParseIP would (no zones, no prefixes)."""
    if "%" in value:
        return None
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def valid_ip(value: str) -> tuple[str, ...]:
    """IsValidIP: the message for anything that is not an IPv4 or IPv6 address."""
    return _OK if ip_address(value) is not None else (IP_ERROR,)


def valid_cidr(value: str) -> tuple[str, ...]:
    """IsValidCIDR: ``10.244.1.0/24``."""
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return (CIDR_ERROR,)
    return _OK if "/" in value else (CIDR_ERROR,)


def non_special_ip(value: str) -> tuple[str, ...]:
    """ValidateNonSpecialIP: endpoint and external IPs may not be loopback, link-local..."""
    ip = ip_address(value)
    if ip is None:
        return ("must be a valid IP address",)
    errors = []
    if ip.is_unspecified:
        errors.append(f"may not be unspecified ({value})")
    if ip.is_loopback:
        errors.append("may not be in the loopback range (127.0.0.0/8, ::1/128)")
    if ip.is_link_local:
        errors.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)")
    if ip.is_multicast and (
        ip in ipaddress.ip_network("224.0.0.0/24")
        if ip.version == 4
        else ip in ipaddress.ip_network("ff02::/16")
    ):
        errors.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
    return tuple(errors)


def _mask_trailing_dash(name: str) -> str:
    # generateName prefixes may end in '-': the server appends random characters.
    return name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> tuple[str, ...]:
    """NameIsDNSSubdomain: the name rule of most kinds."""
    return dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> tuple[str, ...]:
    """NameIsDNSLabel: the name rule of Namespaces."""
    return dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> tuple[str, ...]:
    """NameIsDNS1035Label: the name rule of Services."""
    return dns1035_label(_mask_trailing_dash(name) if prefix else name)
