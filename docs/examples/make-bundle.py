#!/usr/bin/env python3
"""Builds a signed WaveOS app bundle with nothing but Python's standard library and openssl.

Usage: make-bundle.py OUTDIR
Writes OUTDIR/key.pem (a new Ed25519 private key), OUTDIR/key.pub.pem and OUTDIR/demo.wbundle.
"""
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
key, pub = os.path.join(out, "key.pem"), os.path.join(out, "key.pub.pem")

# 1. An Ed25519 key pair; the keyid is the hex SHA-256 of the public key's SPKI DER.
subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True)
subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", pub], check=True)
spki_der = subprocess.run(["openssl", "pkey", "-pubin", "-in", pub, "-outform", "DER"],
                          check=True, capture_output=True).stdout
keyid = hashlib.sha256(spki_der).hexdigest()

# 2. The payload files: path (relative to payload/) -> (mode, content).
files = {
    "bin/hello": (0o755, b"#!/bin/sh\necho hello from a hand-made bundle\n"),
    "etc/hello.conf": (0o644, b"greeting = hello\n"),
}

# 3. The manifest: every file with its size, SHA-256 and mode.
manifest = {
    "format": 1,
    "bundle_id": "hello-1",
    "kind": "app",
    "component": "hello",
    "version": 1,
    "version_name": "1.0.0",
    "created": "2026-01-01T00:00:00Z",
    "expires": "2036-01-01T00:00:00Z",
    "compatibility": {"device_classes": ["gw-100"], "min_agent_version": "0.1.0"},
    "files": [
        {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "mode": "%04o" % mode}
        for path, (mode, data) in files.items()
    ],
    "services": [{"name": "hello", "command": ["bin/hello"]}],
    "trial": {"soak_seconds": 60, "must_be_ready": ["hello"], "max_restarts": 2},
}
body = json.dumps(manifest, separators=(",", ":")).encode("utf-8")

# 4. DSSE: sign PAE = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body with openssl.
payload_type = "application/vnd.waveos.manifest+json"
pae = b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type.encode(), len(body), body)
pae_file = os.path.join(out, "pae.bin")
with open(pae_file, "wb") as f:
    f.write(pae)
sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", pae_file],
                     check=True, capture_output=True).stdout
os.remove(pae_file)
envelope = json.dumps({
    "payloadType": payload_type,
    "payload": base64.b64encode(body).decode("ascii"),
    "signatures": [{"keyid": keyid, "sig": base64.b64encode(sig).decode("ascii")}],
}).encode("utf-8")


# 5. The archive: manifest.dsse.json first, then one regular file per payload path, nothing else
#    (no directory entries, no links). Any owner, mtime or tar mode is accepted.
def add(tar, name, mode, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.type = len(data), mode, tarfile.REGTYPE
    tar.addfile(info, io.BytesIO(data))


with tarfile.open(os.path.join(out, "demo.wbundle"), "w", format=tarfile.PAX_FORMAT) as tar:
    add(tar, "manifest.dsse.json", 0o644, envelope)
    for path, (mode, data) in files.items():
        add(tar, "payload/" + path, mode, data)
print(keyid)
