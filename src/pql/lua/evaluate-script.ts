/**
 * Records one event and evaluates, in the same atomic step, every rule its arrival can fire.
 *
 * Occurrences live in sorted sets per subject × event (`<base>:z:<u|a>:<len>:<subject>:<event>`),
 * scored by the event's own timestamp, so a late or out-of-order event lands where it belongs.
 * The member is deterministic JSON `{i: id, u: user, p: {kept properties}}`: a redelivered event
 * is the same member, so counting is idempotent. Each set is trimmed to the longest window that
 * reads it, measured back from its newest occurrence, and expires when the subject goes quiet.
 *
 * A window is inclusive: [T − within, T]. The new event at time t can complete a window ending
 * at t or at any later occurrence up to t + within (it may be late), so those ends are tried in
 * time order and the first satisfied one is the qualification time T. The cooldown is a
 * `SET NX PX` per rule × subject; the qualification, its place in the CRM's pending set and the
 * rule's volume are written together with it.
 *
 * KEYS[1]: the qualifications hash (anchors the script's slot; all keys share one hash tag).
 * ARGV: base, event id, event name, user, account ('' none), timestamp, member,
 *       user window, account window, received at, idle ttl ms, then one rule JSON per rule.
 * Returns the ids of new qualifications.
 */
export const EVALUATE_SCRIPT = `
local base, eventId, eventName = ARGV[1], ARGV[2], ARGV[3]
local user, account = ARGV[4], ARGV[5]
local ts, member = tonumber(ARGV[6]), ARGV[7]
local windows = { u = tonumber(ARGV[8]), a = tonumber(ARGV[9]) }
local receivedAt, idle = tonumber(ARGV[10]), tonumber(ARGV[11])
local MAX_ENDS = 64

local function setKey(level, subject, event)
  return base .. ':z:' .. level .. ':' .. #subject .. ':' .. subject .. ':' .. event
end

local function record(level, subject)
  local w = windows[level]
  if w <= 0 or subject == '' then return end
  local key = setKey(level, subject, eventName)
  redis.call('ZADD', key, ts, member)
  local newest = redis.call('ZREVRANGE', key, 0, 0, 'WITHSCORES')
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. string.format('%d', tonumber(newest[2]) - w))
  redis.call('PEXPIRE', key, w + idle)
end
record('u', user)
record('a', account)

local function passes(props, filters)
  if not filters then return true end
  for _, f in ipairs(filters) do
    local v = props[f.k]
    if v == cjson.null then v = nil end
    local op = f.op
    if op == 'exists' then
      if (v ~= nil) ~= f.v then return false end
    elseif v == nil then
      if op ~= 'ne' then return false end
    elseif op == 'eq' then
      if tostring(v) ~= tostring(f.v) then return false end
    elseif op == 'ne' then
      if tostring(v) == tostring(f.v) then return false end
    elseif op == 'in' then
      local found = false
      for _, x in ipairs(f.v) do if tostring(x) == tostring(v) then found = true end end
      if not found then return false end
    else
      local n = tonumber(v)
      if not n then return false end
      if op == 'gt' and not (n > f.v) then return false end
      if op == 'gte' and not (n >= f.v) then return false end
      if op == 'lt' and not (n < f.v) then return false end
      if op == 'lte' and not (n <= f.v) then return false end
    end
  end
  return true
end

-- A set's occurrences, newest first, decoded once per script run (sets are trimmed to a window).
local cache = {}
local function occurrences(key, lo, hi)
  local all = cache[key]
  if not all then
    all = {}
    local raw = redis.call('ZREVRANGEBYSCORE', key, '+inf', '-inf', 'WITHSCORES')
    for i = 1, #raw, 2 do
      all[#all + 1] = { m = cjson.decode(raw[i]), at = tonumber(raw[i + 1]) }
    end
    cache[key] = all
  end
  local out = {}
  for _, o in ipairs(all) do
    if o.at >= lo and o.at <= hi then out[#out + 1] = o end
  end
  return out
end

local function evalNode(node, level, subject, lo, hi, matched)
  if node.t == 'e' then
    local seen, count, picked = {}, 0, {}
    for _, o in ipairs(occurrences(setKey(level, subject, node.e), lo, hi)) do
      local props = o.m.p or {}
      if passes(props, node.f) then
        local k
        if node.d == 'distinct_id' then k = o.m.u
        elseif node.d then
          local v = props[node.d]
          if v == nil or v == cjson.null then k = '#' .. o.m.i else k = tostring(v) end
        else k = o.m.i end
        if not seen[k] then
          seen[k] = true
          count = count + 1
          picked[#picked + 1] = { event = node.e, id = o.m.i, user = o.m.u, at = o.at }
          if count >= node.n then break end
        end
      end
    end
    if count >= node.n then
      for _, p in ipairs(picked) do matched[#matched + 1] = p end
      return true
    end
    return false
  elseif node.t == 'not' then
    return not evalNode(node.c, level, subject, lo, hi, {})
  elseif node.t == 'all' then
    for _, child in ipairs(node.c) do
      if not evalNode(child, level, subject, lo, hi, matched) then return false end
    end
    return true
  else
    local any = false
    for _, child in ipairs(node.c) do
      if evalNode(child, level, subject, lo, hi, matched) then any = true end
    end
    return any
  end
end

local function positiveEvents(node, negated, out)
  if node.t == 'e' then
    if not negated then out[node.e] = true end
  elseif node.t == 'not' then positiveEvents(node.c, not negated, out)
  else for _, child in ipairs(node.c) do positiveEvents(child, negated, out) end end
  return out
end

local created = {}
for i = 12, #ARGV do
  local rule = cjson.decode(ARGV[i])
  local level = rule.level == 'account' and 'a' or 'u'
  local subject = level == 'a' and account or user
  local cooldownKey = base .. ':cd:' .. rule.id .. ':' .. #subject .. ':' .. subject
  if subject ~= '' and redis.call('EXISTS', cooldownKey) == 0 then
    -- Window ends to try: this event's time and every later occurrence within reach.
    local ends, seenEnd = { ts }, { [ts] = true }
    for event in pairs(positiveEvents(rule.root, false, {})) do
      for _, o in ipairs(occurrences(setKey(level, subject, event), ts, ts + rule.w)) do
        if not seenEnd[o.at] then seenEnd[o.at] = true; ends[#ends + 1] = o.at end
      end
    end
    table.sort(ends)
    for n = 1, math.min(#ends, MAX_ENDS) do
      local T = ends[n]
      local matched = {}
      if evalNode(rule.root, level, subject, T - rule.w, T, matched) then
        local qid = rule.id .. '|' .. level .. '|' .. subject .. '|' .. string.format('%d', T)
        if redis.call('SET', cooldownKey, qid, 'NX', 'PX', rule.cd) then
          table.sort(matched, function(x, y) return x.at < y.at end)
          local q = { id = qid, rule = rule.id, level = rule.level, subject = subject,
            userId = user, accountId = account, score = rule.score, qualifiedAt = T,
            receivedAt = receivedAt, trigger = eventId, events = matched }
          redis.call('HSET', KEYS[1], qid, cjson.encode(q))
          redis.call('ZADD', base .. ':pending', receivedAt, qid)
          redis.call('ZADD', base .. ':qualified:' .. rule.id, 'NX', T, subject)
          redis.call('HINCRBY', base .. ':stats', 'qualified:' .. rule.id, 1)
          created[#created + 1] = qid
        end
        break
      end
    end
  end
end
return created
`;
