/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/knobq.c: a module's knobs as drivers declare them, with
 * module_param_array() and the debugfs_create_u32() family, and what a
 * test needs to set and read them (tests/test_linux_knobs.c).
 */
#ifndef DMAKIT_TESTS_LINUX_KNOBQ_H
#define DMAKIT_TESTS_LINUX_KNOBQ_H

#include <stddef.h>

/* "knobq.lens": int lens[4], counted in knobq_nlens; 0644. */
extern int knobq_lens[4];
extern unsigned int knobq_nlens;

/*
 * The debugfs directory "knobq" with the files timeout (u32, 0644),
 * mode (x8, 0444), addr (x64, 0600), verbose (bool, 0644), hits
 * (atomic_t, 0644, set to -5) and len (size_t, 0200), plus "nothing"
 * (a NULL variable, refused). Returns 0 or -errno.
 */
int knobq_debugfs_init(void);
void knobq_debugfs_exit(void);
/* The variables behind timeout, mode and verbose. */
extern unsigned int knobq_timeout;
extern unsigned char knobq_mode;
extern _Bool knobq_verbose;
extern size_t knobq_len;

/* Read a debugfs file from its start, as cat does, through user memory:
 * the bytes read (NUL-terminated in @out) or -errno. */
long knobq_read(const char *path, char *out, size_t len);
/* Write @text to a debugfs file through user memory, as echo -n does:
 * the bytes written or -errno. */
long knobq_write(const char *path, const char *text);

#endif
