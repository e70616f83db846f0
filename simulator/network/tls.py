"""TLS certificates as curl sees them: ingress-nginx's fake one, Secrets' ones, public ones.

ingress-nginx serves the certificate of the `kubernetes.io/tls` Secret named
by the Ingress `tls` entry for the SNI host; when the Secret is missing or
unreadable it logs an error and serves its built-in fake certificate
(self-signed, `O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate`,
valid 365 days from the controller's start). Secret certificates are read
with a small DER reader (subject, issuer, validity, DNS subjectAltNames),
enough for `curl -v`; nothing here checks signatures. No certificate a
learner makes chains to a CA curl trusts, so without `-k` curl always stops
with exit 60; "public" sites outside the cluster get a trusted certificate.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import timedelta

from simulator import der
from simulator.clock import EPOCH

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NAME_OIDS = {
    "2.5.4.3": "CN",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "0.9.2342.19200300.100.1.25": "DC",
    "1.2.840.113549.1.9.1": "emailAddress",
}
_SAN_OID = "2.5.29.17"

#: OpenSSL's X509_verify_cert_error_string texts (OpenSSL 3) and their codes.
SELF_SIGNED = ("self-signed certificate", 18)
UNKNOWN_ISSUER = ("unable to get local issuer certificate", 20)


@dataclass(frozen=True, slots=True)
class Certificate:
    """What curl prints and checks about a server certificate.

    Attributes:
        subject: one-line subject as curl prints it (`O=Acme Co; CN=...`).
        issuer: one-line issuer.
        start: notBefore as OpenSSL prints it (`Nov 22 09:00:00 2026 GMT`).
        expire: notAfter.
        names: DNS subjectAltNames.
        trusted: whether it chains to a CA curl trusts.
        origin: `fake`, `secret NAMESPACE/NAME` or `public`.
    """

    subject: str
    issuer: str
    start: str
    expire: str
    names: tuple[str, ...]
    trusted: bool
    origin: str

    @property
    def self_signed(self) -> bool:
        """Issuer and subject are the same name."""
        return self.subject == self.issuer

    def verify_error(self) -> tuple[str, int] | None:
        """OpenSSL's chain verification error `(text, code)`, or None when it verifies."""
        if self.trusted:
            return None
        return SELF_SIGNED if self.self_signed else UNKNOWN_ISSUER

    def matches(self, host: str) -> str | None:
        """The subjectAltName that covers `host` (one-label wildcards allowed), or None."""
        host = host.lower()
        for name in self.names:
            name_l = name.lower()
            if name_l == host:
                return name
            if name_l.startswith("*.") and "." in host and host.split(".", 1)[1] == name_l[2:]:
                return name
        return None


def openssl_time(at: float) -> str:
    """A simulated time as OpenSSL prints certificate dates."""
    when = EPOCH + timedelta(seconds=int(at))
    return f"{_MONTHS[when.month - 1]} {when.day:2d} {when:%H:%M:%S} {when.year} GMT"


_FAKE_NAME = "O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate"

#: ingress-nginx's default certificate, made when the controller starts (simulated time 0).
FAKE_CERTIFICATE = Certificate(
    subject=_FAKE_NAME,
    issuer=_FAKE_NAME,
    start=openssl_time(0),
    expire=openssl_time(365 * 86400),
    names=("ingress.local",),
    trusted=False,
    origin="fake",
)

#: The cluster CA-signed serving certificate of kube-apiserver.
APISERVER_CERTIFICATE = Certificate(
    subject="CN=kube-apiserver",
    issuer="CN=kubernetes",
    start=openssl_time(0),
    expire=openssl_time(365 * 86400),
    names=("kubernetes", "kubernetes.default", "kubernetes.default.svc", "control-plane"),
    trusted=False,
    origin="apiserver",
)


def public_certificate(host: str) -> Certificate:
    """A trusted certificate for a site outside the cluster."""
    return Certificate(
        subject=f"CN={host}",
        issuer="C=US; O=Let's Encrypt; CN=R3",
        start=openssl_time(-30 * 86400),
        expire=openssl_time(60 * 86400),
        names=(host,),
        trusted=True,
        origin="public",
    )


def certificate_from_secret(secret: dict | None) -> Certificate | None:
    """The certificate in a `kubernetes.io/tls` Secret, or None when missing or unreadable."""
    if secret is None or secret.get("type", "kubernetes.io/tls") != "kubernetes.io/tls":
        return None
    pem = None
    data = secret.get("data") or {}
    if "tls.crt" in data:
        try:
            pem = base64.b64decode(data["tls.crt"]).decode("ascii", "replace")
        except (binascii.Error, ValueError):
            return None
    elif "tls.crt" in (secret.get("stringData") or {}):
        pem = secret["stringData"]["tls.crt"]
    if not pem:
        return None
    meta = secret.get("metadata") or {}
    return parse_pem_certificate(pem, f"secret {meta.get('namespace', '')}/{meta.get('name', '')}")


def parse_pem_certificate(pem: str, origin: str = "pem") -> Certificate | None:
    """Read the first certificate of a PEM bundle, or None when it is not one."""
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    start = pem.find(begin)
    stop = pem.find(end, start + 1)
    if start < 0 or stop < 0:
        return None
    try:
        der = base64.b64decode("".join(pem[start + len(begin) : stop].split()), validate=True)
        return _parse_der(der, origin)
    except (binascii.Error, ValueError, IndexError):
        return None


# -- a minimal DER reader -------------------------------------------------------------


_tlv = der.read
_children = der.children


def _oid(raw: bytes) -> str:
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _name(data: bytes, start: int, end: int) -> str:
    fields = []
    for _, rs, re_ in _children(data, start, end):  # each RDN is a SET
        for _, as_, ae in _children(data, rs, re_):  # AttributeTypeAndValue
            (_, os_, oe), (_, vs, ve) = _children(data, as_, ae)[:2]
            oid = _oid(data[os_:oe])
            label = _NAME_OIDS.get(oid, oid)
            fields.append(f"{label}={data[vs:ve].decode('utf-8', 'replace')}")
    return "; ".join(fields)


def _time(data: bytes, tag: int, start: int, end: int) -> str:
    text = data[start:end].decode("ascii")
    if tag == 0x17:  # UTCTime YYMMDDHHMMSSZ
        year = int(text[:2])
        year += 2000 if year < 50 else 1900
        text = text[2:]
    else:  # GeneralizedTime YYYYMMDDHHMMSSZ
        year = int(text[:4])
        text = text[4:]
    month, day = int(text[0:2]), int(text[2:4])
    return f"{_MONTHS[month - 1]} {day:2d} {text[4:6]}:{text[6:8]}:{text[8:10]} {year} GMT"


def _parse_der(der: bytes, origin: str) -> Certificate:
    _, cs, ce = _tlv(der, 0)
    _, ts, te = _children(der, cs, ce)[0]  # tbsCertificate
    fields = _children(der, ts, te)
    if fields[0][0] == 0xA0:  # explicit version
        fields = fields[1:]
    issuer = _name(der, fields[2][1], fields[2][2])
    (t1, s1, e1), (t2, s2, e2) = _children(der, fields[3][1], fields[3][2])
    subject = _name(der, fields[4][1], fields[4][2])
    names: list[str] = []
    for tag, vs, _ in fields[6:]:
        if tag != 0xA3:  # extensions
            continue
        _, ls, le = _tlv(der, vs)
        for _, es, ee in _children(der, ls, le):
            parts = _children(der, es, ee)
            if _oid(der[parts[0][1] : parts[0][2]]) != _SAN_OID:
                continue
            _, os_, _ = parts[-1]  # OCTET STRING wrapping the GeneralNames SEQUENCE
            _, gs, ge = _tlv(der, os_)
            for gtag, nvs, nve in _children(der, gs, ge):
                if gtag == 0x82:  # dNSName
                    names.append(der[nvs:nve].decode("ascii", "replace"))
    return Certificate(
        subject=subject,
        issuer=issuer,
        start=_time(der, t1, s1, e1),
        expire=_time(der, t2, s2, e2),
        names=tuple(names),
        trusted=False,
        origin=origin,
    )
