-- wrk script for ./dev bench directory: cycles through the query mix that
-- directory_bench wrote, one URL (path and query string) a line.
--   wrk -s bench/directory.lua URL -- FILE
-- Each thread starts at its own offset so that threads do not run in step.
local urls = {}
local next_index = 1
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("offset", thread_count * 997)
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the URL list " .. tostring(args[1]))
  for line in file:lines() do
    if #line > 0 then urls[#urls + 1] = line end
  end
  file:close()
  assert(#urls > 0, "the URL list is empty")
  next_index = ((offset or 0) % #urls) + 1
end

function request()
  local path = urls[next_index]
  next_index = next_index % #urls + 1
  return wrk.format("GET", path)
end

-- Non-2xx answers are counted by wrk itself ("Non-2xx or 3xx responses").
