// SPDX-License-Identifier: MIT
/*
 * I2C target ("slave") mode through the core, as Linux's bus drivers and
 * backends use it: a backend registers a client with
 * i2c_slave_register(), the bus driver's reg_slave takes its address,
 * and what a remote controller does reaches the backend as
 * i2c_slave_event()s. The bus driver here is a controller whose
 * master side and target side share one bus (a loopback): a message it
 * sends to the registered address is answered by the backend, an
 * EEPROM-like one with a word pointer. The "dmakit,i2c" model cannot be
 * a target, so its adapter refuses.
 */
#include <errno.h>
#include <string.h>

#include <dmakit/error.h>
#include <dmakit/i2c.h>

#include "harness.h"
#include "testsoc.h"

struct loop {
	struct i2c_adapter adap;
	struct i2c_client *target;	/* the one address it answers */
	int refuse;			/* reg_slave's answer when set */
};

static int loop_reg(struct i2c_client *c)
{
	struct loop *l = i2c_get_adapdata(c->adapter);

	if (l->refuse)
		return l->refuse;
	if (l->target)
		return -EBUSY;
	l->target = c;
	return 0;
}

static int loop_unreg(struct i2c_client *c)
{
	struct loop *l = i2c_get_adapdata(c->adapter);

	if (l->target != c)
		return -ENOENT;
	l->target = NULL;
	return 0;
}

/* What the target side's interrupt handler reports, byte by byte. */
static int loop_msg(struct loop *l, struct i2c_msg *m)
{
	u8 v = 0;
	int i, r = 0;

	if (m->flags & I2C_M_RD) {
		i2c_slave_event(l->target, I2C_SLAVE_READ_REQUESTED, &v);
		for (i = 0; i < m->len; i++) {
			m->buf[i] = v;
			if (i + 1 < m->len)
				i2c_slave_event(l->target,
						I2C_SLAVE_READ_PROCESSED, &v);
		}
		return 0;
	}
	i2c_slave_event(l->target, I2C_SLAVE_WRITE_REQUESTED, &v);
	for (i = 0; i < m->len && !r; i++) {
		v = m->buf[i];
		r = i2c_slave_event(l->target, I2C_SLAVE_WRITE_RECEIVED, &v);
	}
	return r ? -EIO : 0;	/* a NACKed byte ends the message */
}

static int loop_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct loop *l = i2c_get_adapdata(adap);
	u8 v = 0;
	int i, r = 0;

	for (i = 0; i < num && !r; i++)
		r = l->target && msgs[i].addr == l->target->addr ?
			    loop_msg(l, &msgs[i]) : -ENXIO;
	if (l->target)
		i2c_slave_event(l->target, I2C_SLAVE_STOP, &v);
	return r ? r : num;
}

static const struct i2c_algorithm loop_algo = {
	.master_xfer = loop_xfer,
	.reg_slave = loop_reg,
	.unreg_slave = loop_unreg,
};

/* The loopback adapter, on the default SoC's I2C controller's device
 * (whose own driver is not registered). */
static void loop_up(struct testmachine *t, struct loop *l)
{
	l->adap.algo = &loop_algo;
	l->adap.dev.parent = dk_machine_find_device(t->m, "i2c@10180000");
	strcpy(l->adap.name, "loop");
	i2c_set_adapdata(&l->adap, l);
	CHECK_EQ(i2c_add_adapter(&l->adap), 0);
}

/* The backend: 16 bytes behind a word pointer that the first byte of a
 * write sets; it NACKs writes past its end. */
static u8 mem[16];
static unsigned int ptr;
static bool first;
static char trace[64];

static int eeprom_cb(struct i2c_client *c, enum i2c_slave_event ev, u8 *val)
{
	static const char code[] = "rwpWs";

	(void)c;
	strncat(trace, &code[ev], 1);
	switch (ev) {
	case I2C_SLAVE_WRITE_REQUESTED:
		first = true;
		break;
	case I2C_SLAVE_WRITE_RECEIVED:
		if (first) {
			ptr = *val;
			first = false;
		} else if (ptr < sizeof(mem)) {
			mem[ptr++] = *val;
		} else {
			return -ENOSPC;
		}
		break;
	case I2C_SLAVE_READ_PROCESSED:
		ptr++;
		__attribute__((fallthrough));
	case I2C_SLAVE_READ_REQUESTED:
		*val = ptr < sizeof(mem) ? mem[ptr] : 0xff;
		break;
	case I2C_SLAVE_STOP:
		break;
	}
	return 0;
}

TEST(i2c_slave_backend_answers_a_controller_on_its_bus)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct loop l = { .target = NULL };
	struct i2c_client *c;
	u8 w[] = { 4, 'a', 'b', 'c' }, a = 4, rd[3] = { 0 };
	struct i2c_msg wr = { .addr = 0x64, .len = 4, .buf = w };
	struct i2c_msg rr[2] = { { .addr = 0x64, .len = 1, .buf = &a },
				 { .addr = 0x64, .flags = I2C_M_RD, .len = 3,
				   .buf = rd } };
	u8 over[] = { 15, 'y', 'z' };
	struct i2c_msg ov = { .addr = 0x64, .len = 3, .buf = over };

	memset(mem, 0, sizeof(mem));
	trace[0] = '\0';
	loop_up(&t, &l);
	c = i2c_new_dummy_device(&l.adap, 0x64);
	CHECK(!IS_ERR(c));

	/* Nobody answers before the backend registers. */
	CHECK_EQ(i2c_transfer(&l.adap, &wr, 1), -ENXIO);
	CHECK_EQ(i2c_slave_register(c, eeprom_cb), 0);
	CHECK(l.target == c && c->slave_cb == eeprom_cb);
	CHECK_EQ(i2c_transfer(&l.adap, &wr, 1), 1);
	CHECK_MEM(&mem[4], "abc", 3);
	CHECK_EQ(i2c_transfer(&l.adap, rr, 2), 2);
	CHECK_MEM(rd, "abc", 3);
	/* A write past the end is NACKed at the byte that does not fit. */
	CHECK_EQ(i2c_transfer(&l.adap, &ov, 1), -EIO);
	CHECK_EQ(mem[15], 'y');
	CHECK_STR(trace, "wWWWWswWrppswWWWs");

	/* One target per controller here: its reg_slave's -EBUSY. */
	{
		struct i2c_client *d = i2c_new_dummy_device(&l.adap, 0x65);

		CHECK_EQ(i2c_slave_register(d, eeprom_cb), -EBUSY);
		CHECK(d->slave_cb == NULL);
		i2c_unregister_device(d);
	}
	CHECK_EQ(i2c_slave_register(c, eeprom_cb), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "loop: i2c_slave_register: 0x64 is already registered");
	CHECK_EQ(i2c_slave_unregister(c), 0);
	CHECK(c->slave_cb == NULL && l.target == NULL);
	CHECK_EQ(i2c_slave_unregister(c), -EINVAL);
	CHECK_EQ(i2c_slave_event(c, I2C_SLAVE_STOP, &a), -EINVAL);
	CHECK_EQ(i2c_transfer(&l.adap, &wr, 1), -ENXIO);
	i2c_unregister_device(c);
	i2c_del_adapter(&l.adap);
	testmachine_shutdown(&t);
}

TEST(i2c_slave_register_refusals)
{
	struct testmachine t = testmachine_boot(NULL, NULL, NULL);
	struct loop l = { .target = NULL };
	struct i2c_adapter *model;
	struct i2c_client *c, *z;
	FILE *sink = tmpfile();

	dk_log_set_output(sink);
	loop_up(&t, &l);
	c = i2c_new_dummy_device(&l.adap, 0x64);
	CHECK_EQ(i2c_slave_register(c, NULL), -EINVAL);
	CHECK_EQ(i2c_slave_register(NULL, eeprom_cb), -EINVAL);
	z = i2c_new_dummy_device(&l.adap, 0);	/* the general call */
	CHECK_EQ(i2c_slave_register(z, eeprom_cb), -EINVAL);
	CHECK_STR(dk_last_error(),
		  "loop: i2c_slave_register: invalid address 0x0");
	l.refuse = -EIO;
	CHECK_EQ(i2c_slave_register(c, eeprom_cb), -EIO);
	CHECK(c->slave_cb == NULL);
	i2c_unregister_device(z);
	i2c_unregister_device(c);
	i2c_del_adapter(&l.adap);

	/* The model's controller cannot be addressed. */
	CHECK_EQ(driver_register(&dk_i2c_driver), 0);
	model = dk_i2c_adapter_of(dk_machine_find_device(t.m, "i2c@10180000"));
	CHECK(model != NULL);
	c = i2c_new_dummy_device(model, 0x64);
	CHECK_EQ(i2c_slave_register(c, eeprom_cb), -EOPNOTSUPP);
	CHECK(strstr(dk_last_error(),
		     ": i2c_slave_register: target mode is not supported by the adapter") != NULL);
	CHECK(c->slave_cb == NULL);
	i2c_unregister_device(c);
	testmachine_shutdown(&t);
	dk_log_set_output(NULL);
	fclose(sink);
}
