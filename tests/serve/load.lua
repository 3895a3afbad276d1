-- wrk script for `subsidy serve`'s load test: POST /v1/eval with the example profiles given after
-- `--`, in turn; with `bad=N` (0-100) as the first argument, N % of the bodies are made malformed
-- (a profile with its closing brace replaced by a comma). Every response is checked: 200 with a
-- report, or 400 with a JSON syntax error for a malformed body; anything else counts as wrong.
-- done() prints one RESULT line with the counts of all threads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad_percent = 0
  bodies = {}
  for _, a in ipairs(args) do
    local n = a:match("^bad=(%d+)$")
    if n then
      bad_percent = tonumber(n)
    else
      local f = assert(io.open(a, "rb"))
      table.insert(bodies, f:read("*a"))
      f:close()
    end
  end
  counter = 0
  sent_good, sent_bad, ok, refused, wrong = 0, 0, 0, 0, 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  -- every tenth (for 10 %) request of each thread is malformed: deterministic, evenly spread
  if bad_percent > 0 and counter % math.floor(100 / bad_percent) == 0 then
    sent_bad = sent_bad + 1
    body = body:gsub("}%s*$", ",")
  else
    sent_good = sent_good + 1
  end
  return wrk.format(nil, "/v1/eval", nil, body)
end

function response(status, headers, body)
  if status == 200 and body:find('"format": "subsidy-report/1"', 1, true) then
    ok = ok + 1
  elseif status == 400 and body:find('"code": "json-', 1, true) then
    refused = refused + 1
  else
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local t = {sent_good = 0, sent_bad = 0, ok = 0, refused = 0, wrong = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do
      t[k] = t[k] + thread:get(k)
    end
  end
  io.write(string.format(
    "RESULT requests=%d socket_errors=%d non2xx=%d sent_good=%d sent_bad=%d ok=%d refused=%d " ..
    "wrong=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, t.sent_good, t.sent_bad, t.ok, t.refused,
    t.wrong, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
