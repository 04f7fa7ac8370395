#!/usr/bin/env bash
# Fuzz seeds for lib/net (scripts/host-lib-test.sh): recorded from live
# exchanges on the simulated link.  seeds.sh OUTDIR SEEDDIR
set -eu
"$1/mkseed" "$2"
