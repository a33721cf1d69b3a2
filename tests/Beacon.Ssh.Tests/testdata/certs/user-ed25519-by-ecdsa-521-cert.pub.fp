256 SHA256:yHsjv6eodey4w7QnllKAoD1Vmu0eIuU0QoNGcygrqoE keys-ed25519@beacon-vectors (ED25519-CERT)
