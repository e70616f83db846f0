"""A small DER writer and reader: the ASN.1 of keys and certificates.

Enough for PKCS#8 RSA private keys and X.509 v3 certificates (names,
validity, subjectAltName): the simulated `openssl` writes them as OpenSSL
lays them out, and `network.tls` reads any certificate with the same reader.
"""

from __future__ import annotations

import base64
from datetime import datetime

OID_RSA = "1.2.840.113549.1.1.1"
OID_SHA256_RSA = "1.2.840.113549.1.1.11"
OID_SUBJECT_KEY_ID = "2.5.29.14"
OID_AUTHORITY_KEY_ID = "2.5.29.35"
OID_BASIC_CONSTRAINTS = "2.5.29.19"
OID_SAN = "2.5.29.17"
NAME_OIDS = {"CN": "2.5.4.3", "C": "2.5.4.6", "L": "2.5.4.7", "ST": "2.5.4.8", "O": "2.5.4.10",
             "OU": "2.5.4.11", "emailAddress": "1.2.840.113549.1.9.1"}  # fmt: skip


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, body: bytes) -> bytes:
    """One element: tag, length, body."""
    return bytes([tag]) + _length(len(body)) + body


def seq(*items: bytes) -> bytes:
    return tlv(0x30, b"".join(items))


def integer(value: int) -> bytes:
    raw = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, raw)


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([parts[0] * 40 + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body.extend(reversed(chunk))
    return tlv(0x06, bytes(body))


def null() -> bytes:
    return b"\x05\x00"


def octets(body: bytes) -> bytes:
    return tlv(0x04, body)


def bits(body: bytes) -> bytes:
    return tlv(0x03, b"\x00" + body)


def name(rdns: list[tuple[str, str]]) -> bytes:
    """An X.501 Name, one attribute per RDN, in the order given (`/CN=x/O=y`)."""
    items = []
    for label, value in rdns:
        tag = 0x13 if label == "C" else (0x16 if label == "emailAddress" else 0x0C)
        items.append(tlv(0x31, seq(oid(NAME_OIDS[label]), tlv(tag, value.encode()))))
    return seq(*items)


def utc_time(when: datetime) -> bytes:
    """UTCTime before 2050, GeneralizedTime after, as RFC 5280 asks."""
    if when.year < 2050:
        return tlv(0x17, when.strftime("%y%m%d%H%M%SZ").encode())
    return tlv(0x18, when.strftime("%Y%m%d%H%M%SZ").encode())


def pem(label: str, der: bytes) -> str:
    """PEM armour, 64 characters a line, as OpenSSL writes it."""
    text = base64.b64encode(der).decode()
    body = "\n".join(text[i : i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"


def unpem(text: str, labels: tuple[str, ...]) -> tuple[str, bytes] | None:
    """The first PEM block with one of `labels`: `(label, der)`, or None."""
    for label in labels:
        begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
        start = text.find(begin)
        stop = text.find(end, start + 1)
        if start >= 0 and stop > 0:
            try:
                return label, base64.b64decode("".join(text[start + len(begin) : stop].split()))
            except ValueError:
                return None
    return None


def read(data: bytes, i: int = 0) -> tuple[int, int, int]:
    """`(tag, body start, body end)` of the element at `i`."""
    tag, length = data[i], data[i + 1]
    i += 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4:
            raise ValueError("bad DER length")
        length = int.from_bytes(data[i : i + count], "big")
        i += count
    if i + length > len(data):
        raise ValueError("truncated DER")
    return tag, i, i + length


def children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The elements directly inside `data[start:end]`."""
    out, i = [], start
    while i < end:
        tag, body, stop = read(data, i)
        out.append((tag, body, stop))
        i = stop
    return out


def read_int(data: bytes, element: tuple[int, int, int]) -> int:
    tag, start, end = element
    if tag != 0x02:
        raise ValueError("not an INTEGER")
    return int.from_bytes(data[start:end], "big", signed=True)
