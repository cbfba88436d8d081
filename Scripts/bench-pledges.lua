-- wrk script for Scripts/bench-pledges, Scripts/bench-flash-sale and Scripts/chaos-close: every
-- request carries its own Idempotency-Key, so every request is a new pledge of one unit (a replayed
-- key would be answered from the first pledge and prove nothing). Each thread counts its own status
-- codes; `done` prints them so the script can compare the number of 201s with the rows in the database.
-- TUAN_QUOTA: a thread stops after that many answers. TUAN_LEADERS ("ann,bo"): every other pledge
-- names one of them in turn.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TUAN_TOKEN")
  campaign = os.getenv("TUAN_CAMPAIGN") or "1"
  run = os.getenv("TUAN_RUN") or tostring(os.time())
  quota = tonumber(os.getenv("TUAN_QUOTA") or "0")
  leaders = {}
  for code in string.gmatch(os.getenv("TUAN_LEADERS") or "", "[^,]+") do table.insert(leaders, code) end
  seq = 0
  answered = 0
  created = 0
  other = 0
  path = "/v1/campaigns/" .. campaign .. "/pledges"
end

function request()
  seq = seq + 1
  local key = run .. "-" .. tid .. "-" .. seq
  local leader = ""
  if #leaders > 0 and seq % 2 == 0 then leader = ',"leader_code":"' .. leaders[math.floor(seq / 2) % #leaders + 1] .. '"' end
  local body = '{"consumer_id":"c' .. tid .. "-" .. seq .. '","quantity":1' .. leader .. '}'
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = key,
  }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
  answered = answered + 1
  if quota > 0 and answered >= quota then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local total_created, total_other = 0, 0
  for _, t in ipairs(threads) do
    total_created = total_created + t:get("created")
    total_other = total_other + t:get("other")
  end
  io.write(string.format("RESULT created=%d other=%d requests=%d seconds=%.3f p50_us=%d p99_us=%d max_us=%d socket_errors=%d\n",
    total_created, total_other, summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
