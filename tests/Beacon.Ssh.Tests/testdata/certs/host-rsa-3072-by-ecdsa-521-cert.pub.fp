3072 SHA256:AN2I1gQFq5OX5lSxzAhKO/h7OblrLF0bRwahiPFVo4s keys-rsa-3072@beacon-vectors (RSA-CERT)
