256 SHA256:wOXec/vgMEZMJLmx9e+AFH/5vovOvE8OQYIcPxZj6jA ca-ecdsa-256@beacon-vectors (ECDSA)
