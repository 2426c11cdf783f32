/* SPDX-License-Identifier: MIT */
/*
 * The I2C subsystem: adapters (bus controllers), clients (devices on a
 * bus), messages, and the DMA-safety rule of talk 001 with Linux's names.
 *
 * The rule: DMA is optional for I2C, and a message buffer is DMA-safe only
 * when its owner says so by setting I2C_M_DMA_SAFE. Client drivers pass
 * buffers from anywhere (the stack, rodata, inside a struct); a bus driver
 * that wants to DMA asks i2c_get_dma_safe_msg_buf() for a buffer, which is
 * the message's own one when it is marked safe and a bounce buffer
 * otherwise, and gives it back with i2c_put_dma_safe_msg_buf(). Marking a
 * buffer that is not DMA-safe is the client's bug; the checker (dma-debug)
 * reports what the bus driver then maps.
 *
 * Differences from Linux: a client refers to its adapter only (it embeds no
 * struct device); an adapter's embedded dev is not a registered device
 * (dev.parent is what messages and mappings name); clients are
 * created with i2c_new_dummy_device() (the loader does not describe bus
 * children); there is no SMBus emulation.
 */
#ifndef DMAKIT_I2C_H
#define DMAKIT_I2C_H

#include <pthread.h>

#include <dmakit/device.h>
#include <dmakit/err.h>
#include <dmakit/types.h>

#ifdef __cplusplus
extern "C" {
#endif


/**
 * struct i2c_msg - one message: a (repeated) START, the address, len bytes
 * to or from buf.
 */
struct i2c_msg {
	/** @addr: the 7-bit address */
	u16 addr;
	/** @flags: I2C_M_RD, I2C_M_DMA_SAFE, I2C_M_STOP */
	u16 flags;
	/** @len: bytes */
	u16 len;
	/** @buf: the data; DMA-safe if flags has I2C_M_DMA_SAFE */
	u8 *buf;
};

#define I2C_M_RD		0x0001	/* read from the device */
#define I2C_M_TEN		0x0010	/* 10-bit address (not supported) */
#define I2C_M_DMA_SAFE		0x0200	/* buf may be mapped for DMA */
#define I2C_M_STOP		0x8000	/* a STOP after this message */

#define I2C_NAME_SIZE 20

struct i2c_adapter;
struct i2c_adapter_quirks;
struct i2c_bus_recovery_info;
struct i2c_client;

/*
 * Target ("slave") mode, as Linux has it: a bus driver whose controller
 * can answer as a target on its own bus gives its algorithm reg_slave and
 * unreg_slave; a backend registers a client with i2c_slave_register(),
 * and the bus driver reports what a remote controller does, from its
 * interrupt handler, through i2c_slave_event(). The events, in Linux's
 * order and meaning (@val is the byte in or out):
 *   I2C_SLAVE_READ_REQUESTED   a remote read began: put the first byte
 *   I2C_SLAVE_WRITE_REQUESTED  a remote write began (no byte yet)
 *   I2C_SLAVE_READ_PROCESSED   the last byte was taken: put the next
 *   I2C_SLAVE_WRITE_RECEIVED   a byte came in *val; return 0 to ACK it,
 *                              -errno to NACK
 *   I2C_SLAVE_STOP             the remote controller ended the message
 * The "dmakit,i2c" model is a controller only (it cannot be addressed as
 * a target), so its driver has no reg_slave: i2c_slave_register() on its
 * adapters is refused with -EOPNOTSUPP.
 */
enum i2c_slave_event {
	I2C_SLAVE_READ_REQUESTED,
	I2C_SLAVE_WRITE_REQUESTED,
	I2C_SLAVE_READ_PROCESSED,
	I2C_SLAVE_WRITE_RECEIVED,
	I2C_SLAVE_STOP,
};

typedef int (*i2c_slave_cb_t)(struct i2c_client *client,
			      enum i2c_slave_event event, u8 *val);

/* What an adapter can do, for i2c_algorithm.functionality. */
#define I2C_FUNC_I2C			0x00000001
#define I2C_FUNC_10BIT_ADDR		0x00000002
#define I2C_FUNC_PROTOCOL_MANGLING	0x00000004
#define I2C_FUNC_SMBUS_EMUL		0x0eff0008

struct i2c_algorithm {
	/* Transfer @num messages; returns @num or a negative errno. Linux
	 * 6.8 renamed it xfer; drivers set either name. */
	union {
		int (*master_xfer)(struct i2c_adapter *adap,
				   struct i2c_msg *msgs, int num);
		int (*xfer)(struct i2c_adapter *adap, struct i2c_msg *msgs,
			    int num);
	};
	/* The same for atomic context; accepted, unused (the core always
	 * calls master_xfer). */
	union {
		int (*master_xfer_atomic)(struct i2c_adapter *adap,
					  struct i2c_msg *msgs, int num);
		int (*xfer_atomic)(struct i2c_adapter *adap,
				   struct i2c_msg *msgs, int num);
	};
	/* I2C_FUNC_* the adapter offers; optional. */
	u32 (*functionality)(struct i2c_adapter *adap);
	/* Answer as a target at the client's address / stop answering
	 * (target mode, above); optional. Linux 6.8 added the names
	 * reg_target/unreg_target. Called with the bus locked. */
	union {
		int (*reg_slave)(struct i2c_client *client);
		int (*reg_target)(struct i2c_client *client);
	};
	union {
		int (*unreg_slave)(struct i2c_client *client);
		int (*unreg_target)(struct i2c_client *client);
	};
};

/*
 * An adapter, embedded in its bus driver's state as in Linux: dev.parent
 * is the controller's device (the one the driver bound), dev itself only
 * carries the adapter's name and i2c_set_adapdata()'s pointer.
 */
struct i2c_adapter {
	void *owner;			/* THIS_MODULE; unused */
#ifdef __cplusplus
	unsigned int class_;		/* "class" is C++'s keyword */
#else
	unsigned int class;		/* I2C_CLASS_*; unused */
#endif
	const struct i2c_algorithm *algo;
	void *algo_data;
	int timeout;			/* in jiffies, for the bus driver's
					 * waits; i2c_add_adapter() makes 0
					 * DK_I2C_DEFAULT_TIMEOUT */
	int retries;
	struct device dev;		/* dev.parent: the controller */
	int nr;				/* bus number, set by i2c_add_adapter */
	char name[48];
	/* Linux's, accepted for driver code; the core enforces no quirk
	 * and recovers no bus. */
	const struct i2c_adapter_quirks *quirks;
	struct i2c_bus_recovery_info *bus_recovery_info;
	/* dmakit: how the bus driver moved each message */
	unsigned long dk_pio_msgs;
	unsigned long dk_dma_msgs;
	unsigned long dk_bounced_msgs;	/* DMA through a bounce buffer */
	/* BIT(I2C_ALF_*), changed with the bus locked */
	unsigned long locked_flags;
	/* private to the core */
	pthread_mutex_t dk_lock;
	struct i2c_adapter *dk_next;
};

/* One second in jiffies (<linux/jiffies.h>'s HZ), Linux's default. */
#define DK_I2C_DEFAULT_TIMEOUT		100

/* Bits of i2c_adapter.locked_flags, as Linux numbers them. */
#define I2C_ALF_IS_SUSPENDED		0
#define I2C_ALF_SUSPEND_REPORTED	1

/**
 * i2c_set_adapdata() - store a bus driver's pointer in its adapter.
 * @adap: the adapter; NULL does nothing.
 * @data: the pointer.
 */
static inline void i2c_set_adapdata(struct i2c_adapter *adap, void *data)
{
	if (adap)
		adap->dev.driver_data = data;
}

/**
 * i2c_get_adapdata() - what i2c_set_adapdata() stored.
 * @adap: the adapter.
 *
 * Return: the pointer; NULL for a NULL adapter.
 */
static inline void *i2c_get_adapdata(struct i2c_adapter *adap)
{
	return adap ? adap->dev.driver_data : NULL;
}

struct i2c_client {
	unsigned short flags;		/* I2C_M_TEN only */
	unsigned short addr;		/* 7-bit address */
	char name[I2C_NAME_SIZE];
	struct i2c_adapter *adapter;
	/* set by i2c_slave_register() while registered as a target */
	i2c_slave_cb_t slave_cb;
};

/**
 * i2c_slave_register() - answer as a target at @client's address on its
 * adapter's bus, handing each event to @slave_cb.
 * @client: the address (7-bit, 0x01-0x7f; or I2C_CLIENT_TEN in flags and
 *          up to 0x3ff) and the adapter.
 * @slave_cb: the backend's event handler.
 *
 * Context: may sleep (takes the bus lock).
 * Return: 0; -EINVAL (NULL arguments, a bad address, already
 * registered), -EOPNOTSUPP (the adapter's algorithm has no reg_slave),
 * or the bus driver's error (then nothing is registered).
 */
int i2c_slave_register(struct i2c_client *client, i2c_slave_cb_t slave_cb);

/**
 * i2c_slave_unregister() - stop answering as a target.
 * @client: a client i2c_slave_register() registered.
 *
 * Return: 0; -EINVAL (NULL, not registered), -EOPNOTSUPP (no
 * unreg_slave), or the bus driver's error (then it stays registered).
 */
int i2c_slave_unregister(struct i2c_client *client);

/**
 * i2c_slave_event() - what a bus driver calls, from its interrupt
 * handler, for each event of a remote controller's message to it.
 * @client: the registered client.
 * @event: I2C_SLAVE_*.
 * @val: the byte received, or where the byte to send goes.
 *
 * Return: the backend's answer (for I2C_SLAVE_WRITE_RECEIVED: 0 to ACK);
 * -EINVAL for a client that is not registered.
 */
int i2c_slave_event(struct i2c_client *client, enum i2c_slave_event event,
		    u8 *val);

/**
 * i2c_add_adapter() - make an adapter usable: assigns nr (from 0 up) and
 * lists it for i2c_get_adapter() and dk_i2c_adapter_of(); a timeout of
 * 0 becomes DK_I2C_DEFAULT_TIMEOUT, as Linux makes it HZ.
 * @adap: filled in with algo and dev.parent (the controller); it must
 *        stay valid until i2c_del_adapter().
 *
 * Return: 0, -EINVAL (no algo or master_xfer, no dev.parent) or -EBUSY
 * (already added).
 */
int i2c_add_adapter(struct i2c_adapter *adap);
/**
 * i2c_del_adapter() - undo i2c_add_adapter().
 * @adap: the adapter; NULL, or one never added, does nothing.
 */
void i2c_del_adapter(struct i2c_adapter *adap);

/**
 * i2c_mark_adapter_suspended() - what a bus driver calls from its
 * (noirq) suspend callback: from now on i2c_transfer() refuses the
 * adapter with -ESHUTDOWN instead of reaching a controller that is
 * powered down. Waits for a transfer in progress to end first.
 * @adap: the adapter; NULL does nothing. One never added gets the mark
 *        all the same.
 *
 * Context: may sleep (takes the bus lock).
 */
void i2c_mark_adapter_suspended(struct i2c_adapter *adap);
/**
 * i2c_mark_adapter_resumed() - undo i2c_mark_adapter_suspended(), from
 * the resume callback: transfers reach the bus driver again.
 * @adap: the adapter; NULL, or one not marked, does nothing.
 *
 * Context: may sleep (takes the bus lock).
 */
void i2c_mark_adapter_resumed(struct i2c_adapter *adap);

/**
 * i2c_get_adapter() - an added adapter by bus number.
 * @nr: the bus number i2c_add_adapter() assigned.
 *
 * Return: adapter @nr of any machine, or NULL.
 */
struct i2c_adapter *i2c_get_adapter(int nr);
/**
 * i2c_put_adapter() - nothing to drop here; kept for ported code.
 * @adap: what i2c_get_adapter() returned, or NULL.
 */
void i2c_put_adapter(struct i2c_adapter *adap);

/**
 * dk_i2c_adapter_of() - the adapter the driver of a controller added.
 * @dev: the controller's device; NULL for the first adapter added.
 *
 * Return: the adapter, or NULL if none was added for @dev.
 */
struct i2c_adapter *dk_i2c_adapter_of(struct device *dev);

/**
 * i2c_new_dummy_device() - a client at a 7-bit address of an adapter.
 * @adap: the adapter.
 * @address: 0 to 0x7f.
 *
 * Return: the client (free it with i2c_unregister_device()) or an error
 * pointer: -EINVAL (NULL adapter, address above 0x7f), -ENOMEM.
 */
struct i2c_client *i2c_new_dummy_device(struct i2c_adapter *adap,
					u16 address);
/**
 * i2c_unregister_device() - free a client from i2c_new_dummy_device().
 * @client: the client; NULL and error pointers are ignored.
 */
void i2c_unregister_device(struct i2c_client *client);

/**
 * i2c_transfer() - run messages as one combined transaction (repeated
 * STARTs, one STOP at the end), serialised against other users of the
 * adapter.
 * @adap: the adapter.
 * @msgs: the messages.
 * @num: how many, at least 1.
 *
 * Context: the bus driver's master_xfer runs on this thread (the
 * "dmakit,i2c" driver polls its controller, advancing the simulated clock).
 * Return: @num, or a negative errno: -EINVAL (NULL adapter or msgs,
 * num < 1, a message with len > 0 and no buffer), -EOPNOTSUPP (10-bit
 * address), -ESHUTDOWN (the adapter is marked suspended: the first such
 * transfer is also logged on the controller), -ENXIO (no device
 * answered), or the bus driver's error.
 */
int i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num);

/**
 * i2c_transfer_buffer_flags() - one message to or from a client.
 * @client: the client.
 * @buf: the data.
 * @count: bytes.
 * @flags: I2C_M_RD, I2C_M_DMA_SAFE.
 *
 * Return: @count or a negative errno as i2c_transfer().
 */
int i2c_transfer_buffer_flags(const struct i2c_client *client, char *buf,
			      int count, u16 flags);

/**
 * i2c_master_send() - write bytes to a client.
 * @client: the client.
 * @buf: the data.
 * @count: bytes.
 *
 * Return: @count or a negative errno as i2c_transfer().
 */
int i2c_master_send(const struct i2c_client *client, const char *buf,
		    int count);
/**
 * i2c_master_recv() - read bytes from a client.
 * @client: the client.
 * @buf: where they go.
 * @count: bytes.
 *
 * Return: @count or a negative errno as i2c_transfer().
 */
int i2c_master_recv(const struct i2c_client *client, char *buf, int count);
/*
 * The same with I2C_M_DMA_SAFE set: the caller promises @buf is DMA-safe
 * (kmalloc'd, its own cache lines, live until the call returns). Passing a
 * stack, rodata or embedded buffer here is the bug of "DMA safety in
 * buffers for Linux Kernel device drivers" (Wolfram Sang).
 */
/**
 * i2c_master_send_dmasafe() - i2c_master_send() of a DMA-safe buffer.
 * @client: the client.
 * @buf: a DMA-safe buffer.
 * @count: bytes.
 *
 * Return: @count or a negative errno as i2c_transfer().
 */
int i2c_master_send_dmasafe(const struct i2c_client *client, const char *buf,
			    int count);
/**
 * i2c_master_recv_dmasafe() - i2c_master_recv() into a DMA-safe buffer.
 * @client: the client.
 * @buf: a DMA-safe buffer.
 * @count: bytes.
 *
 * Return: @count or a negative errno as i2c_transfer().
 */
int i2c_master_recv_dmasafe(const struct i2c_client *client, char *buf,
			    int count);

/**
 * i2c_get_dma_safe_msg_buf() - a buffer a bus driver may map for a
 * message. Bounce buffers are kmalloc'd with their size rounded up to
 * dma_get_cache_alignment(), so they own their cache lines even on a
 * machine booted with a small kmalloc alignment.
 * @msg: the message.
 * @threshold: the shortest message worth DMA.
 *
 * Return: NULL when the message is shorter than @threshold (or empty: use
 * PIO), msg->buf when the message is marked I2C_M_DMA_SAFE, else a new
 * bounce buffer: zeroed for reads, a copy of the data for writes. NULL
 * also when that allocation fails. Give it back with
 * i2c_put_dma_safe_msg_buf().
 */
u8 *i2c_get_dma_safe_msg_buf(struct i2c_msg *msg, unsigned int threshold);

/**
 * i2c_put_dma_safe_msg_buf() - release what i2c_get_dma_safe_msg_buf()
 * returned.
 * @buf: that buffer; NULL and msg->buf itself are left alone.
 * @msg: the message it was for.
 * @xferred: whether the transfer happened; for a bounce buffer of a read,
 *           the data is then copied to msg->buf first.
 */
void i2c_put_dma_safe_msg_buf(u8 *buf, struct i2c_msg *msg, bool xferred);

/**
 * i2c_release_dma_safe_msg_buf() - the first name of
 * i2c_put_dma_safe_msg_buf() (Linux 4.16, the one talk 001 shows),
 * before it learnt whether the transfer happened: a read's bounce buffer
 * is always copied back to msg->buf, then freed.
 * @msg: the message.
 * @buf: what i2c_get_dma_safe_msg_buf() returned; NULL and msg->buf
 *       itself are left alone.
 */
void i2c_release_dma_safe_msg_buf(struct i2c_msg *msg, u8 *buf);

#define I2C_RDWR_IOCTL_MAX_MSGS	42
#define DK_I2C_DEV_MAX_LEN	8192

/**
 * dk_i2c_dev_rdwr() - the I2C_RDWR ioctl of i2c-dev: a user program's
 * messages, whose buffers are user memory (see mm.h). Each is copied into
 * a kernel buffer that owns its cache lines and marked I2C_M_DMA_SAFE
 * (talk 001: "messages from userspace (i2c-dev) are always copied to
 * DMA-safe buffers and marked accordingly"); reads are copied back to the
 * program afterwards.
 * @adap: the adapter (the /dev/i2c-N the program opened).
 * @msgs: @nmsgs messages; their buf fields are user addresses.
 * @nmsgs: 1..I2C_RDWR_IOCTL_MAX_MSGS.
 *
 * Return: the number of messages transferred, or -EINVAL (bad arguments,
 * a message longer than DK_I2C_DEV_MAX_LEN), -EFAULT (a buffer that is
 * not user memory), -ENOMEM, or what i2c_transfer() returned.
 */
int dk_i2c_dev_rdwr(struct i2c_adapter *adap, struct i2c_msg *msgs,
		    int nmsgs);

/*
 * The bus driver for "dmakit,i2c" (include/dmakit/models/i2c.h): register
 * it with driver_register(); each controller then gets an adapter
 * (dk_i2c_adapter_of()). Messages of at least DK_I2C_DMA_THRESHOLD bytes
 * go by DMA through i2c_get_dma_safe_msg_buf(); shorter ones through the
 * FIFO. It waits by polling the status register. One machine at a time
 * may have it registered.
 */
#define DK_I2C_DMA_THRESHOLD 8
extern struct device_driver dk_i2c_driver;

#ifdef __cplusplus
}
#endif

#endif
