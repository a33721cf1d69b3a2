521 SHA256:LGWZHC8lsD4GrkPw1J8KoaiyUJJNWp3QHPDocje0QCU keys-ecdsa-521@beacon-vectors (ECDSA)
