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

/**
 * dk_last_error() - explanation of the last failure on this thread.
 *
 * Context: any thread; each thread has its own message.
 * Return: a NUL-terminated string owned by dmakit, valid until the next
 * failing dmakit call on the same thread. Never NULL; "" if nothing failed.
 */
const char *dk_last_error(void);

/**
 * dk_clear_error() - forget the last failure of this thread, so that
 * dk_last_error() returns "" until something fails again.
 *
 * Context: any thread; other threads' messages are untouched.
 */
void dk_clear_error(void);

/**
 * dk_log_set_output() - where kernel-log messages (dev_err, warnings,
 * swiotlb full, BUG: lines) go from now on, for every thread.
 * @stdio_file: a stdio FILE * opened for writing, or NULL for stderr (the
 *              default). dmakit never closes it; it must stay open while
 *              it is the output.
 *
 * Context: set it before threads log; the switch is not synchronised
 * with messages being written.
 */
void dk_log_set_output(void *stdio_file);
/**
 * dk_log_output() - the stream kernel-log messages go to.
 *
 * Return: the FILE * given to dk_log_set_output(), or stderr if none
 * (or NULL) was. Never NULL.
 */
void *dk_log_output(void);

#ifdef __cplusplus
}
#endif

#endif
