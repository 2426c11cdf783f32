// SPDX-License-Identifier: MIT
/* Module parameters (<linux/moduleparam.h>). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/moduleparam.h>

#include "linux.h"

/* What a parameter's get operation may write, as sysfs gives it. */
#define PARAM_PAGE 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct kernel_param *params;

void dk_param_register(struct kernel_param *kp)
{
	if (!kp || !kp->name || !kp->ops)
		return;
	pthread_mutex_lock(&lock);
	kp->dk_next = params;
	params = kp;
	pthread_mutex_unlock(&lock);
}

static struct kernel_param *find(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t mlen = dot ? (size_t)(dot - name) : 0;
	const char *pname = dot ? dot + 1 : name;
	struct kernel_param *kp;

	pthread_mutex_lock(&lock);
	for (kp = params; kp; kp = kp->dk_next)
		if (!strcmp(kp->name, pname) &&
		    (!dot || (strlen(kp->mod) == mlen &&
			      !strncmp(kp->mod, name, mlen))))
			break;
	pthread_mutex_unlock(&lock);
	return kp;
}

int dk_param_set(const char *name, const char *val)
{
	struct kernel_param *kp = name && val ? find(name) : NULL;

	if (!name || !val)
		return dk_err(-EINVAL, "dk_param_set: NULL name or value");
	if (!kp)
		return dk_err(-ENOENT, "dk_param_set: no parameter %s", name);
	if (!(kp->perm & 0222) || !kp->ops->set)
		return dk_err(-EPERM, "dk_param_set: %s.%s is read-only",
			      kp->mod, kp->name);
	return kp->ops->set(val, kp);
}

int dk_param_get(const char *name, char *buf, size_t len)
{
	struct kernel_param *kp = name && buf ? find(name) : NULL;
	char *page;
	int n;

	if (!name || !buf || !len)
		return dk_err(-EINVAL, "dk_param_get: NULL name or buffer");
	if (!kp)
		return dk_err(-ENOENT, "dk_param_get: no parameter %s", name);
	if (!(kp->perm & 0444) || !kp->ops->get)
		return dk_err(-EPERM, "dk_param_get: %s.%s is not readable",
			      kp->mod, kp->name);
	page = calloc(1, PARAM_PAGE);
	if (!page)
		return dk_err(-ENOMEM, "dk_param_get: out of memory");
	n = kp->ops->get(page, kp);
	if (n >= 0) {
		snprintf(buf, len, "%s", page);
		n = (int)strlen(buf);
	}
	free(page);
	return n;
}

/* Integers: what kstrto*() accepts (base prefixes, one trailing
 * newline), range-checked for the type. */
static int parse(const char *val, bool is_signed, long long min,
		 unsigned long long max, void *out, size_t size)
{
	char *end;
	unsigned long long u = 0;
	long long s = 0;

	errno = 0;
	if (is_signed)
		s = strtoll(val, &end, 0);
	else if (*val != '-')
		u = strtoull(val, &end, 0);
	else
		return -EINVAL;
	if (end == val || errno || (*end && strcmp(end, "\n")))
		return errno == ERANGE ? -ERANGE : -EINVAL;
	if (is_signed ? s < min || s > (long long)max : u > max)
		return -ERANGE;
	if (is_signed)
		u = (unsigned long long)s;
	/* Little-endian host: the low bytes are the value. */
	memcpy(out, &u, size);
	return 0;
}

#define DK_INT_PARAM(type, ctype, is_signed, min, max, fmt)		\
int param_set_##type(const char *val, const struct kernel_param *kp)	\
{									\
	return val ? parse(val, is_signed, min, max, kp->arg,		\
			   sizeof(ctype)) : -EINVAL;			\
}									\
int param_get_##type(char *buffer, const struct kernel_param *kp)	\
{									\
	return snprintf(buffer, PARAM_PAGE, fmt "\n", *(ctype *)kp->arg); \
}									\
const struct kernel_param_ops param_ops_##type = {			\
	0, param_set_##type, param_get_##type, NULL			\
};

DK_INT_PARAM(byte, unsigned char, false, 0, UCHAR_MAX, "%hhu")
DK_INT_PARAM(short, short, true, SHRT_MIN, SHRT_MAX, "%hd")
DK_INT_PARAM(ushort, unsigned short, false, 0, USHRT_MAX, "%hu")
DK_INT_PARAM(int, int, true, INT_MIN, INT_MAX, "%d")
DK_INT_PARAM(uint, unsigned int, false, 0, UINT_MAX, "%u")
DK_INT_PARAM(long, long, true, LONG_MIN, LONG_MAX, "%ld")
DK_INT_PARAM(ulong, unsigned long, false, 0, ULONG_MAX, "%lu")
DK_INT_PARAM(ullong, unsigned long long, false, 0, ULLONG_MAX, "%llu")

/* What Linux's kstrtobool() takes: y/Y/1/on and n/N/0/off; no value
 * means true, as a bare boolean on the command line does. */
static int parse_bool(const char *val, bool *out)
{
	if (!val || !*val || !strcmp(val, "\n")) {
		*out = true;
		return 0;
	}
	switch (val[0]) {
	case 'y': case 'Y': case '1':
		*out = true;
		return 0;
	case 'n': case 'N': case '0':
		*out = false;
		return 0;
	case 'o': case 'O':
		if (val[1] == 'n' || val[1] == 'N') {
			*out = true;
			return 0;
		}
		if (val[1] == 'f' || val[1] == 'F') {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	return parse_bool(val, kp->arg);
}

int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return snprintf(buffer, PARAM_PAGE, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_bool = {
	0, param_set_bool, param_get_bool, NULL
};

int param_set_invbool(const char *val, const struct kernel_param *kp)
{
	bool v;
	int r = parse_bool(val, &v);

	if (!r)
		*(bool *)kp->arg = !v;
	return r;
}

int param_get_invbool(char *buffer, const struct kernel_param *kp)
{
	return snprintf(buffer, PARAM_PAGE, "%c\n", *(bool *)kp->arg ? 'N' : 'Y');
}

const struct kernel_param_ops param_ops_invbool = {
	0, param_set_invbool, param_get_invbool, NULL
};

/* The previous string set stays allocated: the driver may hold it. */
int param_set_charp(const char *val, const struct kernel_param *kp)
{
	char *s;

	if (!val)
		return -EINVAL;
	if (strlen(val) > 1024)
		return -ENOSPC;
	s = strdup(val);
	if (!s)
		return -ENOMEM;
	s[strcspn(s, "\n")] = '\0';
	*(char **)kp->arg = s;
	return 0;
}

int param_get_charp(char *buffer, const struct kernel_param *kp)
{
	const char *s = *(char **)kp->arg;

	return snprintf(buffer, PARAM_PAGE, "%s\n", s ? s : "(null)");
}

const struct kernel_param_ops param_ops_charp = {
	0, param_set_charp, param_get_charp, NULL
};

int param_set_string(const char *val, const struct kernel_param *kp)
{
	size_t n = val ? strcspn(val, "\n") : 0;

	if (!val)
		return -EINVAL;
	if (n + 1 > kp->str->maxlen)
		return dk_err(-ENOSPC, "%s: string parameter too long",
			      kp->name);
	memcpy(kp->str->string, val, n);
	kp->str->string[n] = '\0';
	return 0;
}

int param_get_string(char *buffer, const struct kernel_param *kp)
{
	return snprintf(buffer, PARAM_PAGE, "%s\n", kp->str->string);
}

const struct kernel_param_ops param_ops_string = {
	0, param_set_string, param_get_string, NULL
};

/* One element of an array parameter, as its type's ops see it. */
static struct kernel_param elem_param(const struct kernel_param *kp,
				      unsigned int i)
{
	struct kernel_param e = *kp;

	e.arg = (char *)kp->arr->elem + (size_t)i * kp->arr->elemsize;
	return e;
}

static int param_array_set(const char *val, const struct kernel_param *kp)
{
	const struct kparam_array *a = kp->arr;
	unsigned int count = 0, *num = a->num ? a->num : &count;
	char *copy, *v, *comma;
	int r = 0;

	if (!val)
		return -EINVAL;
	copy = strdup(val);
	if (!copy)
		return -ENOMEM;
	copy[strcspn(copy, "\n")] = '\0';
	*num = 0;
	for (v = copy; v; v = comma ? comma + 1 : NULL) {
		struct kernel_param e;

		if (*num == a->max) {
			r = dk_err(-EINVAL, "%s: can only take %u arguments",
				   kp->name, a->max);
			break;
		}
		comma = strchr(v, ',');
		if (comma)
			*comma = '\0';
		e = elem_param(kp, *num);
		r = a->ops->set(v, &e);
		if (r)
			break;
		(*num)++;
	}
	free(copy);
	return r;
}

static int param_array_get(char *buffer, const struct kernel_param *kp)
{
	const struct kparam_array *a = kp->arr;
	unsigned int i, n = a->num ? *a->num : a->max;
	char *one = malloc(PARAM_PAGE);
	size_t off = 0;
	int r = 0;

	if (!one)
		return -ENOMEM;
	if (n > a->max)
		n = a->max;
	for (i = 0; i < n && r >= 0; i++) {
		struct kernel_param e = elem_param(kp, i);
		size_t len;

		one[0] = '\0';
		r = a->ops->get(one, &e);
		/* Each element's text ends in a newline: drop it, a comma
		 * separates them and one newline ends the list. */
		len = strcspn(one, "\n");
		if (r >= 0 && off + !!i + len < PARAM_PAGE - 1) {
			if (i)
				buffer[off++] = ',';
			memcpy(buffer + off, one, len);
			off += len;
		}
	}
	free(one);
	if (r < 0)
		return r;
	/* No values, no line: an empty file, as Linux's. */
	if (n)
		buffer[off++] = '\n';
	buffer[off] = '\0';
	return (int)off;
}

const struct kernel_param_ops param_array_ops = {
	0, param_array_set, param_array_get, NULL
};
