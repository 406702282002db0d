#!/usr/bin/env bash
# Soak: `casebot serve` answering web-console questions non-stop while `casebot reindex` (another process) swaps the
# index every REINDEX_EVERY seconds. Prints memory (RSS), open file descriptors, build folders on disk and questions
# answered once a minute; fails if a question is not answered or the build folders pile up. Not run in CI.
#
#   deploy/soak.sh                      # 30 minutes, a reindex every 5 minutes (the issue's soak)
#   DURATION=120 REINDEX_EVERY=20 deploy/soak.sh   # a quick run
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-1800}
REINDEX_EVERY=${REINDEX_EVERY:-300}
PORT=${PORT:-18765}
work=$(mktemp -d)
trap 'kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/CaseBot -c Release -v q -nologo >/dev/null
casebot=(dotnet src/CaseBot/bin/Release/net10.0/casebot.dll)
cp -r corpus "$work/corpus"
"${casebot[@]}" serve --CaseBot:CorpusPath="$work/corpus" --CaseBot:IndexPath="$work/index" \
  --Web:Urls="http://127.0.0.1:$PORT" --Moderation:QuestionsPerUser=0 --Moderation:WatchCorpus=false \
  --Logging:LogLevel:Default=Warning >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done

asked=0; failed=0; reindexes=0; start=$(date +%s); next_reindex=$((start + REINDEX_EVERY)); next_report=$start
printf '%6s %8s %6s %7s %9s %7s\n' seconds rss_mb fds builds questions failed
while (( $(date +%s) - start < DURATION )); do
  for q in "Why+did+City+Hall+block+the+Palantir+contract%3F" "Who+co-founded+Palantir%3F" "What+did+Louis+Mosley+say%3F"; do
    if curl -fs "http://127.0.0.1:$PORT/api/ask?q=$q" | grep -q '"text"'; then asked=$((asked + 1)); else failed=$((failed + 1)); fi
  done
  now=$(date +%s)
  if (( now >= next_reindex )); then
    echo "Soak edit $now." >>"$work/corpus/004_"*.txt
    "${casebot[@]}" reindex --corpus "$work/corpus" --index "$work/index" >/dev/null
    reindexes=$((reindexes + 1)); next_reindex=$((now + REINDEX_EVERY))
  fi
  if (( now >= next_report )); then
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$serve_pid/status")
    fds=$(ls "/proc/$serve_pid/fd" | wc -l)
    builds=$(ls -d "$work/index"/build-* | wc -l)
    printf '%6d %8d %6d %7d %9d %7d\n' $((now - start)) "$rss" "$fds" "$builds" "$asked" "$failed"
    next_report=$((now + 60))
  fi
done
builds=$(ls -d "$work/index"/build-* | wc -l)
echo "soak: $asked questions answered, $failed failed, $reindexes reindexes by another process, $builds build folder(s) left"
(( failed == 0 && builds <= 2 ))
