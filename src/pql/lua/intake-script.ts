/**
 * Accepts a batch of events atomically: each event id is claimed with `SET NX` (a duplicate
 * delivery is dropped) and every new event is appended to the intake stream. Once this
 * returns, the events are in Redis and the HTTP route may answer 2xx.
 * KEYS: stream, stats hash, then one `seen` key per event.
 * ARGV: dedupe ttl ms, received at ms, then one event JSON per event (ARGV[i] ↔ KEYS[i]).
 * Returns {accepted, duplicates}.
 */
export const INTAKE_SCRIPT = `
local accepted, duplicates = 0, 0
for i = 3, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) then
    redis.call('XADD', KEYS[1], '*', 'r', ARGV[2], 'e', ARGV[i])
    accepted = accepted + 1
  else
    duplicates = duplicates + 1
  end
end
if accepted > 0 then redis.call('HINCRBY', KEYS[2], 'accepted', accepted) end
if duplicates > 0 then redis.call('HINCRBY', KEYS[2], 'duplicates', duplicates) end
return {accepted, duplicates}
`;
