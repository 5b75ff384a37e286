"""SM2 (GM/T 0003) through gmssl, as the Shandong envelope needs it: encrypt for the platform's public
key, sign with our private key (SM3 digest with the signer's Z value), and the inverse for a receiver.
Keys are hex: a private key is 64 hex digits, a public key the 128 hex digits of the point (x ‖ y).
Ciphertexts are C1C3C2 (mode 1, the order of the standard), hex-encoded."""

from gmssl import func, sm2

MODE_C1C3C2 = 1


def public_key_of(private_key: str) -> str:
    curve = sm2.CryptSM2(private_key=private_key, public_key="")
    return curve._kg(int(private_key, 16), sm2.default_ecc_table["g"])


def new_private_key() -> str:
    return func.random_hex(64)


def encrypt(public_key: str, data: bytes) -> str:
    return sm2.CryptSM2(private_key="", public_key=public_key, mode=MODE_C1C3C2).encrypt(data).hex()


def decrypt(private_key: str, ciphertext: str) -> bytes:
    curve = sm2.CryptSM2(private_key=private_key, public_key=public_key_of(private_key), mode=MODE_C1C3C2)
    return curve.decrypt(bytes.fromhex(ciphertext))


def sign(private_key: str, data: bytes) -> str:
    return sm2.CryptSM2(private_key=private_key, public_key=public_key_of(private_key)).sign_with_sm3(data)


def verify(public_key: str, signature: str, data: bytes) -> bool:
    try:
        return bool(sm2.CryptSM2(private_key="", public_key=public_key).verify_with_sm3(signature, data))
    except (ValueError, TypeError):
        return False
