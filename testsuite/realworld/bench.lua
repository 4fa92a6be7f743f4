-- A deterministic Lua workload for the real-world suite: table-heavy numeric code,
-- string building and closures, with checksums printed along the way (so a migrated
-- run is compared as it goes, not only at the end).

local function fannkuch(n)
  local perm, perm1, count = {}, {}, {}
  local maxflips, checksum, r, nperm = 0, 0, n, 0
  for i = 0, n - 1 do perm1[i] = i end
  while true do
    while r ~= 1 do count[r - 1] = r; r = r - 1 end
    for i = 0, n - 1 do perm[i] = perm1[i] end
    local flips = 0
    local k = perm[0]
    while k ~= 0 do
      local i, j = 0, k
      while i < j do perm[i], perm[j] = perm[j], perm[i]; i = i + 1; j = j - 1 end
      flips = flips + 1
      k = perm[0]
    end
    if flips > maxflips then maxflips = flips end
    checksum = checksum + (nperm % 2 == 0 and flips or -flips)
    while true do
      if r == n then return checksum, maxflips end
      local p0 = perm1[0]
      for i = 0, r - 1 do perm1[i] = perm1[i + 1] end
      perm1[r] = p0
      count[r] = count[r] - 1
      if count[r] > 0 then break end
      r = r + 1
    end
    nperm = nperm + 1
  end
end

local function spectral(n)
  local function A(i, j) local ij = i + j - 1; return 1.0 / (ij * (ij - 1) * 0.5 + i) end
  local function Av(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(i, j) end; y[i] = a end end
  local function Atv(x, y, N) for i = 1, N do local a = 0; for j = 1, N do a = a + x[j] * A(j, i) end; y[i] = a end end
  local u, v, t = {}, {}, {}
  for i = 1, n do u[i] = 1 end
  for _ = 1, 10 do Av(u, t, n); Atv(t, v, n); Av(v, t, n); Atv(t, u, n) end
  local vBv, vv = 0, 0
  for i = 1, n do local ui, vi = u[i], v[i]; vBv = vBv + ui * vi; vv = vv + vi * vi end
  return math.sqrt(vBv / vv)
end

local function words(rounds)
  local counts = {}
  local seed = 12345
  for _ = 1, rounds do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local w = string.format("w%x", seed % 4096)
    counts[w] = (counts[w] or 0) + 1
  end
  local keys = {}
  for k in pairs(counts) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) if counts[a] ~= counts[b] then return counts[a] > counts[b] end return a < b end)
  local parts = {}
  for i = 1, 5 do parts[#parts + 1] = keys[i] .. "=" .. counts[keys[i]] end
  return table.concat(parts, " ")
end

for round = 1, 3 do
  local c, m = fannkuch(9)
  print(string.format("round %d fannkuch(9) checksum %d maxflips %d", round, c, m))
  print(string.format("round %d spectral(120) %.9f", round, spectral(120)))
  print(string.format("round %d words %s", round, words(200000)))
  local ok, err = pcall(function() error({code = round}) end)
  print(string.format("round %d pcall %s %d", round, tostring(ok), err.code))
end
