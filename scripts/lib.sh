# Shell helpers shared by ./dev and the bench/ scripts. Source it; do not run it.

# A free TCP port on 127.0.0.1.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_for URL: until it answers 2xx (10 s at most).
wait_for() {
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "not answering: $1" >&2
  return 1
}

# town_db: prints the path of the seed-1 demo town in SQLite, generated again
# whenever the program is newer than the file.
town_db() {
  local db=build/town-seed1.db
  if [ ! -f "$db" ] || [ build/bespoke -nt "$db" ]; then
    # demo replaces the file atomically, and refuses while a server has it open.
    # Called inside $( ), where set -e does not apply: fail explicitly.
    build/bespoke demo --scale town --seed 1 --db "$db" >&2 || return 1
  fi
  echo "$db"
}
