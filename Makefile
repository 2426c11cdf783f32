# dmakit build. Plain make: the project is one library, one tool and one
# test binary, and every build variant (normal, clang, ASan+UBSan, fuzz) is
# this same file run with another BUILD directory and flags.

CC       ?= cc
BUILD    ?= build
PREFIX   ?= /usr/local
# Debian's multiarch layout is LIBDIR=$(PREFIX)/lib/x86_64-linux-gnu.
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share
VERSION  := 0.1.0
SOVERSION := 0
OPT      ?= -O2 -g
SAN      ?=
WERROR   ?=
# Frame pointers: the checker records each mapping's call chain by them.
CFLAGS_ALL = -std=gnu11 $(OPT) $(SAN) -Wall -Wextra $(WERROR) -fPIC \
	     -fno-omit-frame-pointer -fvisibility=default $(CFLAGS)
CPPFLAGS_ALL = -Iinclude $(CPPFLAGS)
LDLIBS_ALL = -lfdt -ldw -lelf -lpthread $(LDLIBS)

LIB_SRCS := $(sort $(wildcard src/*/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/src/sim/default_soc.o
TEST_SRCS := $(sort $(wildcard tests/test_*.c)) tests/harness.c tests/testsoc.c \
	     $(wildcard tests/linux/*.c)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
HEADERS := $(wildcard include/dmakit/*.h include/dmakit/*/*.h) \
	   $(wildcard src/*/*.h) $(wildcard tools/*.h) $(wildcard stories/*.h) \
	   tests/harness.h tests/workload.h \
	   tests/testsoc.h tests/sweep/sweep.h $(wildcard drivers/*/*.h) \
	   tests/vm/guest.h

MAN_PAGES := $(patsubst man/%.scd,$(BUILD)/man/%,$(wildcard man/*.scd))

all: $(BUILD)/libdmakit.a $(BUILD)/libdmakit.so $(BUILD)/dmakit \
     $(BUILD)/dmakit-tests $(BUILD)/dmakit-soak $(BUILD)/dmakit-sweep \
     $(BUILD)/harness-selftest $(BUILD)/vm-guest-tests $(MAN_PAGES)

# Man pages from scdoc sources (man/*.scd).
$(BUILD)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@

$(BUILD)/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

# Driver files written against Linux: the <linux/...> tree and nothing of
# dmakit's own included directly (the tree forwards to dmakit).
COMPAT_HEADERS := $(shell find include/linux-compat -name '*.h')
# The warnings are the kernel's own build's: -Wextra's unused-parameter,
# sign-compare and missing-field-initializers are off there too.
KERNEL_WARNINGS := -Wno-unused-parameter -Wno-sign-compare \
		   -Wno-missing-field-initializers
# Each file is its own module, named after it, as kbuild names them.
$(BUILD)/tests/linux/%.o: tests/linux/%.c $(HEADERS) $(COMPAT_HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) -Iinclude/linux-compat -Iinclude $(CPPFLAGS) $(CFLAGS_ALL) \
		$(KERNEL_WARNINGS) -DKBUILD_MODNAME='"$(notdir $*)"' -c $< -o $@

# The library's side of the <linux/...> tree (src/linux): Linux-only names
# declared there, so built against it.
$(BUILD)/src/linux/%.o: src/linux/%.c $(HEADERS) $(COMPAT_HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) -Iinclude/linux-compat $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/default.dtb: dts/default.dts $(wildcard dts/*.dtsi)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(BUILD)/src/sim/default_soc.o: src/sim/default_soc.S $(BUILD)/default.dtb
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -c -DDK_DEFAULT_DTB='"$(BUILD)/default.dtb"' $< -o $@

$(BUILD)/libdmakit.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# Only what the installed headers declare is exported (scripts/exports.sh).
# gcc lists the declarations whatever compiler builds: clang has no
# -aux-info.
$(BUILD)/dmakit.map: scripts/exports.sh scripts/public-api.sh $(wildcard include/dmakit/*.h \
		     include/dmakit/*/*.h) $(COMPAT_HEADERS)
	@mkdir -p $(dir $@)
	sh scripts/exports.sh gcc $@

$(BUILD)/libdmakit.so: $(LIB_OBJS) $(BUILD)/dmakit.map
	$(CC) $(SAN) -shared -Wl,-soname,libdmakit.so.$(SOVERSION) \
		-Wl,--version-script=$(BUILD)/dmakit.map -o $@ $(LIB_OBJS) \
		$(LDLIBS_ALL)

TOOL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard tools/*.c) \
	     $(wildcard stories/*.c)))

$(BUILD)/dmakit: $(TOOL_OBJS) $(BUILD)/drivers/edu/edu.o $(BUILD)/libdmakit.a
	$(CC) $(SAN) -rdynamic -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/dmakit-tests: $(TEST_OBJS) $(BUILD)/libdmakit.a
	$(CC) $(SAN) -rdynamic -o $@ $^ $(LDLIBS_ALL)

# The harness's own cases (tests/harness.sh).
$(BUILD)/harness-selftest: $(BUILD)/tests/harness_selftest.o \
			   $(BUILD)/tests/harness.o
	$(CC) $(SAN) -o $@ $^

# The tests make vm-check runs inside its guest, with the edu driver.
$(BUILD)/vm-guest-tests: $(BUILD)/tests/vm/guest_tests.o \
			 $(BUILD)/tests/vm/guest_msix.o \
			 $(BUILD)/tests/vm/guest_noiommu.o \
			 $(BUILD)/drivers/edu/edu.o $(BUILD)/libdmakit.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# The hostile-input sweep (tests/sweep.sh runs it with its inventory).
SWEEP_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard tests/sweep/*.c)))

$(BUILD)/dmakit-sweep: $(SWEEP_OBJS) $(BUILD)/libdmakit.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# The random differential soak (tests/soak.c over tests/workload.c).
$(BUILD)/dmakit-soak: $(BUILD)/tests/soak.o $(BUILD)/tests/workload.o \
		      $(BUILD)/libdmakit.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# The fuzz targets need clang's libFuzzer. They link a private copy of the
# library compiled with coverage (-fsanitize=fuzzer-no-link), so the
# fuzzer sees inside it; libdmakit.a is built without it.
FUZZ_LIB := $(BUILD)/fuzz-lib/libdmakit-fuzz.a

$(FUZZ_LIB): $(LIB_SRCS) $(HEADERS) $(BUILD)/src/sim/default_soc.o Makefile
	rm -rf $(BUILD)/fuzz-lib && mkdir -p $(BUILD)/fuzz-lib
	for s in $(LIB_SRCS); do \
		$(CC) $$(case $$s in src/linux/*) echo -Iinclude/linux-compat;; esac) \
			$(CPPFLAGS_ALL) $(CFLAGS_ALL) -fsanitize=fuzzer-no-link \
			-c $$s -o $(BUILD)/fuzz-lib/$$(echo $$s | tr / _).o \
			|| exit 1; \
	done
	ar rcs $@ $(BUILD)/fuzz-lib/*.o $(BUILD)/src/sim/default_soc.o

$(BUILD)/fuzz-soc-loader: tests/fuzz_soc_loader.c $(FUZZ_LIB)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_LIB) $(LDLIBS_ALL)

# Call sequences of the DMA API: the soak's workload, driven by the input.
$(BUILD)/fuzz-dma-api: tests/fuzz_dma_api.c tests/workload.c \
		       tests/workload.h $(FUZZ_LIB)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ \
		tests/fuzz_dma_api.c tests/workload.c $(FUZZ_LIB) $(LDLIBS_ALL)

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(INCLUDEDIR)/dmakit/models \
		$(DESTDIR)$(INCLUDEDIR)/dmakit/linux-compat/linux/spi \
		$(DESTDIR)$(DATADIR)/dmakit/dts \
		$(DESTDIR)$(DATADIR)/doc/dmakit/examples \
		$(DESTDIR)$(DATADIR)/man/man1
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(DATADIR)/man/man1/
	install -m 644 $(BUILD)/libdmakit.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/libdmakit.so \
		$(DESTDIR)$(LIBDIR)/libdmakit.so.$(VERSION)
	ln -sf libdmakit.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libdmakit.so.$(SOVERSION)
	ln -sf libdmakit.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libdmakit.so
	install -m 755 $(BUILD)/dmakit $(DESTDIR)$(BINDIR)/
	install -m 644 include/dmakit/*.h $(DESTDIR)$(INCLUDEDIR)/dmakit/
	install -m 644 include/dmakit/models/*.h \
		$(DESTDIR)$(INCLUDEDIR)/dmakit/models/
	for h in $(COMPAT_HEADERS); do \
		install -D -m 644 $$h \
			$(DESTDIR)$(INCLUDEDIR)/dmakit/$${h#include/} || exit 1; \
	done
	install -m 644 dts/*.dts dts/*.dtsi $(DESTDIR)$(DATADIR)/dmakit/dts/
	install -m 644 README.md LICENSE NEWS docs/*.md docs/*.svg \
		$(DESTDIR)$(DATADIR)/doc/dmakit/
	install -m 644 examples/*.c $(DESTDIR)$(DATADIR)/doc/dmakit/examples/
	if [ -d $(BUILD)/docs/html ]; then \
		install -d $(DESTDIR)$(DATADIR)/doc/dmakit/html && \
		install -m 644 $(BUILD)/docs/html/* \
			$(DESTDIR)$(DATADIR)/doc/dmakit/html/; \
	fi
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		dmakit.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/dmakit.pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		dmakit-linux.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/dmakit-linux.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libdmakit.a \
		$(DESTDIR)$(LIBDIR)/libdmakit.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libdmakit.so.$(SOVERSION) \
		$(DESTDIR)$(LIBDIR)/libdmakit.so \
		$(DESTDIR)$(LIBDIR)/pkgconfig/dmakit.pc \
		$(DESTDIR)$(LIBDIR)/pkgconfig/dmakit-linux.pc \
		$(DESTDIR)$(BINDIR)/dmakit
	rm -f $(patsubst $(BUILD)/man/%,$(DESTDIR)$(DATADIR)/man/man1/%,$(MAN_PAGES))
	rm -rf $(DESTDIR)$(INCLUDEDIR)/dmakit $(DESTDIR)$(DATADIR)/dmakit \
		$(DESTDIR)$(DATADIR)/doc/dmakit

# The API reference from the headers' kernel-doc comments (doxygen, see
# Doxyfile); a public function without its contract fails the build.
docs: deps
	rm -rf $(BUILD)/docs && mkdir -p $(BUILD)/docs
	DMAKIT_DOCS=$(BUILD)/docs DMAKIT_VERSION=$(VERSION) doxygen Doxyfile
	sh scripts/docs-warnings.sh $(BUILD)/docs/warnings

deps:
	@sh scripts/deps.sh $(MAKECMDGOALS)

demo: deps
	$(MAKE) all
	./$(BUILD)/dmakit soc show
	./$(BUILD)/dmakit stories

check: deps
	@sh tests/run-all.sh

# The host platform over VFIO in a QEMU guest (tests/vm/vm-check.sh).
vm-check: deps $(BUILD)/vm-guest-tests $(BUILD)/dmakit
	@sh tests/vm/vm-check.sh $(BUILD)

# The story's SVG rendered by headless Chromium (not in check: see
# tests/render.sh).
check-render: deps all
	@sh tests/render.sh ./$(BUILD)/dmakit

# Longer runs on demand: make soak SOAK_OPS=1000000, make fuzz FUZZ_SECONDS=600
SOAK_OPS ?= 1000000
SOAK_SEED ?= 1
soak: $(BUILD)/dmakit-soak
	./$(BUILD)/dmakit-soak --ops $(SOAK_OPS) --seed $(SOAK_SEED)

fuzz:
	sh tests/fuzz.sh

clean:
	rm -rf build build-*

.PHONY: all install uninstall deps docs demo check vm-check check-render soak fuzz clean
