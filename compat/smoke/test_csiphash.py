"""csiphash (API mode over SipHash-2-4's reference C; no tests in its sdist): digests of
the C code against a small Python SipHash-2-4, and its argument checks."""
import struct

import pytest

from csiphash import siphash24

MASK = 2 ** 64 - 1


def rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & MASK


def reference(key, data):
    """SipHash-2-4 in Python: the 8-byte little-endian digest."""
    k0, k1 = struct.unpack("<QQ", key)
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rounds(n):
        for _ in range(n):
            v[0] = (v[0] + v[1]) & MASK; v[1] = rotl(v[1], 13) ^ v[0]; v[0] = rotl(v[0], 32)
            v[2] = (v[2] + v[3]) & MASK; v[3] = rotl(v[3], 16) ^ v[2]
            v[0] = (v[0] + v[3]) & MASK; v[3] = rotl(v[3], 21) ^ v[0]
            v[2] = (v[2] + v[1]) & MASK; v[1] = rotl(v[1], 17) ^ v[2]; v[2] = rotl(v[2], 32)

    tail = len(data) % 8
    padded = data[:len(data) - tail] + data[len(data) - tail:] + bytes(7 - tail) + bytes(
        [len(data) & 0xFF])
    for (m,) in struct.iter_unpack("<Q", padded):
        v[3] ^= m
        rounds(2)
        v[0] ^= m
    v[2] ^= 0xFF
    rounds(4)
    return struct.pack("<Q", v[0] ^ v[1] ^ v[2] ^ v[3])


def test_documented_digest():
    assert siphash24(b"\x00" * 16, b"hello, world!\n").hex() == "f1473495a5aac262"


def test_paper_vector():
    # the SipHash paper's test: key 00..0f, message 00..0e
    assert siphash24(bytes(range(16)), bytes(range(15))).hex() == "e545be4961ca29a1"


@pytest.mark.parametrize("length", [0, 1, 7, 8, 9, 15, 16, 63, 64, 1000])
def test_matches_reference(length):
    key = bytes(range(100, 116))
    data = bytes((i * 7 + 3) & 0xFF for i in range(length))
    assert siphash24(key, data) == reference(key, data)


def test_bad_key_length():
    with pytest.raises(Exception):
        siphash24(b"short", b"data")
