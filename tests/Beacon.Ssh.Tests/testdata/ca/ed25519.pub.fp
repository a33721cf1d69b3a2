256 SHA256:d/4k+S5dcto3/jE0cy1Gh4O5iTxcn40NheULC6zQ54k ca-ed25519@beacon-vectors (ED25519)
