# Sourced by the benchmarks. warm_up COMMAND...: runs one of our tools (bin/interimap,
# bin/pullimap) until its class-data archive exists, so that the measured runs are ordinary ones:
# the first run after a build records the classes it loads, the second makes the archive in the
# background, which may take some seconds.
warm_up() {
  local jsa
  jsa="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/camel-interimap-${1##*/}.jsa"
  "$@" >/dev/null 2>&1 || true
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq 120); do
    [ -e "$jsa.classes" ] || break
    sleep 0.5
  done
}
