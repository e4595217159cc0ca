#!/usr/bin/env bash
# Build and install Citus from the vendored source against the system's PostgreSQL 15, for
# bench/citus.py (not part of `make test`). Run as root on Debian 12:
#
#     bench/citus_build.sh path/to/citus-13.2.2.tar.gz
#
# PostgreSQL 15.14 and later export have_createdb_privilege() themselves, which Citus 13.2
# still defines as a static copy for versions before 16; the two declarations clash, so the
# copy is removed when the server's header declares the function (the server's own is used).
set -euo pipefail
tarball=${1:?give the path of citus-13.2.2.tar.gz}
packages=(postgresql-server-dev-15 libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev
  libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev autoconf flex bison)
if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
tar -xzf "$tarball" -C "$build"
cd "$build"
server_include=$(pg_config --includedir-server)
if grep -q "have_createdb_privilege" "$server_include/commands/dbcommands.h"; then
  python3 - <<'EOF'
import re
path = "src/include/pg_version_compat.h"
text = open(path, encoding="utf-8").read()
copy = re.search(r"\n\nstatic inline bool\nhave_createdb_privilege\(void\)\n\{.*?\n\}\n", text, re.S)
if copy:
    text = text[: copy.start()] + '\n\n#include "commands/dbcommands.h"\n' + text[copy.end() :]
    open(path, "w", encoding="utf-8").write(text)
EOF
fi
./configure >/dev/null
make -j"$(nproc)" >/dev/null
make install >/dev/null
echo "Citus installed into $(pg_config --pkglibdir)"
