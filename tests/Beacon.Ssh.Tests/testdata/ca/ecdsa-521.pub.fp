521 SHA256:wsdLJdcZTKYiJzvb1qDkCeSD1a/gNOiRh7a5pkX9Ung ca-ecdsa-521@beacon-vectors (ECDSA)
