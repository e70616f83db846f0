"""Certificates: the ingress-nginx fake one and certificates read from TLS Secrets."""

from __future__ import annotations

import base64

import pytest

from simulator.network.tls import (
    FAKE_CERTIFICATE,
    certificate_from_secret,
    openssl_time,
    parse_pem_certificate,
)

# openssl req -x509 -newkey ec -subj "/C=US/O=Kubeplay/CN=kubia.example.com"
#   -addext "subjectAltName=DNS:kubia.example.com,DNS:*.kubia.example.com"
KUBIA_CERT = """-----BEGIN CERTIFICATE-----
MIICATCCAaigAwIBAgIUbqXLBn7j4/PFWwOyReDxipai4hYwCgYIKoZIzj0EAwIw
PDELMAkGA1UEBhMCVVMxETAPBgNVBAoMCEt1YmVwbGF5MRowGAYDVQQDDBFrdWJp
YS5leGFtcGxlLmNvbTAeFw0yNjExMjIwMjM2MjRaFw0zNjExMTkwMjM2MjRaMDwx
CzAJBgNVBAYTAlVTMREwDwYDVQQKDAhLdWJlcGxheTEaMBgGA1UEAwwRa3ViaWEu
ZXhhbXBsZS5jb20wWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQIvcIS0G00ujDk
kLlYmn4+KDNTyqUcEVNyCwqHYqR+tNaoeGR10lxJ//idi8j/4nJOIQTO0M6LV/dO
4ekszvIlo4GHMIGEMB0GA1UdDgQWBBQbqYY8PSumGOan0QJK0WYdbMO2rTAfBgNV
HSMEGDAWgBQbqYY8PSumGOan0QJK0WYdbMO2rTAPBgNVHRMBAf8EBTADAQH/MDEG
A1UdEQQqMCiCEWt1YmlhLmV4YW1wbGUuY29tghMqLmt1YmlhLmV4YW1wbGUuY29t
MAoGCCqGSM49BAMCA0cAMEQCIEcWov1K6sI81XEobr0rXdhZ6CZ5qTO9TQhkJTTG
EcZxAiAshsJSvdAh/Mzw+VSgNCgNp+plbnWBQXKwUOxJf/oTmQ==
-----END CERTIFICATE-----
"""


def test_reads_a_pem_certificate_as_openssl_prints_it() -> None:
    cert = parse_pem_certificate(KUBIA_CERT)
    assert cert is not None
    assert (cert.subject, cert.issuer) == (
        "C=US; O=Kubeplay; CN=kubia.example.com",
        "C=US; O=Kubeplay; CN=kubia.example.com",
    )
    assert (cert.start, cert.expire) == ("Nov 22 02:36:24 2026 GMT", "Nov 19 02:36:24 2036 GMT")
    assert cert.names == ("kubia.example.com", "*.kubia.example.com")
    assert cert.self_signed
    assert cert.verify_error() == ("self-signed certificate", 18)


@pytest.mark.parametrize(
    ("host", "match"),
    [
        pytest.param("kubia.example.com", "kubia.example.com", id="exact"),
        pytest.param("api.kubia.example.com", "*.kubia.example.com", id="wildcard"),
        pytest.param("a.b.kubia.example.com", None, id="wildcard covers one label"),
        pytest.param("other.example.com", None, id="other host"),
    ],
)
def test_subject_alt_name_matching(host: str, match: str | None) -> None:
    assert parse_pem_certificate(KUBIA_CERT).matches(host) == match


def test_secret_certificates() -> None:
    secret = {
        "type": "kubernetes.io/tls",
        "metadata": {"name": "kubia-tls", "namespace": "default"},
        "data": {"tls.crt": base64.b64encode(KUBIA_CERT.encode()).decode(), "tls.key": ""},
    }
    assert certificate_from_secret(secret).origin == "secret default/kubia-tls"
    assert certificate_from_secret({**secret, "type": "Opaque"}) is None
    assert certificate_from_secret({**secret, "data": {"tls.crt": "bm90IGEgY2VydA=="}}) is None
    assert certificate_from_secret(None) is None
    string_data = {**secret, "data": {}, "stringData": {"tls.crt": KUBIA_CERT}}
    assert certificate_from_secret(string_data).subject.endswith("CN=kubia.example.com")


def test_fake_certificate() -> None:
    assert FAKE_CERTIFICATE.subject == (
        "O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate"
    )
    assert FAKE_CERTIFICATE.self_signed
    assert (FAKE_CERTIFICATE.start, FAKE_CERTIFICATE.expire) == (
        "Nov 22 09:00:00 2026 GMT",
        "Nov 22 09:00:00 2027 GMT",
    )
    assert FAKE_CERTIFICATE.names == ("ingress.local",)
    assert openssl_time(9 * 86400) == "Dec  1 09:00:00 2026 GMT"  # day padded like OpenSSL
