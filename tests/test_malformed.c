// SPDX-License-Identifier: MIT
/*
 * The loader against malformed input: every tree in tests/malformed/ must be
 * refused with -EINVAL and the message its first line announces; blobs
 * that are truncated, lie in their header or have random bytes flipped must
 * be refused (or loaded) without a crash, a leak or an empty message.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <dmakit/error.h>
#include <dmakit/soc.h>

#include "harness.h"

#define MALFORMED_DIR "tests/malformed"
#define EXPECT_TAG "// expect: "
#define MAX_FILES 256

/* The header fields, as byte offsets into a flattened tree (big endian). */
#define HDR_MAGIC 0
#define HDR_TOTALSIZE 4
#define HDR_OFF_STRUCT 8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP 16
#define HDR_VERSION 20
#define HDR_LAST_COMP 24
#define HDR_SIZE_STRINGS 32
#define HDR_SIZE_STRUCT 36
#define HDR_LEN 40

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* A private, exactly sized copy of the default blob (so overreads show). */
static unsigned char *default_copy(size_t *len)
{
	const void *dtb = dk_soc_default_dtb(len);
	unsigned char *b = malloc(*len);

	if (b)
		memcpy(b, dtb, *len);
	return b;
}

/*
 * Load @len bytes of @blob from an exactly sized heap buffer and expect
 * -EINVAL with a message containing @sub (any message if @sub is NULL).
 */
static void expect_blob_einval(const char *what, const void *blob, size_t len,
			       const char *sub, const char *file, int line)
{
	unsigned char *b = malloc(len ? len : 1);
	struct dk_soc *soc = (struct dk_soc *)&soc;
	int r;

	if (!b) {
		dk_test_fail(file, line, "%s: out of memory", what);
		return;
	}
	memcpy(b, blob, len);
	dk_clear_error();
	r = dk_soc_load_blob(b, len, NULL, &soc);
	if (r != -EINVAL)
		dk_test_fail(file, line, "%s: returned %d, not -EINVAL (%s)",
			     what, r, dk_last_error());
	if (soc) {
		dk_test_fail(file, line, "%s: *out not NULL on failure", what);
		if (!r)
			dk_soc_free(soc);
	}
	if (!dk_last_error()[0])
		dk_test_fail(file, line, "%s: no error message", what);
	else if (sub && !strstr(dk_last_error(), sub))
		dk_test_fail(file, line, "%s: \"%s\" does not contain \"%s\"",
			     what, dk_last_error(), sub);
	free(b);
}

#define EXPECT_BLOB_EINVAL(what, blob, len, sub) \
	expect_blob_einval(what, blob, len, sub, __FILE__, __LINE__)

/* ---- (a) the malformed .dts files */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The substring after "// expect: " on the first line, or NULL. */
static char *read_expect(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
		     line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (strncmp(line, EXPECT_TAG, strlen(EXPECT_TAG)) ||
	    !line[strlen(EXPECT_TAG)])
		return NULL;
	return strdup(line + strlen(EXPECT_TAG));
}

static void check_malformed_file(const char *name)
{
	char path[512];
	struct dk_soc *soc = (struct dk_soc *)&soc;
	char *expect;
	int r;

	snprintf(path, sizeof(path), "%s/%s", MALFORMED_DIR, name);
	expect = read_expect(path);
	if (!expect) {
		dk_test_fail(__FILE__, __LINE__,
			     "%s: first line is not \"%s<substring>\"", path,
			     EXPECT_TAG);
		return;
	}
	dk_clear_error();
	r = dk_soc_load(path, NULL, &soc);
	if (r != -EINVAL)
		dk_test_fail(__FILE__, __LINE__,
			     "%s: returned %d, not -EINVAL (%s)", path, r,
			     dk_last_error());
	if (!strstr(dk_last_error(), expect))
		dk_test_fail(__FILE__, __LINE__,
			     "%s: \"%s\" does not contain \"%s\"", path,
			     dk_last_error(), expect);
	/* dtc must have accepted it: the loader, not dtc, is under test. */
	if (strstr(dk_last_error(), "dtc failed"))
		dk_test_fail(__FILE__, __LINE__,
			     "%s: dtc refuses it, so it tests nothing", path);
	if (soc) {
		dk_test_fail(__FILE__, __LINE__, "%s: *out not NULL", path);
		if (!r)
			dk_soc_free(soc);
	}
	free(expect);
}

TEST(malformed_dts_files)
{
	char *names[MAX_FILES];
	int n = 0, i;
	struct dirent *e;
	DIR *d = opendir(MALFORMED_DIR);

	if (!d) {
		dk_test_fail(__FILE__, __LINE__,
			     "cannot open %s (run from the repository root)",
			     MALFORMED_DIR);
		return;
	}
	while ((e = readdir(d)) && n < MAX_FILES) {
		size_t l = strlen(e->d_name);

		if (l > 4 && !strcmp(e->d_name + l - 4, ".dts"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (names[i])
			check_malformed_file(names[i]);
		free(names[i]);
	}
	CHECK(n >= 20);
}

/* ---- (b) blobs */

TEST(malformed_blob_null_and_empty)
{
	struct dk_soc *soc = (struct dk_soc *)&soc;
	size_t len;
	const void *dtb = dk_soc_default_dtb(&len);

	dk_clear_error();
	CHECK_EQ(dk_soc_load_blob(NULL, 100, NULL, &soc), -EINVAL);
	CHECK(soc == NULL);
	CHECK_STR(dk_last_error(), "NULL");

	dk_clear_error();
	CHECK_EQ(dk_soc_load_blob(dtb, len, NULL, NULL), -EINVAL);
	CHECK(dk_last_error()[0]);

	EXPECT_BLOB_EINVAL("zero length", dtb, 0, "not a flattened device tree");
	EXPECT_BLOB_EINVAL("four bytes", dtb, 4, "not a flattened device tree");
}

TEST(malformed_blob_bad_magic)
{
	size_t len;
	unsigned char *b = default_copy(&len);

	CHECK(b != NULL);
	if (!b)
		return;
	b[0] ^= 0xff;
	EXPECT_BLOB_EINVAL("bad magic", b, len, "bad magic");
	b[0] ^= 0xff;
	b[3] = 0xee;
	EXPECT_BLOB_EINVAL("bad last magic byte", b, len, "bad magic");
	memset(b, 0, len);
	EXPECT_BLOB_EINVAL("all zeroes", b, len, "bad magic");
	free(b);
}

TEST(malformed_blob_header_truncated)
{
	size_t len, n;
	unsigned char *b = default_copy(&len);

	CHECK(b != NULL);
	if (!b)
		return;
	for (n = 0; n < HDR_LEN; n++) {
		char what[64];

		snprintf(what, sizeof(what), "header cut to %zu bytes", n);
		EXPECT_BLOB_EINVAL(what, b, n, "not a flattened device tree");
	}
	free(b);
}

/* Every cut of the default blob short of its full length must fail. */
TEST(malformed_blob_every_truncation)
{
	size_t len, i, n;
	unsigned char *b = default_copy(&len);

	CHECK(b != NULL);
	if (!b)
		return;
	CHECK(len > 100);
	for (i = 0; i <= 40; i++) {
		char what[64];

		n = i < 40 ? len * i / 40 : len - 1;
		snprintf(what, sizeof(what), "cut to %zu of %zu bytes", n,
			 len);
		EXPECT_BLOB_EINVAL(what, b, n, NULL);
	}
	/* A cut past the header names what happened. */
	EXPECT_BLOB_EINVAL("cut by one", b, len - 1, "truncated");
	free(b);
}

/* The same through dk_soc_load(): a truncated .dtb file. */
TEST(malformed_dtb_file_truncated)
{
	char path[] = "/tmp/dmakit-malformed-XXXXXX";
	struct dk_soc *soc = (struct dk_soc *)&soc;
	size_t len;
	const void *dtb = dk_soc_default_dtb(&len);
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(write(fd, dtb, len / 2), len / 2);
	close(fd);
	CHECK_EQ(dk_soc_load(path, NULL, &soc), -EINVAL);
	CHECK(soc == NULL);
	CHECK_STR(dk_last_error(), "truncated");
	unlink(path);
}

/* Header fields that lie about where things are or how big they are. */
TEST(malformed_blob_header_lies)
{
	static const struct {
		const char *what;
		int field;
		int64_t delta;		/* added to the field, or ... */
		uint32_t value;		/* ... this if delta is 0 */
		const char *sub;
	} lies[] = {
		{ "totalsize past the buffer", HDR_TOTALSIZE, 1, 0, "truncated" },
		{ "totalsize 4 GiB", HDR_TOTALSIZE, 0, 0xffffffff, "truncated" },
		{ "totalsize short of the strings", HDR_TOTALSIZE, -16, 0, NULL },
		{ "totalsize inside the header", HDR_TOTALSIZE, 0, 16, NULL },
		{ "totalsize zero", HDR_TOTALSIZE, 0, 0, NULL },
		{ "struct block past the end", HDR_OFF_STRUCT, 0, 0x7ffffff0, NULL },
		{ "struct block inside the header", HDR_OFF_STRUCT, 0, 8, NULL },
		{ "struct block misaligned", HDR_OFF_STRUCT, 1, 0, NULL },
		{ "struct size past totalsize", HDR_SIZE_STRUCT, 0x10000, 0, NULL },
		{ "struct size zero", HDR_SIZE_STRUCT, 0, 0, NULL },
		{ "struct size wraps", HDR_SIZE_STRUCT, 0, 0xfffffffc, NULL },
		{ "strings past the end", HDR_OFF_STRINGS, 0, 0x7ffffff0, NULL },
		{ "strings size too large", HDR_SIZE_STRINGS, 4096, 0, NULL },
		{ "strings size wraps", HDR_SIZE_STRINGS, 0, 0xffffffff, NULL },
		{ "reserve map past the end", HDR_OFF_RSVMAP, 0, 0x7ffffff0, NULL },
		{ "version 1", HDR_VERSION, 0, 1, NULL },
		{ "version 3", HDR_VERSION, 0, 3, NULL },
		{ "last compatible version 0x20", HDR_LAST_COMP, 0, 0x20, NULL },
	};
	size_t len, i;
	unsigned char *b = default_copy(&len);

	CHECK(b != NULL);
	if (!b)
		return;
	for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		uint32_t old = get_be32(b + lies[i].field);

		put_be32(b + lies[i].field, lies[i].delta ?
			 (uint32_t)(old + lies[i].delta) : lies[i].value);
		EXPECT_BLOB_EINVAL(lies[i].what, b, len, lies[i].sub);
		put_be32(b + lies[i].field, old);
	}
	/* Sanity: undoing every lie gives a loadable tree again. */
	{
		struct dk_soc *soc;

		CHECK_EQ(dk_soc_load_blob(b, len, NULL, &soc), 0);
		dk_soc_free(soc);
	}
	free(b);
}

/*
 * Blobs older than version 16 (property names inline) made libfdt's own
 * fdt_check_full() dereference NULL when last_comp_version allowed them.
 */
TEST(malformed_blob_old_versions)
{
	size_t len;
	uint32_t v;
	unsigned char *b = default_copy(&len);
	struct dk_soc *soc;

	CHECK(b != NULL);
	if (!b)
		return;
	for (v = 2; v < 16; v++) {
		char what[64];

		snprintf(what, sizeof(what), "version %u", v);
		put_be32(b + HDR_VERSION, v);
		put_be32(b + HDR_LAST_COMP, 2);
		EXPECT_BLOB_EINVAL(what, b, len, "older than 16");
	}
	/* 16 is the oldest readable one: no size_dt_struct, same blocks. */
	put_be32(b + HDR_VERSION, 16);
	put_be32(b + HDR_LAST_COMP, 16);
	CHECK_EQ(dk_soc_load_blob(b, len, NULL, &soc), 0);
	dk_soc_free(soc);
	free(b);
}

/* Offset of the root node's first property tag in a dtc-made blob. */
static uint32_t first_prop(const unsigned char *b)
{
	/* FDT_BEGIN_NODE, the empty root name padded to 4, FDT_PROP. */
	return get_be32(b + HDR_OFF_STRUCT) + 8;
}

/*
 * libfdt 1.6's fdt_next_tag() loops forever on a property length of -12
 * (the next tag is the same tag); the loader walks the block first.
 */
TEST(malformed_blob_structure_block)
{
	size_t len;
	unsigned char *b = default_copy(&len);
	uint32_t prop;

	CHECK(b != NULL);
	if (!b)
		return;
	prop = first_prop(b);
	CHECK_EQ(get_be32(b + prop), 3);	/* FDT_PROP */
	put_be32(b + prop + 4, 0xfffffff4);
	EXPECT_BLOB_EINVAL("property length -12", b, len,
			   "runs past the structure block");
	put_be32(b + prop + 4, 0x7ffffffc);
	EXPECT_BLOB_EINVAL("property length 2 GiB", b, len,
			   "runs past the structure block");
	memcpy(b, dk_soc_default_dtb(NULL), len);
	put_be32(b + prop + 8, 0x00ffffff);
	EXPECT_BLOB_EINVAL("property name offset", b, len,
			   "outside the strings block");
	memcpy(b, dk_soc_default_dtb(NULL), len);
	put_be32(b + prop, 0x7);
	EXPECT_BLOB_EINVAL("unknown tag", b, len, "unknown tag 0x7");
	memcpy(b, dk_soc_default_dtb(NULL), len);
	put_be32(b + prop, 0x2);	/* FDT_END_NODE: root closes early */
	EXPECT_BLOB_EINVAL("root closed early", b, len,
			   "after the root node ended");
	memcpy(b, dk_soc_default_dtb(NULL), len);
	put_be32(b + HDR_OFF_STRUCT, get_be32(b + HDR_OFF_STRUCT) + 2);
	EXPECT_BLOB_EINVAL("misaligned structure block", b, len, "misaligned");
	memcpy(b, dk_soc_default_dtb(NULL), len);
	put_be32(b + HDR_OFF_RSVMAP, get_be32(b + HDR_OFF_RSVMAP) + 4);
	EXPECT_BLOB_EINVAL("misaligned reservation block", b, len,
			   "misaligned");
	free(b);
}

/*
 * Every 32-bit word of the structure block set in turn to a hostile value
 * (lengths that wrap, point back or run off the end): each variant loads
 * or fails with a message, and none hangs.
 */
TEST(malformed_blob_every_struct_word)
{
	static const uint32_t evil[] = {
		0xfffffff4, 0xfffffffc, 0x7ffffffc, 0xffffffff,
	};
	size_t len, v;
	const unsigned char *dtb = dk_soc_default_dtb(&len);
	unsigned char *b = malloc(len);
	/* Under Valgrind every 7th word (each token kind still gets hit):
	 * a load per word of a grown tree took 70 s there. */
	uint32_t off, start, end, step = dk_test_on_valgrind() ? 28 : 4;

	CHECK(b != NULL);
	if (!b)
		return;
	start = get_be32(dtb + HDR_OFF_STRUCT);
	end = start + get_be32(dtb + HDR_SIZE_STRUCT);
	CHECK(end <= len);
	for (v = 0; v < sizeof(evil) / sizeof(evil[0]); v++) {
		for (off = start; off + 4 <= end; off += step) {
			struct dk_soc *soc = (struct dk_soc *)&soc;
			int r;

			memcpy(b, dtb, len);
			put_be32(b + off, evil[v]);
			dk_clear_error();
			r = dk_soc_load_blob(b, len, NULL, &soc);
			if (!r) {
				dk_soc_free(soc);
				continue;
			}
			if (soc || !dk_last_error()[0])
				dk_test_fail(__FILE__, __LINE__,
					     "word at %u = 0x%x: returned %d, soc %p, \"%s\"",
					     off, evil[v], r, (void *)soc,
					     dk_last_error());
		}
	}
	free(b);
}

/* libfdt wants 8-byte alignment; a blob at any address must still load. */
TEST(malformed_blob_misaligned_buffer)
{
	size_t len, shift;
	const void *dtb = dk_soc_default_dtb(&len);
	unsigned char *buf = malloc(len + 8);

	CHECK(buf != NULL);
	if (!buf)
		return;
	for (shift = 1; shift < 8; shift++) {
		struct dk_soc *soc;

		memcpy(buf + shift, dtb, len);
		CHECK_EQ(dk_soc_load_blob(buf + shift, len, NULL, &soc), 0);
		if (soc)
			CHECK_EQ(dk_soc_nbanks(soc), 2);
		dk_soc_free(soc);
		/* and truncated there, it still fails cleanly */
		EXPECT_BLOB_EINVAL("misaligned and cut", buf + shift, len - 1,
				   "truncated");
	}
	free(buf);
}

/*
 * A tree with extra room at the end (totalsize > the blocks) is legal; the
 * loader must not read past totalsize even if the buffer is larger.
 */
TEST(malformed_blob_buffer_larger_than_tree)
{
	size_t len;
	const void *dtb = dk_soc_default_dtb(&len);
	unsigned char *b = calloc(1, len + 4096);
	struct dk_soc *soc;

	CHECK(b != NULL);
	if (!b)
		return;
	memcpy(b, dtb, len);
	CHECK_EQ(dk_soc_load_blob(b, len + 4096, NULL, &soc), 0);
	dk_soc_free(soc);
	free(b);
}

static uint64_t xorshift64(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Flip 1..4 random bytes of the default blob, 500 times (fixed seed): each
 * variant loads or fails with a message, and never crashes or leaks.
 */
TEST(malformed_blob_random_flips)
{
	uint64_t seed = 0x6d616c666f726d64ULL;	/* "malformd" */
	size_t len, i, k;
	const void *dtb = dk_soc_default_dtb(&len);
	unsigned char *b = malloc(len);
	int loaded = 0, refused = 0;

	CHECK(b != NULL);
	if (!b)
		return;
	for (i = 0; i < 500; i++) {
		struct dk_soc *soc = (struct dk_soc *)&soc;
		int nflips = 1 + xorshift64(&seed) % 4, r;

		memcpy(b, dtb, len);
		for (k = 0; k < (size_t)nflips; k++) {
			size_t at = xorshift64(&seed) % len;
			unsigned char x = 1 + xorshift64(&seed) % 255;

			b[at] ^= x;
		}
		dk_clear_error();
		r = dk_soc_load_blob(b, len, NULL, &soc);
		if (!r) {
			loaded++;
			if (!soc || dk_soc_nbanks(soc) < 1)
				dk_test_fail(__FILE__, __LINE__,
					     "variant %zu: loaded without RAM", i);
			dk_soc_free(soc);
		} else {
			refused++;
			if (r != -EINVAL && r != -ENOMEM)
				dk_test_fail(__FILE__, __LINE__,
					     "variant %zu: returned %d (%s)", i,
					     r, dk_last_error());
			if (soc)
				dk_test_fail(__FILE__, __LINE__,
					     "variant %zu: *out not NULL", i);
			if (!dk_last_error()[0])
				dk_test_fail(__FILE__, __LINE__,
					     "variant %zu: failed (%d) without a message",
					     i, r);
		}
	}
	/* Both outcomes must actually occur, or the test tests nothing. */
	CHECK(loaded > 0);
	CHECK(refused > 0);
	free(b);
}

/* ---- (c) files */

TEST(malformed_missing_file)
{
	const char *path = MALFORMED_DIR "/no-such-file.dts";
	struct dk_soc *soc = (struct dk_soc *)&soc;

	CHECK_EQ(dk_soc_load(path, NULL, &soc), -ENOENT);
	CHECK(soc == NULL);
	CHECK_STR(dk_last_error(), path);
}

/* Write @text to a temporary .dts and load it. */
static int load_text(const char *text, struct dk_soc **soc)
{
	char path[] = "/tmp/dmakit-malformed-XXXXXX.dts";
	int fd = mkstemps(path, 4), r;
	size_t n = strlen(text);

	*soc = NULL;
	if (fd < 0)
		return -errno;
	if (write(fd, text, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	r = dk_soc_load(path, NULL, soc);
	unlink(path);
	return r;
}

TEST(malformed_dts_syntax_error)
{
	struct dk_soc *soc;

	CHECK_EQ(load_text("/dts-v1/;\n/ {\n\tmodel = \"x\"\n\tfoo = <1;\n};\n",
			   &soc), -EINVAL);
	CHECK(soc == NULL);
	CHECK_STR(dk_last_error(), "dtc failed");
	CHECK_EQ(load_text("", &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "dtc failed");
}

/* ---- regressions: trees the loader used to mishandle */

#define TREE_HEAD                                                        \
	"/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n"

/* A device with several "reg" entries overflowed a one-entry buffer. */
TEST(malformed_regress_device_with_several_regs)
{
	struct dk_soc *soc;
	const struct dk_devdesc *d;

	CHECK_EQ(load_text(TREE_HEAD
			   "\tmemory@80000000 { device_type = \"memory\";"
			   " reg = <0 0x80000000 0 0x10000000>; };\n"
			   "\tsoc { compatible = \"simple-bus\";"
			   " #address-cells = <2>; #size-cells = <2>; ranges;\n"
			   "\t\tm@10000000 { compatible = \"dmakit,generic-master\";"
			   " reg = <0 0x10000000 0 0x1000>, <0 0x10001000 0 0x2000>,"
			   " <0 0x10004000 0 0x4000>; };\n\t};\n};\n", &soc), 0);
	if (!soc)
		return;
	CHECK_EQ(dk_soc_ndevs(soc), 1);
	d = dk_simdev_desc(dk_soc_dev(soc, 0));
	CHECK_EQ(d->reg, 0x10000000);
	CHECK_EQ(d->reg_size, 0x1000);
	dk_soc_free(soc);
}

/* "iommus" recorded an uninitialised path for the IOMMU. */
TEST(malformed_regress_iommus_path)
{
	struct dk_soc *soc;
	const struct dk_devdesc *d;

	CHECK_EQ(load_text(TREE_HEAD
			   "\tmemory@80000000 { device_type = \"memory\";"
			   " reg = <0 0x80000000 0 0x10000000>; };\n"
			   "\tsoc { compatible = \"simple-bus\";"
			   " #address-cells = <2>; #size-cells = <2>; ranges;\n"
			   "\t\tsmmu: iommu@10100000 { compatible = \"dmakit,iommu\";"
			   " reg = <0 0x10100000 0 0x10000>; #iommu-cells = <1>; };\n"
			   "\t\tm@10000000 { compatible = \"dmakit,generic-master\";"
			   " reg = <0 0x10000000 0 0x1000>; iommus = <&smmu 0x42>; };\n"
			   "\t};\n};\n", &soc), 0);
	if (!soc)
		return;
	d = dk_simdev_desc(dk_soc_find_dev(soc, "m@10000000"));
	CHECK(d != NULL);
	if (d) {
		CHECK_STR(d->iommu, "/soc/iommu@10100000");
		CHECK_EQ(d->n_iommu_args, 1);
		CHECK_EQ(d->iommu_args[0], 0x42);
	}
	dk_soc_free(soc);
}

/*
 * A dynamic region was checked against itself at address 0 while being
 * placed, so one larger than half of RAM at 0 never fitted.
 */
TEST(malformed_regress_dynamic_region_low_ram)
{
	struct dk_soc *soc;
	const struct dk_rmem *rm;

	CHECK_EQ(load_text(TREE_HEAD
			   "\tmemory@0 { device_type = \"memory\";"
			   " reg = <0 0 0 0x8000000>; };\n"
			   "\treserved-memory { #address-cells = <2>;"
			   " #size-cells = <2>; ranges;\n"
			   "\t\tlinux,cma { compatible = \"shared-dma-pool\";"
			   " reusable; size = <0 0x4001000>; };\n\t};\n};\n",
			   &soc), 0);
	if (!soc) {
		printf("    %s\n", dk_last_error());
		return;
	}
	CHECK_EQ(dk_soc_nrmem(soc), 1);
	rm = dk_soc_rmem(soc, 0);
	CHECK_EQ(rm->base, 0x8000000 - 0x4001000);
	CHECK_EQ(rm->size, 0x4001000);
	dk_soc_free(soc);
}

/* Dynamic regions go below static ones in the way, top-down. */
TEST(malformed_regress_dynamic_region_below_static)
{
	struct dk_soc *soc;
	const struct dk_rmem *rm;

	CHECK_EQ(load_text(TREE_HEAD
			   "\tmemory@0 { device_type = \"memory\";"
			   " reg = <0 0 0 0x8000000>; };\n"
			   "\treserved-memory { #address-cells = <2>;"
			   " #size-cells = <2>; ranges;\n"
			   "\t\tlinux,cma { compatible = \"shared-dma-pool\";"
			   " reusable; size = <0 0x2000000>;"
			   " alignment = <0 0x1000000>; };\n"
			   "\t\tfw@7800000 { no-map; reg = <0 0x7800000 0 0x800000>; };\n"
			   "\t\tfw@5000000 { no-map; reg = <0 0x5000000 0 0x1000>; };\n"
			   "\t};\n};\n", &soc), 0);
	if (!soc) {
		printf("    %s\n", dk_last_error());
		return;
	}
	CHECK_EQ(dk_soc_nrmem(soc), 3);
	rm = dk_soc_rmem(soc, 0);
	CHECK_STR(rm->name, "linux,cma");
	/* 0x6000000 would end at 0x8000000 (hits fw@7800000), 0x5000000
	 * starts on fw@5000000; 0x3000000 is the first free 16 MiB slot. */
	CHECK_EQ(rm->base, 0x3000000);
	dk_soc_free(soc);
}

/* "#size-cells = 0" on a bus used to say "length 12 is not a multiple of 12". */
TEST(malformed_regress_ranges_without_sizes)
{
	struct dk_soc *soc;

	CHECK_EQ(load_text(TREE_HEAD
			   "\tmemory@80000000 { device_type = \"memory\";"
			   " reg = <0 0x80000000 0 0x10000000>; };\n"
			   "\tsoc { compatible = \"simple-bus\";"
			   " #address-cells = <1>; #size-cells = <0>;"
			   " dma-ranges = <0 0 0x80000000>;\n"
			   "\t\tm { compatible = \"dmakit,generic-master\"; };\n"
			   "\t};\n};\n", &soc), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "node /soc: property \"dma-ranges\": the node has #size-cells = 0");
}

/* The bank limit is counted over the whole tree, and says so. */
TEST(malformed_regress_too_many_banks)
{
	char text[16384], *p = text;
	struct dk_soc *soc;
	int i;

	p += sprintf(p, TREE_HEAD);
	for (i = 0; i < 65; i++)
		p += sprintf(p, "\tmemory@%x { device_type = \"memory\";"
			     " reg = <0 0x%x 0 0x1000>; };\n",
			     0x80000000 + i * 0x10000, 0x80000000 + i * 0x10000);
	sprintf(p, "};\n");
	CHECK_EQ(load_text(text, &soc), -EINVAL);
	CHECK_STR(dk_last_error(), "more than 64 memory banks in the tree");
}
