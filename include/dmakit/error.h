/* SPDX-License-Identifier: MIT */
/*
 * Error reporting. Every dmakit function that can fail returns a negative
 * errno (or NULL / DMA_MAPPING_ERROR where Linux does) and leaves a human
 * readable explanation, naming the object at fault, in a per-thread buffer.
 */
#ifndef DMAKIT_ERROR_H
#define DMAKIT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * dk_last_error - explanation of the last failure on this thread.
 *
 * Returns a NUL-terminated string owned by dmakit, valid until the next
 * failing dmakit call on the same thread. Never NULL; "" if nothing failed.
 */
const char *dk_last_error(void);

/* dk_clear_error - forget the last failure of this thread. */
void dk_clear_error(void);

/*
 * Where kernel-log messages (dev_err, warnings, swiotlb full, BUG: lines)
 * go: a stdio FILE, or NULL for stderr (the default).
 */
void dk_log_set_output(void *stdio_file);
void *dk_log_output(void);

#ifdef __cplusplus
}
#endif

#endif
