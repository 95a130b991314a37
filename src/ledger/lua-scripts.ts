/**
 * Lua run by Redis so that each state change is one atomic step: the record, its version
 * and the indexes that depend on it change together or not at all.
 */

/**
 * Daily checks a record carries are added to its checks hash (day → JSON) from ARGV[first]
 * on, in pairs; a day already recorded keeps its first check.
 */
const ADD_CHECKS = (checksKey: string, first: number) => `
for i = ${first}, #ARGV, 2 do redis.call('HSETNX', ${checksKey}, ARGV[i], ARGV[i + 1]) end
`;

/**
 * Creates an experiment, claims its surface and names it as its week's experiment, unless the
 * surface already has a live experiment. So there is no moment in which a crash leaves an
 * experiment that its week does not know about.
 * KEYS: experiment, experiments zset, live-surfaces hash, week, checks hash, items index.
 * ARGV: id, json, surface, createdAtMs, week json, item id, index entry, then day/check pairs.
 * Returns {1} created, {0} exists already, {-1, owner} surface busy.
 */
export const CREATE_EXPERIMENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ''} end
local owner = redis.call('HGET', KEYS[3], ARGV[3])
if owner and owner ~= ARGV[1] then return {-1, owner} end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', 1)
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('SET', KEYS[4], ARGV[5])
redis.call('HSET', KEYS[6], ARGV[6], ARGV[7])
${ADD_CHECKS("KEYS[5]", 8)}
return {1, ''}
`;

/**
 * Replaces an experiment record if nobody changed it since it was read.
 * KEYS: experiment, live-surfaces hash, verdicts zset, checks hash, items index.
 * ARGV: id, expected version, json, surface, release ('1' frees the surface), verdictAtMs ('' for none),
 * item id, index entry, then day/check pairs. The index entry is written only while this
 * experiment is still its item's latest.
 * Returns the new version, or 0 on a version conflict.
 */
export const UPDATE_EXPERIMENT = `
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[3], 'version', version + 1)
if ARGV[5] == '1' and redis.call('HGET', KEYS[2], ARGV[4]) == ARGV[1] then
  redis.call('HDEL', KEYS[2], ARGV[4])
end
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1]) end
local indexed = redis.call('HGET', KEYS[5], ARGV[7])
if not indexed or string.sub(indexed, 1, #ARGV[1] + 1) == ARGV[1] .. '|' then
  redis.call('HSET', KEYS[5], ARGV[7], ARGV[8])
end
${ADD_CHECKS("KEYS[4]", 9)}
return version + 1
`;
