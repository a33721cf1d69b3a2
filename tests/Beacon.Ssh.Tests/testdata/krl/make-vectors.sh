#!/bin/sh
# Makes the KRL test vectors with OpenSSH's own ssh-keygen (9.2p1 when committed) and records what
# `ssh-keygen -Q` says about every certificate and key against every KRL in expected.txt.
# Run from anywhere: sh tests/Beacon.Ssh.Tests/testdata/krl/make-vectors.sh
# CA private keys are deleted at the end; only public halves, certificates, KRLs and specs stay.
set -eu
cd "$(dirname "$0")"
rm -f -- *.pub *.krl *.spec expected.txt ca-* user-* other-* third-*

# Keys: three CAs of different types, four subject keys.
ssh-keygen -q -t ed25519 -N '' -C ca-ed25519 -f ca-ed25519
ssh-keygen -q -t ecdsa -b 256 -N '' -C ca-ecdsa -f ca-ecdsa
ssh-keygen -q -t rsa -b 3072 -N '' -C ca-rsa -f ca-rsa
ssh-keygen -q -t ed25519 -N '' -C user-ed25519 -f user-ed25519
ssh-keygen -q -t ecdsa -b 384 -N '' -C user-ecdsa -f user-ecdsa
ssh-keygen -q -t rsa -b 2048 -N '' -C user-rsa -f user-rsa
ssh-keygen -q -t ed25519 -N '' -C other-ed25519 -f other-ed25519
ssh-keygen -q -t ed25519 -N '' -C third-ed25519 -f third-ed25519

# cert NAME CA SUBJECT KEYID [SERIAL]: signs a copy of SUBJECT.pub as NAME-cert.pub (no -z: serial 0).
cert() {
    cp "$3.pub" "$1.pub"
    if [ $# -ge 5 ]; then
        ssh-keygen -q -s "$2" -I "$4" -n alice -z "$5" "$1.pub"
    else
        ssh-keygen -q -s "$2" -I "$4" -n alice "$1.pub"
    fi
    rm "$1.pub"
}
cert ed-s1 ca-ed25519 user-ed25519 alice 1
cert ed-s3 ca-ed25519 user-ed25519 alice 3
cert ed-s4 ca-ed25519 user-ed25519 alice 4
cert ed-s5 ca-ed25519 user-ed25519 alice 5
cert ed-s12 ca-ed25519 user-ed25519 alice 12
cert ed-s13 ca-ed25519 user-ed25519 alice 13
cert ed-s999 ca-ed25519 user-ed25519 alice 999
cert ed-s1000 ca-ed25519 user-ed25519 alice 1000
cert ed-s1500 ca-ed25519 user-ed25519 alice 1500
cert ed-s2000 ca-ed25519 user-ed25519 alice 2000
cert ed-s2001 ca-ed25519 user-ed25519 alice 2001
cert ed-s15997 ca-ed25519 user-ed25519 alice 15997
cert ed-s15998 ca-ed25519 user-ed25519 alice 15998
cert ed-smax ca-ed25519 user-ed25519 alice 18446744073709551615
cert ed-s0-bob ca-ed25519 user-ed25519 bob
cert ed-s7-carol ca-ed25519 user-ecdsa carol 7
cert ecdsa-s5-alice ca-ecdsa user-ed25519 alice 5
cert ecdsa-s6-erin ca-ecdsa user-rsa erin 6
cert rsa-s42-dave ca-rsa user-ed25519 dave 42
cert rsa-s43-bob ca-rsa user-ecdsa bob 43
cert ed-s9-other ca-ed25519 other-ed25519 frank 9
cert ecdsa-s9-third ca-ecdsa third-ed25519 grace 9

# Serials for one CA: single serials, a range, the largest serial, and every third serial from
# 3000 to 15998 (dense enough that ssh-keygen chooses a bitmap, small enough that it reads it back).
{
    echo "serial: 5"
    echo "serial: 3"
    echo "serial: 1000-2000"
    echo "serial: 18446744073709551615"
    i=3002
    while [ $i -le 15998 ]; do echo "serial: $i"; i=$((i + 3)); done
    echo "serial: 12"
} > serials.spec
ssh-keygen -q -k -f serials.krl -s ca-ed25519.pub -z 3 serials.spec

# Key IDs for one CA.
printf 'id: alice\nid: dave\n' > keyids.spec
ssh-keygen -q -k -f keyids.krl -s ca-ecdsa.pub keyids.spec

# The any-CA form (-s none): key IDs and serials for certificates from every CA.
printf 'id: bob\nserial: 42\n' > wildcard.spec
ssh-keygen -q -k -f wildcard.krl -s none wildcard.spec

# Plain keys: explicitly, by SHA1 and SHA256 of the key, and by a SHA256 fingerprint (hash:).
{
    echo "key: $(cat user-rsa.pub)"
    echo "sha1: $(cat user-ecdsa.pub)"
    echo "sha256: $(cat other-ed25519.pub)"
    echo "hash: $(ssh-keygen -l -E sha256 -f third-ed25519.pub | cut -d' ' -f2)"
} > keys.spec
ssh-keygen -q -k -f keys.krl keys.spec

# A revoked CA key: every certificate it signed is revoked.
echo "key: $(cat ca-rsa.pub)" > ca-key.spec
ssh-keygen -q -k -f ca-key.krl ca-key.spec

# Several CAs in one KRL, built up with -u (update), with a KRL version.
printf 'serial: 1\nserial: 4\n' > multi-ed.spec
printf 'serial: 42-43\n' > multi-rsa.spec
printf 'id: erin\nserial: 9\n' > multi-ecdsa.spec
ssh-keygen -q -k -f multi.krl -s ca-ed25519.pub -z 7 multi-ed.spec
ssh-keygen -q -k -u -f multi.krl -s ca-rsa.pub multi-rsa.spec
ssh-keygen -q -k -u -f multi.krl -s ca-ecdsa.pub multi-ecdsa.spec

# An empty KRL (what sshd needs when nothing is revoked yet).
ssh-keygen -q -k -f empty.krl

# Record ssh-keygen's verdict for every certificate and plain key against every KRL.
for krl in *.krl; do
    for file in *-cert.pub user-*.pub other-*.pub third-*.pub ca-*.pub; do
        # -Q exits 1 for a revoked key, so read its verdict from what it prints.
        verdict=$(ssh-keygen -Q -f "$krl" "$file" 2>&1 || true)
        case "$verdict" in
            *": REVOKED") echo "$krl $file REVOKED" ;;
            *": ok") echo "$krl $file ok" ;;
            *) echo "ssh-keygen -Q -f $krl $file: $verdict" >&2; exit 1 ;;
        esac
    done
done > expected.txt

rm -f ca-ed25519 ca-ecdsa ca-rsa user-ed25519 user-ecdsa user-rsa other-ed25519 third-ed25519
ssh -V
