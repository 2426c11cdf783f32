# dmakit build. Plain make: the project is one library, one tool and one
# test binary, and every build variant (normal, clang, ASan+UBSan, fuzz) is
# this same file run with another BUILD directory and flags.

CC       ?= cc
BUILD    ?= build
PREFIX   ?= /usr/local
OPT      ?= -O2 -g
SAN      ?=
WERROR   ?=
# Frame pointers: the checker records each mapping's call chain by them.
CFLAGS_ALL = -std=gnu11 $(OPT) $(SAN) -Wall -Wextra $(WERROR) -fPIC \
	     -fno-omit-frame-pointer -fvisibility=default $(CFLAGS)
CPPFLAGS_ALL = -Iinclude $(CPPFLAGS)
LDLIBS_ALL = -lfdt -lpthread $(LDLIBS)

LIB_SRCS := $(sort $(wildcard src/*/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/src/sim/default_soc.o
TEST_SRCS := $(sort $(wildcard tests/test_*.c)) tests/harness.c tests/testsoc.c
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
HEADERS := $(wildcard include/dmakit/*.h include/dmakit/*/*.h) \
	   $(wildcard src/*/*.h) $(wildcard tools/*.h) $(wildcard stories/*.h) \
	   tests/harness.h tests/workload.h \
	   tests/testsoc.h

all: $(BUILD)/libdmakit.a $(BUILD)/libdmakit.so $(BUILD)/dmakit \
     $(BUILD)/dmakit-tests $(BUILD)/dmakit-soak

$(BUILD)/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/default.dtb: dts/default.dts $(wildcard dts/*.dtsi)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

$(BUILD)/src/sim/default_soc.o: src/sim/default_soc.S $(BUILD)/default.dtb
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -c -DDK_DEFAULT_DTB='"$(BUILD)/default.dtb"' $< -o $@

$(BUILD)/libdmakit.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libdmakit.so: $(LIB_OBJS)
	$(CC) $(SAN) -shared -Wl,-soname,libdmakit.so.0 -o $@ $^ $(LDLIBS_ALL)

TOOL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard tools/*.c) \
	     $(wildcard stories/*.c)))

$(BUILD)/dmakit: $(TOOL_OBJS) $(BUILD)/libdmakit.a
	$(CC) $(SAN) -rdynamic -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/dmakit-tests: $(TEST_OBJS) $(BUILD)/libdmakit.a
	$(CC) $(SAN) -rdynamic -o $@ $^ $(LDLIBS_ALL)

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
		$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -fsanitize=fuzzer-no-link \
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
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/include/dmakit/models \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(BUILD)/libdmakit.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libdmakit.so $(DESTDIR)$(PREFIX)/lib/libdmakit.so.0
	ln -sf libdmakit.so.0 $(DESTDIR)$(PREFIX)/lib/libdmakit.so
	install -m 755 $(BUILD)/dmakit $(DESTDIR)$(PREFIX)/bin/
	install -m 644 include/dmakit/*.h $(DESTDIR)$(PREFIX)/include/dmakit/
	install -m 644 include/dmakit/models/*.h \
		$(DESTDIR)$(PREFIX)/include/dmakit/models/
	sed -e 's|@PREFIX@|$(PREFIX)|' dmakit.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/dmakit.pc

deps:
	@sh scripts/deps.sh

demo: deps
	$(MAKE) all
	./$(BUILD)/dmakit soc show
	./$(BUILD)/dmakit stories

check: deps
	@sh tests/run-all.sh

# Longer runs on demand: make soak SOAK_OPS=1000000, make fuzz FUZZ_SECONDS=600
SOAK_OPS ?= 1000000
SOAK_SEED ?= 1
soak: $(BUILD)/dmakit-soak
	./$(BUILD)/dmakit-soak --ops $(SOAK_OPS) --seed $(SOAK_SEED)

fuzz:
	sh tests/fuzz.sh

clean:
	rm -rf build build-*

.PHONY: all install deps demo check soak fuzz clean
