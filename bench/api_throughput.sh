#!/usr/bin/env bash
# API throughput: `upward serve` (granian) on a throwaway SQLite database with
# the demo data, measured with wrk.
#
#   bash bench/api_throughput.sh [seconds per run, default 10]
#
# Environment: WORKERS (default 2), CONNECTIONS (default 16), THREADS (wrk, default 2),
# PORT (default: a free one). wrk is installed with apt when missing.
# The access log is off, so the numbers are the app's, not the log writer's.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION="${1:-10}"
WORKERS="${WORKERS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export UPWARD_DATA_DIR="$WORK"
export UPWARD_DATABASE_URL="sqlite:///$WORK/upward.sqlite3"
export UPWARD_SECRET_KEY="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(40))')"
export UPWARD_DEBUG=0
export UPWARD_TASKS=immediate
export UPWARD_ACCESS_LOG=""
export UPWARD_LOG_LEVEL=WARNING

echo "preparing a database with the demo data in $WORK"
uv run --quiet upward migrate >/dev/null
# The raw token is shown once, so create it here and keep it for the run.
TOKEN="$(uv run --quiet upward manage shell -c '
from upward.accounts.models import User
from upward.accounts.services import create_api_token
from upward.demo import load_demo
load_demo()
_token, raw = create_api_token(
    user=User.objects.get(email="alice@example.com"), name="bench", scope="read", days=1
)
print(raw)
' 2>/dev/null | tail -n 1)"
case "$TOKEN" in upw_*) ;; *) echo "could not create a token: $TOKEN" >&2; exit 1 ;; esac

echo "starting upward serve on port $PORT with $WORKERS workers"
uv run --quiet upward serve --port "$PORT" --workers "$WORKERS" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "$BASE/healthz" || { cat "$WORK/server.log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me")
[ "$status" = 200 ] || { echo "GET /api/v1/me answered $status" >&2; exit 1; }

# wrk prints "Requests/sec: N" and a latency line "Latency avg stdev max +/-".
measure() {
  local name="$1"; shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  local rps avg p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  avg=$(awk '$1 == "Latency" {print $2; exit}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  printf '| %-28s | %10s | %9s | %9s | %7s |\n' "$name" "$rps" "$avg" "$p99" "${errors:-0}"
}

echo
echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per endpoint;" \
  "granian: $WORKERS workers x 4 threads; $(nproc) cores; SQLite"
printf '| %-28s | %10s | %9s | %9s | %7s |\n' "endpoint" "req/s" "avg" "p99" "non-2xx"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------" "------------" "-----------" "-----------" "---------"
measure "GET /healthz" "$BASE/healthz"
measure "GET /api/v1/me (read token)" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/me"
