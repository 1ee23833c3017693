#!/bin/sh
# `make test-virtuoso`: kg92 over Virtuoso (Debian's virtuoso-opensource-7-bin), bound to 127.0.0.1, in a
# throw-away folder; not part of `make test` (.ci/run runs it after). Starts virtuoso-t, lets the anonymous SPARQL user write
# through the Graph Store Protocol (/sparql-graph-crud: a throw-away instance, loopback only), publishes the build,
# runs the canned queries' exact-row tests over it (KG92_TEST_STORE_URL), then the W3C protocol runner over the
# protocol fixture when ../shared/tools/protocol_tests.py is at hand, and stops Virtuoso.
set -eu
BIN=${BIN:-.venv/bin}
# two distinct free ports on 127.0.0.1 unless given (both sockets held open until both are known)
PORTS=$("$BIN/python" -c 'import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
HTTP_PORT=${VIRTUOSO_HTTP_PORT:-${PORTS% *}}
SQL_PORT=${VIRTUOSO_SQL_PORT:-${PORTS#* }}
DIR=$(mktemp -d /tmp/kg92-virtuoso.XXXXXX)
command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: apt-get install virtuoso-opensource-7-bin" >&2; exit 2; }
cat > "$DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile = $DIR/virtuoso.db
ErrorLogFile = $DIR/virtuoso.log
LockFile = $DIR/virtuoso.lck
TransactionFile = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
[TempDatabase]
DatabaseFile = $DIR/virtuoso-temp.db
TransactionFile = $DIR/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:$SQL_PORT
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., $DIR
[HTTPServer]
ServerPort = 127.0.0.1:$HTTP_PORT
ServerRoot = $DIR
ServerThreads = 8
EnabledDavVSP = 0
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
INI
virtuoso-t +foreground +configfile "$DIR/virtuoso.ini" >"$DIR/stdout.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT INT TERM
URL=http://127.0.0.1:$HTTP_PORT/sparql
i=0
until curl -sf -o /dev/null "$URL?query=ASK%7B%7D"; do
  i=$((i + 1)); [ $i -lt 120 ] || { cat "$DIR/virtuoso.log" >&2; exit 2; }; sleep 0.5
done
isql-vt "$SQL_PORT" dba dba exec='grant SPARQL_UPDATE to "SPARQL";' >/dev/null
export KG92_STORE_URL="$URL" KG92_STORE_GRAPH_STORE_URL="http://127.0.0.1:$HTTP_PORT/sparql-graph-crud"
"$BIN/kg92" publish
status=0
KG92_TEST_STORE_URL="$URL" "$BIN/python" -m pytest tests/queries/test_queries_results.py -k remote -q -p no:randomly || status=1
RUNNER=../shared/tools/protocol_tests.py
if [ -f "$RUNNER" ]; then
  "$BIN/python" tests/w3c_protocol.py "$RUNNER" --store-url "$URL" || status=1
else
  echo "no $RUNNER: the W3C protocol runner is skipped"
fi
exit $status
