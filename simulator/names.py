"""Generated names and identifiers, as the API server and controllers make them.

All randomness comes from the cluster's seeded `random.Random`, so the same
seed and the same calls give the same names.
"""

from __future__ import annotations

import json
import random
import zlib

# apimachinery's rand alphabet: no vowels, no 0/1/3, so names never spell words.
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
MAX_GENERATED_BASE = 58  # names.SimpleNameGenerator truncates the base so the result fits 63


_PAIRS = [b + a for a in ALPHANUMS for b in ALPHANUMS]  # index i -> base-27 digits of i


_SUFFIXES = len(ALPHANUMS) ** 5
_SUFFIX_BITS = _SUFFIXES.bit_length()


def generate_suffix(rng: random.Random, length: int = 5) -> str:
    """`length` random characters from apimachinery's alphabet (one number from the rng)."""
    if length == 5:  # the hot case: every generated pod name
        # A uniform draw below 27**5 by rejection, as `randrange` makes it, without its
        # argument checks (this runs once per pod a controller creates).
        n = rng.getrandbits(_SUFFIX_BITS)
        while n >= _SUFFIXES:
            n = rng.getrandbits(_SUFFIX_BITS)
        high, low = divmod(n, 729)
        mid, low2 = divmod(high, 729)
        return _PAIRS[low] + _PAIRS[low2] + ALPHANUMS[mid]
    n = rng.randrange(len(ALPHANUMS) ** length)
    chars = []
    for _ in range(length):
        n, digit = divmod(n, len(ALPHANUMS))
        chars.append(ALPHANUMS[digit])
    return "".join(chars)


_VARIANT = {f"{i:x}": "89ab"[i & 3] for i in range(16)}


def new_uid(rng: random.Random) -> str:
    """A deterministic version-4 UUID string (variant and version bits set as uuid4 does)."""
    h = rng.getrandbits(128).to_bytes(16, "big").hex()  # f"{n:032x}", at half the cost
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


# One encoder for every template (json.dumps with options builds a new one each call);
# templates are trees, so no reference cycle is watched for.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False)


def pod_template_hash(template: dict, collision_count: int = 0) -> str:
    """The `pod-template-hash` label of a Deployment's ReplicaSet.

    Kubernetes hashes the template's printed form to 32 bits (FNV-32a over Go's spew
    output) and maps the decimal digits of the hash into the safe alphabet
    (`rand.SafeEncodeString`). The bytes hashed here are the template's canonical JSON,
    so equal templates share a hash; as those bytes can never equal spew's, the value
    cannot match a real cluster's, and the 32-bit hash is zlib's CRC-32 (in C) rather than
    FNV-32a in pure Python, a hundred times slower on a defaulted template.
    """
    data = _CANONICAL_JSON.encode(template).encode()
    if collision_count:
        data += str(collision_count).encode()
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in str(zlib.crc32(data)))
