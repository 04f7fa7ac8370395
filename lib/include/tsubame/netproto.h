/* The netd protocol, shared by netd (user/netd) and the socket calls of
 * the user C library (lib/libc/socket.c). A client sends one request and
 * waits for the reply from netd with recv_from; calls that would block
 * (accept, recv) are answered when they can complete. */
#ifndef TSUBAME_NETPROTO_H
#define TSUBAME_NETPROTO_H

#include <stdint.h>

#define NETP_MAGIC 0x3150544eu /* "NTP1" */
#define NETP_MAX_DATA 8192

enum netp_op {
	NETP_TCP_LISTEN = 1,   /* port, arg = backlog -> handle */
	NETP_TCP_ACCEPT = 2,   /* handle -> new handle (waits) */
	NETP_TCP_SEND = 3,     /* handle, data -> bytes accepted (waits for room) */
	NETP_TCP_RECV = 4,     /* handle, arg = max -> data, 0 bytes = end of stream (waits) */
	NETP_TCP_CLOSE = 5,    /* handle */
	NETP_TCP_CONNECT = 6,  /* ip, port -> handle (waits for the handshake) */
	NETP_OP_MAX
};

struct netp_request {
	uint32_t magic, op;
	int32_t handle;
	uint32_t ip;           /* host byte order */
	uint16_t port, pad;
	uint32_t arg;
	uint32_t len;          /* payload bytes after the header */
};

struct netp_reply {
	uint32_t magic, op;
	int32_t status;        /* >= 0 result, or -errno */
	uint32_t len;          /* data bytes after the header */
};

#endif
