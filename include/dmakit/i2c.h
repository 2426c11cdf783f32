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
 * Differences from Linux: an adapter and a client refer to their controller
 * through a struct device pointer instead of embedding one; clients are
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


/* One message: a (repeated) START, the address, len bytes to or from buf. */
struct i2c_msg {
	u16 addr;
	u16 flags;
	u16 len;
	u8 *buf;
};

#define I2C_M_RD		0x0001	/* read from the device */
#define I2C_M_TEN		0x0010	/* 10-bit address (not supported) */
#define I2C_M_DMA_SAFE		0x0200	/* buf may be mapped for DMA */
#define I2C_M_STOP		0x8000	/* a STOP after this message */

#define I2C_NAME_SIZE 20

struct i2c_adapter;

struct i2c_algorithm {
	/* Transfer @num messages; returns @num or a negative errno. */
	int (*master_xfer)(struct i2c_adapter *adap, struct i2c_msg *msgs,
			   int num);
};

struct i2c_adapter {
	const struct i2c_algorithm *algo;
	void *algo_data;
	struct device *dev;		/* the controller */
	int nr;				/* bus number, set by i2c_add_adapter */
	char name[48];
	/* dmakit: how the bus driver moved each message */
	unsigned long dk_pio_msgs;
	unsigned long dk_dma_msgs;
	unsigned long dk_bounced_msgs;	/* DMA through a bounce buffer */
	/* private to the core */
	pthread_mutex_t dk_lock;
	struct i2c_adapter *dk_next;
};

struct i2c_client {
	unsigned short flags;		/* I2C_M_TEN only */
	unsigned short addr;		/* 7-bit address */
	char name[I2C_NAME_SIZE];
	struct i2c_adapter *adapter;
};

/*
 * i2c_add_adapter - make @adap usable: assigns nr (from 0 up) and lists it
 * for i2c_get_adapter() and dk_i2c_adapter_of(). 0, -EINVAL (no algo or
 * master_xfer, no dev) or -EBUSY (already added).
 */
int i2c_add_adapter(struct i2c_adapter *adap);
/* i2c_del_adapter - undo i2c_add_adapter(). */
void i2c_del_adapter(struct i2c_adapter *adap);

/* i2c_get_adapter - adapter @nr of any machine, or NULL. */
struct i2c_adapter *i2c_get_adapter(int nr);
/* i2c_put_adapter - nothing to drop here; kept for ported code. */
void i2c_put_adapter(struct i2c_adapter *adap);

/* dk_i2c_adapter_of - the adapter the driver of controller @dev added. */
struct i2c_adapter *dk_i2c_adapter_of(struct device *dev);

/*
 * i2c_new_dummy_device - a client at 7-bit @address on @adap. Returns it
 * or an error pointer: -EINVAL (NULL adapter, address above 0x7f),
 * -ENOMEM. Free it with i2c_unregister_device().
 */
struct i2c_client *i2c_new_dummy_device(struct i2c_adapter *adap,
					u16 address);
void i2c_unregister_device(struct i2c_client *client);

/*
 * i2c_transfer - run @num messages on @adap as one combined transaction
 * (repeated STARTs, one STOP at the end), serialised against other users
 * of the adapter. Returns @num, or a negative errno: -EINVAL (NULL adapter
 * or msgs, num < 1, a message with len > 0 and no buffer), -EOPNOTSUPP
 * (10-bit address), -ENXIO (no device answered), or the bus driver's error.
 */
int i2c_transfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num);

/*
 * i2c_transfer_buffer_flags - one message of @count bytes to or from
 * @client with @flags (I2C_M_RD, I2C_M_DMA_SAFE). Returns @count or a
 * negative errno as i2c_transfer().
 */
int i2c_transfer_buffer_flags(const struct i2c_client *client, char *buf,
			      int count, u16 flags);

/* i2c_master_send / recv - write or read @count bytes. @count or -errno. */
int i2c_master_send(const struct i2c_client *client, const char *buf,
		    int count);
int i2c_master_recv(const struct i2c_client *client, char *buf, int count);
/*
 * The same with I2C_M_DMA_SAFE set: the caller promises @buf is DMA-safe
 * (kmalloc'd, its own cache lines, live until the call returns). Passing a
 * stack, rodata or embedded buffer here is the bug of talk 001.
 */
int i2c_master_send_dmasafe(const struct i2c_client *client, const char *buf,
			    int count);
int i2c_master_recv_dmasafe(const struct i2c_client *client, char *buf,
			    int count);

/*
 * i2c_get_dma_safe_msg_buf - a buffer a bus driver may map for @msg.
 * Returns NULL when the message is shorter than @threshold (or empty:
 * use PIO), msg->buf when the message is marked I2C_M_DMA_SAFE, else a new
 * bounce buffer: zeroed for reads, a copy of the data for writes. Bounce
 * buffers are kmalloc'd with their size rounded up to
 * dma_get_cache_alignment(), so they own their cache lines even on a
 * machine booted with a small kmalloc alignment. NULL also when that
 * allocation fails.
 */
u8 *i2c_get_dma_safe_msg_buf(struct i2c_msg *msg, unsigned int threshold);

/*
 * i2c_put_dma_safe_msg_buf - release what i2c_get_dma_safe_msg_buf()
 * returned. For a bounce buffer of a read that @xferred, the data is
 * copied to msg->buf first. NULL and msg->buf itself are left alone.
 */
void i2c_put_dma_safe_msg_buf(u8 *buf, struct i2c_msg *msg, bool xferred);

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
