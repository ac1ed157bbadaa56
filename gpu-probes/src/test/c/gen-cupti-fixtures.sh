#!/usr/bin/env bash
# Regenerates the CUPTI layout table and the record fixture from the CUDA toolkit's headers.
# Run from anywhere; needs gcc and a CUDA 13 toolkit (CUDA_HOME, default /usr/local/cuda).
# The outputs are committed: the Java tests compare the decoder against them without a toolkit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cuda="${CUDA_HOME:-/usr/local/cuda}"
out="$here/../resources/cupti"
version="$(sed -n 's/^#define CUPTI_API_VERSION \([0-9]*\).*/\1/p' "$cuda/include/cupti_version.h")"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
gcc -std=c11 -Wall -Wextra -Werror -I"$cuda/include" -o "$tmp/cupti_layout" "$here/cupti_layout.c"
mkdir -p "$out/$version"
"$tmp/cupti_layout" layout > "$out/$version/layout.txt"
"$tmp/cupti_layout" fixture "$out/$version"
echo "CUPTI $version: $(grep -c '^field' "$out/$version/layout.txt") fields, $(grep -c '^sizeof' "$out/$version/layout.txt") sizes -> $out/$version"

# API names by callback id, for runtime/driver API records (CUpti_ActivityAPI.cbid). Runtime names
# lose CUPTI's "_v3020" version suffix (users call cudaMemcpyAsync); driver names keep theirs
# (cuMemcpyHtoD_v2 is the symbol that runs).
names="$here/../../main/resources/dev/throughline/gpu/cupti"
mkdir -p "$names"
sed -n 's/^ *CUPTI_RUNTIME_TRACE_CBID_\([A-Za-z0-9_]*\) *= *\([0-9][0-9]*\),.*/\2 \1/p' "$cuda/include/cupti_runtime_cbid.h" \
  | grep -v -E ' (INVALID|SIZE|FORCE_INT)$' | sed -E 's/_v[0-9]{4,5}$//' > "$names/runtime-cbid.txt"
sed -n 's/^ *CUPTI_DRIVER_TRACE_CBID_\([A-Za-z0-9_]*\) *= *\([0-9][0-9]*\),.*/\2 \1/p' "$cuda/include/cupti_driver_cbid.h" \
  | grep -v -E ' (INVALID|SIZE|FORCE_INT)$' > "$names/driver-cbid.txt"
echo "callback names: $(wc -l < "$names/runtime-cbid.txt") runtime, $(wc -l < "$names/driver-cbid.txt") driver -> $names"
