384 SHA256:nZ0CLCpJZxxVuJUlV6+11LQb0sVTFRURZv5/kqLLZvg keys-ecdsa-384@beacon-vectors (ECDSA)
