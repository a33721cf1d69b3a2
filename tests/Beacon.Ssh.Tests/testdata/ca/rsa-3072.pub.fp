3072 SHA256:r0KvSZwKFfnvn5Q36SAUdv+taiuk0omRWDtjxhuVHqE ca-rsa-3072@beacon-vectors (RSA)
