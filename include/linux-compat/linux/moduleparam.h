/* SPDX-License-Identifier: MIT */
/*
 * <linux/moduleparam.h> for driver code built against dmakit: module
 * parameters. Each module_param*() registers its parameter, before
 * main(), under the module's name (KBUILD_MODNAME) and its own; a
 * program sets and reads them with dk_param_set() and dk_param_get() as
 * it would write and read /sys/module/<module>/parameters/<name> (or
 * pass them to modprobe): through the parameter's ops, so a parameter
 * with callbacks (module_param_cb()) runs them.
 */
#ifndef DMAKIT_COMPAT_LINUX_MODULEPARAM_H
#define DMAKIT_COMPAT_LINUX_MODULEPARAM_H

#include <linux/kernel.h>
#include <linux/stat.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kernel_param;

/** struct kernel_param_ops - how a parameter is set and read. */
struct kernel_param_ops {
	/** @flags: accepted */
	unsigned int flags;
	/** @set: parse @val into the parameter: 0 or -errno */
	int (*set)(const char *val, const struct kernel_param *kp);
	/** @get: print it into @buffer (a page): its length or -errno */
	int (*get)(char *buffer, const struct kernel_param *kp);
	/** @free: accepted; unused */
	void (*free)(void *arg);
};

/** struct kparam_string - the storage of a module_param_string(). */
struct kparam_string {
	unsigned int maxlen;
	char *string;
};

/**
 * struct kparam_array - the storage of a module_param_array(): an array
 * of @max elements of one parameter type, and where the count of those
 * last set goes.
 */
struct kparam_array {
	/** @max: elements in the array */
	unsigned int max;
	/** @elemsize: bytes per element */
	unsigned int elemsize;
	/** @num: set to how many values the last write gave; may be NULL */
	unsigned int *num;
	/** @ops: the element type's (param_ops_int...) */
	const struct kernel_param_ops *ops;
	/** @elem: the array */
	void *elem;
};

/** struct kernel_param - one parameter. */
struct kernel_param {
	const char *name;
	const char *mod;		/* KBUILD_MODNAME */
	const struct kernel_param_ops *ops;
	u16 perm;
	union {
		void *arg;
		const struct kparam_string *str;
		const struct kparam_array *arr;
	};
	struct kernel_param *dk_next;
};

/**
 * dk_param_register() - what module_param*() expands to: list @kp.
 * @kp: the parameter; it lives as long as the program.
 */
void dk_param_register(struct kernel_param *kp);

/**
 * dk_param_set() - set a parameter as writing its sysfs file does.
 * @name: "module.param", or "param" for the first of that name.
 * @val: the text written.
 *
 * Return: the set operation's result; -ENOENT for no such parameter,
 * -EPERM if its permissions do not let it be written, -EINVAL for NULL.
 */
int dk_param_set(const char *name, const char *val);

/**
 * dk_param_get() - read a parameter as reading its sysfs file does.
 * @name: as for dk_param_set().
 * @buf: where the text goes, NUL-terminated.
 * @len: its size.
 *
 * Return: the length of the text (cut to fit), or as dk_param_set()
 * (-EPERM if it is not readable), or the get operation's error.
 */
int dk_param_get(const char *name, char *buf, size_t len);

/* The standard parameter types: param_ops_<type>, param_set_<type>,
 * param_get_<type>. */
#define DK_PARAM_TYPE(type)						\
	extern const struct kernel_param_ops param_ops_##type;		\
	int param_set_##type(const char *val, const struct kernel_param *kp); \
	int param_get_##type(char *buffer, const struct kernel_param *kp);
DK_PARAM_TYPE(byte)
DK_PARAM_TYPE(short)
DK_PARAM_TYPE(ushort)
DK_PARAM_TYPE(int)
DK_PARAM_TYPE(uint)
DK_PARAM_TYPE(long)
DK_PARAM_TYPE(ulong)
DK_PARAM_TYPE(ullong)
DK_PARAM_TYPE(bool)
DK_PARAM_TYPE(invbool)
DK_PARAM_TYPE(charp)
DK_PARAM_TYPE(string)
#undef DK_PARAM_TYPE

/*
 * param_array_ops: the ops of a module_param_array(). Writing takes
 * comma-separated values ("1,2,3"), each parsed by the element type's set
 * operation into the next element; more than the array holds is -EINVAL
 * ("can only take N arguments") and a bad value the element's error (the
 * elements before it and the count stay as far as they got, as Linux
 * leaves them). Reading gives the values set last, comma-separated, with
 * one newline ("1,2,3\n"; nothing at all before any was set); all @max
 * of them when @num is NULL.
 */
extern const struct kernel_param_ops param_array_ops;

/* The C type behind each parameter type, checked at compile time. */
#define __dk_param_ctype_byte		unsigned char
#define __dk_param_ctype_short		short
#define __dk_param_ctype_ushort		unsigned short
#define __dk_param_ctype_int		int
#define __dk_param_ctype_uint		unsigned int
#define __dk_param_ctype_long		long
#define __dk_param_ctype_ulong		unsigned long
#define __dk_param_ctype_ullong		unsigned long long
#define __dk_param_ctype_bool		bool
#define __dk_param_ctype_invbool	bool
#define __dk_param_ctype_charp		char *
/* A bool type argument has become _Bool by the time it is pasted. */
#define __dk_param_ctype__Bool		bool
#define param_ops__Bool			param_ops_bool

#define module_param_cb(name, ops, arg, perm)				\
	static struct kernel_param __dk_param_##name = {		\
		#name, KBUILD_MODNAME, ops, perm, { arg }, NULL		\
	};								\
	static void __attribute__((constructor)) __dk_param_reg_##name(void) \
	{								\
		dk_param_register(&__dk_param_##name);			\
	}

/* Linux accepts an int for a uint parameter (and the reverse) without
 * a word; only the size is checked here, as a wrong one would corrupt
 * memory. */
#define module_param_named(name, value, type, perm)			\
	_Static_assert(sizeof(value) == sizeof(__dk_param_ctype_##type), \
		       "module_param " #name ": not a " #type);		\
	module_param_cb(name, &param_ops_##type, &(value), perm)

#define module_param(name, type, perm)					\
	module_param_named(name, name, type, perm)

#define module_param_string(name, string, len, perm)			\
	static const struct kparam_string __dk_pstr_##name = {		\
		len, string						\
	};								\
	module_param_cb(name, &param_ops_string,			\
			(void *)&__dk_pstr_##name, perm)

/* Like module_param_named(), only the size of the element is checked. */
#define module_param_array_named(name, array, type, nump, perm)	\
	_Static_assert(sizeof((array)[0]) == sizeof(__dk_param_ctype_##type), \
		       "module_param_array " #name ": not a " #type);	\
	static const struct kparam_array __dk_parr_##name = {		\
		ARRAY_SIZE(array), sizeof((array)[0]), nump,		\
		&param_ops_##type, (array)				\
	};								\
	module_param_cb(name, &param_array_ops,				\
			(void *)&__dk_parr_##name, perm)

#define module_param_array(name, type, nump, perm)			\
	module_param_array_named(name, name, type, nump, perm)

#define MODULE_PARM_DESC(name, desc)					\
	static const char __dk_parm_desc_##name[]			\
		__attribute__((unused)) = #name ":" desc

#ifdef __cplusplus
}
#endif

#endif
