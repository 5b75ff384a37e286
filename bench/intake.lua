-- wrk script for bench_intake: POST /api/v1/evaluations with unique client ids and a share of
-- retries (the same body again). Threads take disjoint serial numbers; totals are printed as JSON.
-- Arguments: key, ratings, threads, share of retries, path (the intake's or the floor's).
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  key, total, nthreads, dup_share = args[1], tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  path = args[5] or "/api/v1/evaluations"
  sent_new, sent_dup, failed, next_index = 0, 0, 0, id - 1
  recent = {}
  math.randomseed(id * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. key
end

local function body_for(index)
  local grade = (index % 9 < 4) and 5 or ((index % 9 < 6) and 4 or ((index % 9 < 7) and 3 or ((index % 9 < 8) and 2 or 1)))
  local comment = grade <= 2 and "办理时间太长" or ""
  return string.format(
    '{"client_id":"bench-%d","serial_no":"BENCH-%07d","target":"matter","stage":"completion","grade":%d,"tags":[],"channel":"pc","comment":"%s"}',
    index, index, grade, comment)
end

function request()
  if (#recent > 0 and math.random() < dup_share) or next_index >= total then
    if #recent == 0 then return wrk.format(nil, "/healthz") end
    sent_dup = sent_dup + 1
    return wrk.format(nil, path, nil, body_for(recent[math.random(#recent)]))
  end
  local index = next_index
  next_index = next_index + nthreads
  sent_new = sent_new + 1
  table.insert(recent, index)
  if #recent > 50 then table.remove(recent, 1) end
  return wrk.format(nil, path, nil, body_for(index))
end

function response(status, headers, body)
  if status ~= 200 and status ~= 201 then failed = failed + 1 end
end

function done(summary, latency, requests)
  local new, dup, bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    new = new + thread:get("sent_new")
    dup = dup + thread:get("sent_dup")
    bad = bad + thread:get("failed")
  end
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"seconds":%.3f,"new":%d,"dup":%d,"failed":%d,"p50_ms":%.2f,"p99_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, new, dup, bad, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
