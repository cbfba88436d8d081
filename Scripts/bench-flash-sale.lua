-- wrk script for Scripts/bench-flash-sale: pledges one unit each into TUAN_CAMPAIGN, every request
-- with its own Idempotency-Key, until the thread has had TUAN_QUOTA answers; then the thread stops.
-- `done` prints the 201 count, which the script compares with the rows in the database.

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
  quota = tonumber(os.getenv("TUAN_QUOTA") or "1000")
  seq = 0
  answered = 0
  created = 0
  other = 0
  path = "/v1/campaigns/" .. campaign .. "/pledges"
  -- With TUAN_LEADERS ("ann,bo"), every other pledge names one of them in turn.
  leaders = {}
  for code in string.gmatch(os.getenv("TUAN_LEADERS") or "", "[^,]+") do table.insert(leaders, code) end
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
  if answered >= quota then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local total_created, total_other = 0, 0
  for _, t in ipairs(threads) do
    total_created = total_created + t:get("created")
    total_other = total_other + t:get("other")
  end
  io.write(string.format("RESULT created=%d other=%d seconds=%.3f p50_us=%d p99_us=%d max_us=%d\n",
    total_created, total_other, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency.max))
end
