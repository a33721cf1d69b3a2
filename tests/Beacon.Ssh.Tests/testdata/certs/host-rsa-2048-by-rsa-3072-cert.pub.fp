2048 SHA256:RSKj2+QDEMmzfC5lZK/kkwYd4cJ61hsaUkITvDEhQ3w keys-rsa-2048@beacon-vectors (RSA-CERT)
