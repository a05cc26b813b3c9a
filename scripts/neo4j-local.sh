#!/usr/bin/env bash
# A real Neo4j Community 5.26 on loopback, without Docker: the jars come from Maven Central.
#   scripts/neo4j-local.sh start   fetch (first time) and start; waits until Bolt answers
#   scripts/neo4j-local.sh stop    stop the server started here
#   scripts/neo4j-local.sh status
# Settings: NEO4J_VERSION (5.26.16), NEO4J_BOLT_PORT (7687), NEO4J_LOCAL_HOME (~/.cache/policygraph/neo4j-VERSION).
# Authentication is off: the server listens on 127.0.0.1 only.
set -euo pipefail

VERSION="${NEO4J_VERSION:-5.26.16}"
PORT="${NEO4J_BOLT_PORT:-7687}"
HOME_DIR="${NEO4J_LOCAL_HOME:-$HOME/.cache/policygraph/neo4j-$VERSION}"
RUN_DIR="$HOME_DIR/run-$PORT"
PID_FILE="$RUN_DIR/neo4j.pid"
LOG_FILE="$RUN_DIR/console.log"

fetch() {
  [ -f "$HOME_DIR/lib/.complete" ] && return 0
  mkdir -p "$HOME_DIR/lib"
  cat > "$HOME_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>policygraph</groupId><artifactId>neo4j-local</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>$VERSION</version></dependency></dependencies>
</project>
POM
  echo "fetching Neo4j $VERSION from Maven Central into $HOME_DIR/lib" >&2
  mvn -B -q -f "$HOME_DIR/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$HOME_DIR/lib" -DincludeScope=runtime
  touch "$HOME_DIR/lib/.complete"
}

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

wait_for_bolt() {
  for _ in $(seq 1 180); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && grep -q "Started." "$LOG_FILE" 2>/dev/null; then
      return 0
    fi
    running || { echo "neo4j exited; see $LOG_FILE" >&2; tail -20 "$LOG_FILE" >&2; return 1; }
    sleep 1
  done
  echo "neo4j did not answer on port $PORT within 180 s; see $LOG_FILE" >&2
  return 1
}

start() {
  if running; then echo "neo4j already running on bolt://127.0.0.1:$PORT" >&2; return 0; fi
  fetch
  mkdir -p "$RUN_DIR"/{conf,data,logs,run,import,plugins}
  cat > "$RUN_DIR/conf/neo4j.conf" <<CONF
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$PORT
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=false
server.memory.pagecache.size=128m
server.directories.data=$RUN_DIR/data
server.directories.logs=$RUN_DIR/logs
server.directories.run=$RUN_DIR/run
server.directories.import=$RUN_DIR/import
server.directories.plugins=$RUN_DIR/plugins
db.tx_log.preallocate=false
dbms.usage_report.enabled=false
client.allow_telemetry=false
# what the API's read sessions cannot reach: files through LOAD CSV, and procedures beyond reading the schema
dbms.security.allow_csv_import_from_file_urls=false
dbms.security.procedures.allowlist=db.labels,db.relationshipTypes,db.propertyKeys,db.schema.*,dbms.components
CONF
  : > "$LOG_FILE"
  nohup java -Xms512m -Xmx512m -Dfile.encoding=UTF-8 \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -cp "$HOME_DIR/lib/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$RUN_DIR" --config-dir="$RUN_DIR/conf" --console-mode >"$LOG_FILE" 2>&1 &
  echo $! > "$PID_FILE"
  wait_for_bolt
  echo "neo4j $VERSION on bolt://127.0.0.1:$PORT" >&2
}

stop() {
  if running; then
    kill "$(cat "$PID_FILE")"
    for _ in $(seq 1 60); do running || break; sleep 1; done
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running on bolt://127.0.0.1:$PORT"; else echo "stopped"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
