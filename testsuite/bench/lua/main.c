/* The benchmark's larger program: the Lua 5.4 interpreter (from the lua-src crate)
 * running a small deterministic workload. Output avoids pairs() order, which depends
 * on Lua's address-seeded string hashing. */
#include <stdio.h>
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static const char *workload =
    "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end\n"
    "print('fib(24)', fib(24))\n"
    "local t = {}\n"
    "for i = 1, 2000 do t[i] = (i * 7919) % 1009 + math.sin(i) end\n"
    "table.sort(t)\n"
    "print('sorted', string.format('%.10f %.10f %.10f', t[1], t[1000], t[2000]))\n"
    "local words = {}\n"
    "for w in string.gmatch(string.rep('the quick brown fox jumps over the lazy dog ', 50), '%a+') do\n"
    "  words[#words + 1] = w:upper():reverse()\n"
    "end\n"
    "print('words', #words, table.concat(words, ',', 1, 9))\n"
    "local acc = 0\n"
    "for i = 1, 100000 do acc = (acc + i * i) % 1000003 end\n"
    "print('acc', acc, math.sqrt(acc), 2^0.5, math.floor(-3.5), 7 // 2, 7.0 / 2)\n"
    "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * 10) end end)\n"
    "print('coroutine', co(), co(), co())\n"
    "print('pcall', pcall(function() error('boom') end))\n";

int main(void)
{
	lua_State *L = luaL_newstate();
	if (!L)
		return 1;
	luaL_openlibs(L);
	if (luaL_dostring(L, workload) != LUA_OK) {
		fprintf(stderr, "lua error: %s\n", lua_tostring(L, -1));
		lua_close(L);
		return 1;
	}
	lua_close(L);
	return 0;
}
