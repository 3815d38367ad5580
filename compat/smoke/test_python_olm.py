"""python-olm's API (its sdist ships no tests): accounts, signatures, one-to-one and group
sessions, pickles, SAS and pk encryption, each a round trip through libolm."""
import pytest

import olm


def test_account_keys_and_signature():
    account = olm.Account()
    keys = account.identity_keys
    assert set(keys) == {"curve25519", "ed25519"} and len(keys["ed25519"]) == 43
    signature = account.sign("hello")
    olm.ed25519_verify(keys["ed25519"], "hello", signature)
    with pytest.raises(olm.OlmVerifyError):
        olm.ed25519_verify(keys["ed25519"], "hellO", signature)
    account.generate_one_time_keys(3)
    assert len(account.one_time_keys["curve25519"]) == 3
    assert account.max_one_time_keys > 3


def test_one_to_one_session_round_trip():
    alice, bob = olm.Account(), olm.Account()
    bob.generate_one_time_keys(1)
    one_time = next(iter(bob.one_time_keys["curve25519"].values()))
    outbound = olm.OutboundSession(alice, bob.identity_keys["curve25519"], one_time)
    message = outbound.encrypt("first message")
    assert isinstance(message, olm.OlmPreKeyMessage)
    inbound = olm.InboundSession(bob, message)
    assert inbound.decrypt(message) == "first message"
    assert inbound.id == outbound.id
    bob.remove_one_time_keys(inbound)
    reply = inbound.encrypt("reply ✓")
    assert outbound.decrypt(reply) == "reply ✓"


def test_pickles_round_trip_and_refuse_a_wrong_passphrase():
    account = olm.Account()
    pickled = account.pickle("secret")
    restored = olm.Account.from_pickle(pickled, "secret")
    assert restored.identity_keys == account.identity_keys
    with pytest.raises(olm.OlmAccountError):
        olm.Account.from_pickle(pickled, "wrong")


def test_group_session_round_trip():
    outbound = olm.OutboundGroupSession()
    inbound = olm.InboundGroupSession(outbound.session_key)
    for index in range(3):
        assert outbound.message_index == index
        plaintext, message_index = inbound.decrypt(outbound.encrypt("m%d" % index))
        assert (plaintext, message_index) == ("m%d" % index, index)
    exported = olm.InboundGroupSession.import_session(inbound.export_session(1))
    assert exported.first_known_index == 1 and exported.id == outbound.id


def test_sas_both_sides_agree():
    alice, bob = olm.Sas(), olm.Sas()
    alice.set_their_pubkey(bob.pubkey)
    bob.set_their_pubkey(alice.pubkey)
    assert alice.generate_bytes("info", 6) == bob.generate_bytes("info", 6)
    assert alice.calculate_mac("text", "info") == bob.calculate_mac("text", "info")


def test_pk_encryption_round_trip():
    decryption = olm.PkDecryption()
    message = olm.PkEncryption(decryption.public_key).encrypt("for your eyes")
    assert decryption.decrypt(message) == "for your eyes"
    assert olm.sha256("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"
