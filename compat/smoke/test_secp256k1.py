"""secp256k1-py (API mode over the system libsecp256k1; its sdist ships no tests): keys,
ECDSA signatures and their encodings, recovery, tweaks, ECDH, Schnorr where built."""
import hashlib

import pytest

import secp256k1

SECRET = bytes(range(1, 33))


def test_public_key_of_known_secret_round_trips():
    key = secp256k1.PrivateKey(SECRET)
    assert key.serialize() == SECRET.hex()
    compressed = key.pubkey.serialize()
    assert len(compressed) == 33 and compressed[0] in (2, 3)
    assert len(key.pubkey.serialize(compressed=False)) == 65
    again = secp256k1.PublicKey(compressed, raw=True)
    assert again.serialize(compressed=False) == key.pubkey.serialize(compressed=False)


def test_sign_verify_and_der_compact_encodings():
    key = secp256k1.PrivateKey(SECRET)
    sig = key.ecdsa_sign(b"hello")
    assert key.pubkey.ecdsa_verify(b"hello", sig)
    assert not key.pubkey.ecdsa_verify(b"hullo", sig)
    der = key.ecdsa_serialize(sig)
    assert der[0] == 0x30
    assert key.ecdsa_serialize(key.ecdsa_deserialize(der)) == der
    compact = key.ecdsa_serialize_compact(sig)
    assert len(compact) == 64
    assert key.ecdsa_serialize_compact(key.ecdsa_deserialize_compact(compact)) == compact
    # RFC 6979: deterministic
    assert key.ecdsa_serialize(key.ecdsa_sign(b"hello")) == der


def test_raw_digest_signing():
    key = secp256k1.PrivateKey(SECRET)
    digest = hashlib.sha256(b"msg").digest()
    sig = key.ecdsa_sign(digest, raw=True)
    assert key.pubkey.ecdsa_verify(b"msg", sig)
    with pytest.raises(Exception):
        key.ecdsa_sign(b"short", raw=True)


@pytest.mark.skipif(not secp256k1.HAS_RECOVERABLE, reason="built without recovery")
def test_recover_public_key():
    key = secp256k1.PrivateKey(SECRET)
    rsig = key.ecdsa_sign_recoverable(b"data")
    data, recid = key.ecdsa_recoverable_serialize(rsig)
    assert len(data) == 64 and recid in (0, 1, 2, 3)
    back = key.ecdsa_recoverable_deserialize(data, recid)
    pub = secp256k1.PublicKey(key.ecdsa_recover(b"data", back))
    assert pub.serialize() == key.pubkey.serialize()
    assert key.pubkey.ecdsa_verify(b"data", key.ecdsa_recoverable_convert(rsig))


def test_tweaks_and_combine():
    one = secp256k1.PrivateKey(SECRET)
    two = secp256k1.PrivateKey(bytes(31) + b"\x02")
    tweak = bytes(31) + b"\x05"
    assert (secp256k1.PrivateKey(SECRET).pubkey.tweak_add(tweak).serialize()
            == secp256k1.PrivateKey(bytes.fromhex(one.tweak_add(tweak).hex())).pubkey.serialize())
    combined = secp256k1.PublicKey()
    combined.combine([one.pubkey.public_key, two.pubkey.public_key])
    assert combined.serialize() == secp256k1.PrivateKey(
        (int.from_bytes(SECRET, "big") + 2).to_bytes(32, "big")).pubkey.serialize()
    assert two.pubkey.tweak_mul(bytes(31) + b"\x03").serialize() == secp256k1.PrivateKey(
        bytes(31) + b"\x06").pubkey.serialize()


@pytest.mark.skipif(not secp256k1.HAS_ECDH, reason="built without ECDH")
def test_ecdh_is_symmetric():
    a = secp256k1.PrivateKey(SECRET)
    b = secp256k1.PrivateKey(bytes(31) + b"\x07")
    assert a.pubkey.ecdh(b.private_key) == b.pubkey.ecdh(a.private_key)
    assert len(a.pubkey.ecdh(b.private_key)) == 32


def test_bad_inputs_raise():
    with pytest.raises(Exception):
        secp256k1.PrivateKey(bytes(32))          # zero is not a valid secret
    with pytest.raises(Exception):
        secp256k1.PublicKey(b"\x02" + bytes(31), raw=True)
