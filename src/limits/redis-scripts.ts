/**
 * Lua run atomically inside Redis. Times are epoch ms; ARGV[1] = -1 asks for the server's TIME so
 * gateway processes with skewed clocks still share one timeline.
 */

const clock = `
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/**
 * consume: KEYS = one hash per counter (field = bucket index, value = amount).
 * ARGV[1] = now, then per key: limit, cost, bucket width ms, bucket count.
 * Returns {1, count1, count2, ...} or {0, refused index (1-based), count, retry-after ms}.
 */
export const consumeScript = `${clock}
local totals = {}
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  local limit = tonumber(ARGV[base + 1])
  local cost = tonumber(ARGV[base + 2])
  local width = tonumber(ARGV[base + 3])
  local count = tonumber(ARGV[base + 4])
  local current = math.floor(now / width)
  local oldest = current - count + 1
  local flat = redis.call('HGETALL', key)
  local total = 0
  local live = {}
  for j = 1, #flat, 2 do
    local index = tonumber(flat[j])
    if index < oldest then
      redis.call('HDEL', key, flat[j])
    else
      local value = tonumber(flat[j + 1])
      total = total + value
      live[#live + 1] = {index, value}
    end
  end
  if total + cost > limit then
    local retry = width * count
    if cost <= limit then
      table.sort(live, function(a, b) return a[1] < b[1] end)
      local remaining = total
      for _, bucket in ipairs(live) do
        remaining = remaining - bucket[2]
        if remaining + cost <= limit then
          retry = math.max(1, (bucket[1] + count) * width - now)
          break
        end
      end
    end
    return {0, i, total, retry}
  end
  totals[i] = total + cost
end
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  local cost = tonumber(ARGV[base + 2])
  local width = tonumber(ARGV[base + 3])
  local count = tonumber(ARGV[base + 4])
  redis.call('HINCRBY', key, tostring(math.floor(now / width)), cost)
  redis.call('PEXPIRE', key, width * (count + 1))
end
local out = {1}
for i = 1, #totals do out[#out + 1] = totals[i] end
return out
`;

/** add: KEYS = counters; ARGV[1] = now, then per key: amount, bucket width, bucket count. */
export const addScript = `${clock}
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 3
  local width = tonumber(ARGV[base + 2])
  local count = tonumber(ARGV[base + 3])
  redis.call('HINCRBY', key, tostring(math.floor(now / width)), tonumber(ARGV[base + 1]))
  redis.call('PEXPIRE', key, width * (count + 1))
end
return 1
`;

/**
 * acquire: KEYS = one sorted set per lease key (member = lease id, score = expiry).
 * ARGV[1] = now, ARGV[2] = ttl ms, ARGV[3] = lease id, then one limit per key.
 * Returns {1} or {0, refused index (1-based), held}.
 */
export const acquireScript = `${clock}
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local held = redis.call('ZCARD', key)
  if held >= tonumber(ARGV[3 + i]) then return {0, i, held} end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + ttl, ARGV[3])
  local ms = redis.call('PTTL', key)
  if ms < ttl then redis.call('PEXPIRE', key, ttl) end
end
return {1}
`;

/**
 * addSpend: KEYS = one string counter per budget period (the period id is part of the key).
 * ARGV = per key: amount (integer micro-units), expire-at epoch ms (0: never, for `total`).
 * Returns the totals after the addition.
 */
export const addSpendScript = `
local out = {}
for i, key in ipairs(KEYS) do
  local total = redis.call('INCRBY', key, tonumber(ARGV[(i - 1) * 2 + 1]))
  local expireAt = tonumber(ARGV[(i - 1) * 2 + 2])
  if expireAt > 0 then redis.call('PEXPIREAT', key, expireAt) end
  out[i] = total
end
return out
`;
