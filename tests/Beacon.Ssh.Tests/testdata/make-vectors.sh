#!/usr/bin/env bash
# Makes every key and certificate vector in this directory with the real ssh-keygen (OpenSSH 9.2p1).
# The tests read the committed files and never run this; re-running it replaces every vector with
# new random keys, nonces and signatures (the fields below stay the same).
#
#   keys/NAME, keys/NAME.pub      subject keys, unencrypted openssh-key-v1 (ssh-keygen's default)
#   ca/NAME, ca/NAME.pub          CA keys
#   certs/KIND-KEY-by-CA-cert.pub certificates; KIND is user or host
#   *.fp                          `ssh-keygen -lf` of the .pub beside it
#   *.L.txt                       `ssh-keygen -L -f` of the certificate beside it (TZ=UTC)
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC

rm -rf keys ca certs
mkdir keys ca certs

KEYS="ed25519 ecdsa-256 ecdsa-384 ecdsa-521 rsa-2048 rsa-3072"
CAS="ed25519 ecdsa-256 ecdsa-384 ecdsa-521 rsa-3072"

# keygen DIR NAME: a key of the type and size NAME spells (ed25519, ecdsa-384, rsa-3072, ...).
keygen() {
    local dir=$1 name=$2 type=${2%%-*} bits=${2#*-}
    if [ "$type" = ed25519 ]; then
        ssh-keygen -q -t ed25519 -N '' -C "$dir-$name@beacon-vectors" -f "$dir/$name"
    else
        ssh-keygen -q -t "$type" -b "$bits" -N '' -C "$dir-$name@beacon-vectors" -f "$dir/$name"
    fi
    ssh-keygen -lf "$dir/$name.pub" > "$dir/$name.pub.fp"
}

for k in $KEYS; do keygen keys "$k"; done
for c in $CAS; do keygen ca "$c"; done

# sign NAME KEY CA ssh-keygen-options...: certifies keys/KEY.pub with ca/CA as certs/NAME-cert.pub.
sign() {
    local name=$1 key=$2 ca=$3
    shift 3
    cp "keys/$key.pub" "certs/$name.pub"
    ssh-keygen -q -s "ca/$ca" "$@" "certs/$name.pub"
    rm "certs/$name.pub"
    ssh-keygen -lf "certs/$name-cert.pub" > "certs/$name-cert.pub.fp"
    ssh-keygen -L -f "certs/$name-cert.pub" > "certs/$name-cert.pub.L.txt"
}

serial=1000
for c in $CAS; do
    for k in $KEYS; do
        serial=$((serial + 1))
        # User certificates: two principals, a fixed window, both standard critical options, two extensions.
        sign "user-$k-by-$c" "$k" "$c" \
            -I "user $k by $c" -z "$serial" -n alice,bob \
            -V 20250101000000:20350101000000 \
            -O clear -O permit-pty -O permit-agent-forwarding \
            -O force-command=/usr/bin/true -O source-address=127.0.0.1/32,::1/128
        serial=$((serial + 1))
        # Host certificates: the host's names, valid from always to forever, no options.
        sign "host-$k-by-$c" "$k" "$c" \
            -h -I "host $k by $c" -z "$serial" -n host.example.com,127.0.0.1,localhost \
            -V always:forever
    done
done

# RSA CA signing with rsa-sha2-256 instead of the default rsa-sha2-512.
sign user-ed25519-by-rsa-3072-sha256 ed25519 rsa-3072 -t rsa-sha2-256 \
    -I "user ed25519 by rsa-3072 (rsa-sha2-256)" -z 2001 -n alice -V 20250101000000:20350101000000

# ssh-keygen's defaults: serial 0, no principals, valid forever, the five default user extensions.
sign user-ecdsa-256-by-ed25519-defaults ecdsa-256 ed25519 -I "defaults"

# Unknown options (kept byte for byte), a value-carrying extension, a window with only a start,
# a large serial, and a key id with spaces and non-ASCII text.
sign user-rsa-2048-by-ecdsa-384-custom rsa-2048 ecdsa-384 \
    -I "custom opts – é" -z 18446744073709551614 -n 'deploy,ci runner,root' \
    -V 20300101000000:forever \
    -O clear -O extension:zzz@beacon.example=value -O extension:aaa@beacon.example \
    -O permit-port-forwarding -O critical:beacon@beacon.example=data -O verify-required

# A host certificate valid for a short window in the past (expired).
sign host-ed25519-by-ed25519-expired ed25519 ed25519 \
    -h -I "expired host" -z 2002 -n host.example.com -V 20200101000000:20200102000000
