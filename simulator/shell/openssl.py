"""`openssl genrsa | req | x509 | version` as OpenSSL 3.0 prints them, for the notes' TLS steps.

The notes make a key and a self-signed certificate, then a TLS Secret:

    openssl genrsa -out tls.key 2048
    openssl req -new -x509 -key tls.key -out tls.cert -days 360 -subj /CN=kubia.example.com

Files are real PEM (PKCS#8 keys, X.509 v3 certificates with the subject,
validity and subjectAltNames asked for), so `kubectl create secret tls`
checks that key and certificate belong together and ingress-nginx serves
the certificate that `curl -v` then shows. The key only has the shape of an
RSA key: its two factors are random odd numbers drawn from the cluster's
seed, not primes, which costs nothing and keeps replays identical. It is for
learning the commands, never for protecting anything; nothing here signs or
encrypts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from simulator import der
from simulator.clock import EPOCH
from simulator.result import CommandResult

from .errors import FileError

VERSION = "OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)"
EXPONENT = 65537
_SIMULATED = ("genrsa", "req", "x509", "version")


class Files(Protocol):
    """What openssl needs from the machine it runs on (see `Workstation`)."""

    def read_file(self, path: str) -> str: ...  # raises FileError

    def write_file(self, path: str, text: str, append: bool, private: bool = False) -> None: ...


@dataclass(frozen=True, slots=True)
class Key:
    """An RSA-shaped key: modulus and its parts."""

    n: int
    p: int
    q: int
    d: int


def run(argv: list[str], files: Files, rng: random.Random, now: float) -> CommandResult:
    """Run `openssl SUBCOMMAND ...`."""
    if len(argv) < 2:
        return CommandResult.error("openssl: run a subcommand here: genrsa, req, x509 or version")
    command, args = argv[1], argv[2:]
    if command == "version":
        return CommandResult(stdout=VERSION + "\n")
    if command == "genrsa":
        return _genrsa(args, files, rng)
    if command == "req":
        return _req(args, files, rng, now)
    if command == "x509":
        return _x509(args, files)
    if command in ("rsa", "genpkey", "s_client", "dgst", "pkey", "verify", "ca", "rand"):
        return CommandResult.error(
            f"openssl: `openssl {command}` is not simulated in this playground; "
            + ", ".join(_SIMULATED)
            + " are"
        )
    return CommandResult.error(f"Invalid command '{command}'; type \"help\" for a list.")


# -- keys ----------------------------------------------------------------------------------


def new_key(rng: random.Random, bits: int) -> Key:
    """A key of `bits` bits whose factors are random odd numbers (see the module docstring)."""
    half = bits // 2
    while True:
        p = rng.getrandbits(half) | (3 << (half - 2)) | 1
        q = rng.getrandbits(bits - half) | (3 << (bits - half - 2)) | 1
        phi = (p - 1) * (q - 1)
        try:
            d = pow(EXPONENT, -1, phi)
            pow(q, -1, p)
        except ValueError:
            continue  # not invertible: draw again (rare)
        return Key(p * q, p, q, d)


def key_pem(key: Key, traditional: bool = False) -> str:
    """PKCS#8 `PRIVATE KEY` (OpenSSL 3's default), or PKCS#1 `RSA PRIVATE KEY`."""
    p, q, d = key.p, key.q, key.d
    rsa = der.seq(*(der.integer(v) for v in (0, key.n, EXPONENT, d, p, q, d % (p - 1),
                                             d % (q - 1), pow(q, -1, p))))  # fmt: skip
    if traditional:
        return der.pem("RSA PRIVATE KEY", rsa)
    algorithm = der.seq(der.oid(der.OID_RSA), der.null())
    return der.pem("PRIVATE KEY", der.seq(der.integer(0), algorithm, der.octets(rsa)))


def key_modulus(text: str) -> int | None:
    """The modulus of a PEM private key (PKCS#8 or PKCS#1), or None when it is not one."""
    found = der.unpem(text, ("PRIVATE KEY", "RSA PRIVATE KEY"))
    if found is None:
        return None
    label, data = found
    try:
        if label == "PRIVATE KEY":
            _, start, end = der.read(data)
            _, body, stop = der.children(data, start, end)[2]  # the OCTET STRING
            data = data[body:stop]
        _, start, end = der.read(data)
        return der.read_int(data, der.children(data, start, end)[1])
    except (ValueError, IndexError):
        return None


def certificate_modulus(text: str) -> int | None:
    """The RSA modulus in a PEM certificate's public key, or None."""
    found = der.unpem(text, ("CERTIFICATE",))
    if found is None:
        return None
    data = found[1]
    try:
        _, start, end = der.read(data)
        _, ts, te = der.children(data, start, end)[0]
        fields = der.children(data, ts, te)
        if fields[0][0] == 0xA0:
            fields = fields[1:]
        _, ks, ke = fields[5]
        _, bs, be = der.children(data, ks, ke)[1]  # BIT STRING
        inner = data[bs + 1 : be]
        _, rs, re_ = der.read(inner)
        return der.read_int(inner, der.children(inner, rs, re_)[0])
    except (ValueError, IndexError):
        return None


def _public_key(n: int) -> bytes:
    algorithm = der.seq(der.oid(der.OID_RSA), der.null())
    return der.seq(algorithm, der.bits(der.seq(der.integer(n), der.integer(EXPONENT))))


def _genrsa(args: list[str], files: Files, rng: random.Random) -> CommandResult:
    out, bits, verbose, traditional = None, 2048, False, False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-out" and i < len(args):
            out = args[i]
            i += 1
        elif arg in ("-verbose",):
            verbose = True
        elif arg == "-traditional":
            traditional = True
        elif arg in ("-F4", "-f4"):
            pass
        elif arg.isdigit():
            bits = int(arg)
        else:
            return _unknown("genrsa", arg)
    if not 512 <= bits <= 16384:
        return CommandResult.error(
            f"Error generating RSA key\ngenrsa: this playground makes keys of 512 to 16384 bits, "
            f"not {bits}"
        )
    key = new_key(rng, bits)
    err = ""
    if verbose:
        err = f"Generating RSA key with {bits} bits\n" + _progress(rng) + "e is 65537 (0x010001)\n"
    text = key_pem(key, traditional)
    return _emit(files, out, text, err, private=True)


def _progress(rng: random.Random) -> str:
    """OpenSSL's prime-search dots: `.` per candidate, `+` per round passed, `*` per prime."""
    lines = []
    for _ in range(2):
        dots = "".join(rng.choice("....+") for _ in range(rng.randint(8, 40)))
        lines.append(dots + "+++++*")
    return "".join(lines) + "\n"


def _emit(files: Files, out: str | None, text: str, err: str = "", private=False) -> CommandResult:
    if out is None:
        return CommandResult(stdout=text, stderr=err)
    try:
        files.write_file(out, text, False, private=private)
    except FileError as error:
        return CommandResult(stderr=err + f"Can't open \"{out}\" for writing, {error.reason}\n",
                             exit_code=1)  # fmt: skip
    return CommandResult(stderr=err)


def _unknown(command: str, arg: str) -> CommandResult:
    return CommandResult.error(
        f"{command}: Unknown option: {arg}\n{command}: Use -help for summary."
    )


# -- certificates ----------------------------------------------------------------------------


def _subject(text: str) -> list[tuple[str, str]]:
    """`/CN=kubia.example.com/O=Acme` as (label, value) pairs."""
    if not text.startswith("/"):
        raise ValueError(f"name is expected to be in the format /type0=value0/type1=value1/"
                         f"type2=... where characters may be escaped by \\. This name is not "
                         f"in that format: '{text}'")  # fmt: skip
    rdns = []
    for item in [p for p in text[1:].split("/") if p]:
        label, eq, value = item.partition("=")
        if not eq or label not in der.NAME_OIDS:
            raise ValueError(f'Skipping unknown subject name attribute "{label}"')
        rdns.append((label, value))
    if not rdns:
        raise ValueError("no subject given")
    return rdns


def _req(args: list[str], files: Files, rng: random.Random, now: float) -> CommandResult:
    opts = {"days": "30"}
    flags: set[str] = set()
    sans: list[str] = []
    with_value = ("-key", "-keyout", "-newkey", "-out", "-days", "-subj", "-addext", "-in")
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in with_value:
            if i >= len(args):
                return CommandResult.error(f"req: Option {arg} needs a value\nreq: Use -help "
                                           "for summary.")  # fmt: skip
            if arg == "-addext":
                ext = args[i]
                if not ext.replace(" ", "").startswith("subjectAltName="):
                    return CommandResult.error(f"req: only -addext subjectAltName=DNS:... is "
                                               f"simulated here, not {ext}")  # fmt: skip
                sans += [s.strip()[4:] for s in ext.split("=", 1)[1].split(",")
                         if s.strip().startswith("DNS:")]  # fmt: skip
            else:
                opts[arg[1:]] = args[i]
            i += 1
        elif arg in ("-new", "-x509", "-nodes", "-noenc", "-batch", "-utf8"):
            flags.add(arg[1:])
        elif arg.startswith("-sha") or arg in ("-md5",):
            pass  # the digest only changes the signature, which nobody checks here
        else:
            return _unknown("req", arg)
    if "subj" not in opts:
        return CommandResult.error(
            "req: this playground's terminal cannot answer openssl's questions: give the "
            "subject with -subj, e.g. -subj /CN=kubia.example.com"
        )
    try:
        rdns = _subject(opts["subj"])
    except ValueError as err:
        return CommandResult.error(f"req: {err}\nreq: Error making certificate request")
    if not opts["days"].isdigit() or int(opts["days"]) < 1:
        return CommandResult.error(f"req: Invalid number \"{opts['days']}\" for option -days\n"
                                   "req: Use -help for summary.")  # fmt: skip
    progress = ""  # what openssl prints while it makes a key
    if "key" in opts:
        try:
            n = key_modulus(files.read_file(opts["key"]))
        except FileError as error:
            return CommandResult.error(
                f"Could not open file or uri for loading private key from {opts['key']}\n"
                f"req: {error.reason}"
            )
        if n is None:
            return CommandResult.error(f"Could not read private key from {opts['key']}")
    else:
        if not {"nodes", "noenc"} & flags:
            return CommandResult.error(
                "req: this playground cannot ask for a pass phrase for the new key: "
                "add -nodes (or -noenc)"
            )
        spec = opts.get("newkey", "rsa:2048")
        bits = spec[4:] if spec.startswith("rsa:") else ""
        if not bits.isdigit() or not 512 <= int(bits) <= 16384:
            return CommandResult.error(f"req: this playground makes RSA keys only "
                                       f"(-newkey rsa:2048), not {spec}")  # fmt: skip
        key = new_key(rng, int(bits))
        n = key.n
        keyout = opts.get("keyout", "privkey.pem")
        progress = _progress(rng) + "-----\n"
        try:
            files.write_file(keyout, key_pem(key), False, private=True)
        except FileError as error:
            return CommandResult.error(f'req: Can\'t open "{keyout}" for writing, {error.reason}')
    subject = der.name(rdns)
    if "x509" in flags:
        text = _certificate(rng, n, subject, now, int(opts["days"]), sans)
    else:
        text = _request(rng, n, subject)
    return _emit(files, opts.get("out"), text, progress)


def _certificate(rng, n: int, subject: bytes, now: float, days: int, sans: list[str]) -> str:
    """A self-signed X.509 v3 certificate with OpenSSL 3's `v3_ca` extensions."""
    start = EPOCH + timedelta(seconds=int(now))
    key_id = rng.getrandbits(160).to_bytes(20, "big")
    extensions = [
        der.seq(der.oid(der.OID_SUBJECT_KEY_ID), der.octets(der.octets(key_id))),
        der.seq(
            der.oid(der.OID_AUTHORITY_KEY_ID), der.octets(der.seq(der.tlv(0x80, key_id)))
        ),  # fmt: skip
        der.seq(
            der.oid(der.OID_BASIC_CONSTRAINTS),
            b"\x01\x01\xff",
            der.octets(der.seq(b"\x01\x01\xff")),
        ),  # fmt: skip
    ]
    if sans:
        names = b"".join(der.tlv(0x82, s.encode()) for s in sans)
        extensions.append(der.seq(der.oid(der.OID_SAN), der.octets(der.seq(names))))
    signature_algorithm = der.seq(der.oid(der.OID_SHA256_RSA), der.null())
    tbs = der.seq(
        der.tlv(0xA0, der.integer(2)),
        der.integer(rng.getrandbits(159) | 1),
        signature_algorithm,
        subject,
        der.seq(der.utc_time(start), der.utc_time(start + timedelta(days=days))),
        subject,
        _public_key(n),
        der.tlv(0xA3, der.seq(*extensions)),
    )
    signature = rng.getrandbits(n.bit_length()).to_bytes((n.bit_length() + 7) // 8, "big")
    return der.pem("CERTIFICATE", der.seq(tbs, signature_algorithm, der.bits(signature)))


def _request(rng, n: int, subject: bytes) -> str:
    """A PKCS#10 certificate signing request (`openssl req -new` without -x509)."""
    info = der.seq(der.integer(0), subject, _public_key(n), der.tlv(0xA0, b""))
    algorithm = der.seq(der.oid(der.OID_SHA256_RSA), der.null())
    signature = rng.getrandbits(n.bit_length()).to_bytes((n.bit_length() + 7) // 8, "big")
    return der.pem("CERTIFICATE REQUEST", der.seq(info, algorithm, der.bits(signature)))


def _x509(args: list[str], files: Files) -> CommandResult:
    from simulator.network.tls import parse_pem_certificate

    source, wanted, noout = None, [], False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-in" and i < len(args):
            source = args[i]
            i += 1
        elif arg == "-noout":
            noout = True
        elif arg in ("-subject", "-issuer", "-dates", "-startdate", "-enddate"):
            wanted.append(arg[1:])
        elif arg == "-text":
            return CommandResult.error("x509: -text is not simulated here; use -subject, "
                                       "-issuer and -dates")  # fmt: skip
        else:
            return _unknown("x509", arg)
    if source is None:
        return CommandResult.error("x509: give the certificate with -in FILE (this terminal "
                                   "has no standard input to read it from)")  # fmt: skip
    try:
        text = files.read_file(source)
    except FileError as error:
        return CommandResult.error(f"Could not open file or uri for loading certificate from "
                                   f"{source}\nx509: {error.reason}")  # fmt: skip
    cert = parse_pem_certificate(text, source)
    if cert is None:
        return CommandResult.error("Could not read certificate from " + source + "\nUnable to "
                                   "load certificate")  # fmt: skip
    lines = []
    for item in wanted:
        if item in ("subject", "issuer"):
            value = getattr(cert, item).replace("; ", ", ").replace("=", " = ")
            lines.append(f"{item}={value}")
        if item in ("dates", "startdate"):
            lines.append(f"notBefore={cert.start}")
        if item in ("dates", "enddate"):
            lines.append(f"notAfter={cert.expire}")
    out = "".join(line + "\n" for line in lines)
    if not noout:
        out += text[text.find("-----BEGIN CERTIFICATE-----") :]
    return CommandResult(stdout=out)
