
local signatures, bodies, counter, threads = {}, {}, 1, 0
local step, statuses = 2, {}
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args)
  for line in io.lines("/work/main/bare.lua.data") do
    local signature, body = line:match("^(%S+) (.*)$")
    signatures[#signatures + 1] = signature
    bodies[#bodies + 1] = body
  end
  counter = id
end
function request()
  local i = counter
  counter = counter + step
  if counter > #bodies then counter = counter - #bodies end
  return wrk.format("POST", "/voice/incoming", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = signatures[i]}, bodies[i])
end
