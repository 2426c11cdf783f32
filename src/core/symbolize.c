// SPDX-License-Identifier: MIT
/*
 * Return addresses to function and file:line, with elfutils' libdwfl over
 * this process's own modules: the symbol table names static functions
 * too, and the DWARF line table (when the program was built with -g)
 * gives the line. Only a report pays for it, never a map; the session is
 * built once and rebuilt when an address falls outside every module it
 * knows (a library loaded later).
 */
#define _GNU_SOURCE
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "symbolize.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Dwfl *session;

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

static Dwfl *open_session(void)
{
	Dwfl *d = dwfl_begin(&callbacks);

	if (!d)
		return NULL;
	if (dwfl_linux_proc_report(d, getpid()) ||
	    dwfl_report_end(d, NULL, NULL)) {
		dwfl_end(d);
		return NULL;
	}
	return d;
}

/*
 * The line table entry for @pc by walking the compilation units: clang
 * emits no .debug_aranges unless asked (-gdwarf-aranges), and without it
 * dwfl_module_getsrc() finds nothing.
 */
static Dwarf_Line *src_by_cu(Dwfl_Module *mod, uintptr_t pc)
{
	Dwarf_Addr bias;
	Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dw && !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu) &&
		    dwarf_haspc(&cu, pc - bias) > 0)
			return dwarf_getsrc_die(&cu, pc - bias);
		off = next;
	}
	return NULL;
}

/* Compilers record absolute or relative paths; below the current
 * directory both read the same. */
static const char *relative(const char *file)
{
	static char cwd[4096];
	size_t n;

	if (!cwd[0] && !getcwd(cwd, sizeof(cwd) - 1))
		return file;
	n = strlen(cwd);
	return !strncmp(file, cwd, n) && file[n] == '/' ? file + n + 1 : file;
}

static bool lookup(Dwfl *d, uintptr_t pc, char *fn, size_t fnlen,
		   char *where, size_t wlen)
{
	Dwfl_Module *mod = dwfl_addrmodule(d, pc);
	const char *name, *file;
	Dwfl_Line *line;
	int lineno = 0;

	if (!mod)
		return false;
	name = dwfl_module_addrname(mod, pc);
	snprintf(fn, fnlen, "%s", name ? name : "");
	where[0] = '\0';
	line = dwfl_module_getsrc(mod, pc);
	file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) :
		      NULL;
	if (!file) {
		Dwarf_Line *l = src_by_cu(mod, pc);

		file = l ? dwarf_linesrc(l, NULL, NULL) : NULL;
		if (file && dwarf_lineno(l, &lineno))
			file = NULL;
	}
	if (file && lineno > 0)
		snprintf(where, wlen, "%s:%d", relative(file), lineno);
	return name != NULL;
}

/*
 * Reports repeat their call sites (a loop that maps wrongly reports from
 * the same frames each time): a small direct-mapped cache of answers
 * keeps a flood of reports from paying a DWARF lookup per frame.
 */
#define NCACHE 512

static struct answer {
	uintptr_t pc;
	bool ok;
	char fn[96];
	char where[160];
} cache[NCACHE];

bool dk_symbolize(const void *ret, char *fn, size_t fnlen, char *where,
		  size_t wlen)
{
	/* The call, not the instruction after it, holds the line. */
	uintptr_t pc = (uintptr_t)ret - 1;
	struct answer *a = &cache[(pc >> 2) % NCACHE];
	bool ok = false;

	pthread_mutex_lock(&lock);
	if (a->pc == pc && pc) {
		snprintf(fn, fnlen, "%s", a->fn);
		snprintf(where, wlen, "%s", a->where);
		pthread_mutex_unlock(&lock);
		return a->ok;
	}
	if (!session)
		session = open_session();
	if (session && !(ok = lookup(session, pc, fn, fnlen, where, wlen)) &&
	    !dwfl_addrmodule(session, pc)) {
		dwfl_end(session);
		session = open_session();
		ok = session && lookup(session, pc, fn, fnlen, where, wlen);
	}
	if (!ok)
		fn[0] = where[0] = '\0';
	a->pc = pc;
	a->ok = ok;
	snprintf(a->fn, sizeof(a->fn), "%s", fn);
	snprintf(a->where, sizeof(a->where), "%s", where);
	pthread_mutex_unlock(&lock);
	return ok;
}

int dk_symbolize_frame(char *buf, size_t len, const void *at, bool pc,
		       char *fn, size_t fnlen)
{
	char where[160];
	/* Integer arithmetic: the symbolizer looks one byte before, and a
	 * bogus frame may be NULL. */
	const void *look = (const void *)((uintptr_t)at + pc);

	if (!dk_symbolize(look, fn, fnlen, where, sizeof(where)) || !fn[0]) {
		if (fnlen)
			fn[0] = '\0';
		return snprintf(buf, len, " %p\n", at);
	}
	return snprintf(buf, len, " %s%s%s%s\n", fn, where[0] ? " (" : "",
			where, where[0] ? ")" : "");
}
