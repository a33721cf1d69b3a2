384 SHA256:7JiwSI0001BcNxvRsvhDsK8MlcJhXr1ahiUjNlTWDVM ca-ecdsa-384@beacon-vectors (ECDSA)
