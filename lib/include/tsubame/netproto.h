/* The netd protocol, shared by netd (user/netd) and the socket calls of
 * the user C library (lib/libc/socket.c). A client sends one request and
 * takes netd's reply (matched by id) with recv_from. Calls that would
 * block (accept, connect, send into a full buffer, recv, recvfrom, DNS,
 * ping) are parked in netd and answered when they complete or when their
 * timeout passes (-ETIMEDOUT). Every request gets exactly one reply; a
 * malformed one -EPROTO, an unknown op -ENOSYS.
 *
 * Handles belong to the processes that use them: the one that created or
 * accepted it, and those it was shared with (NETP_SHARE). A handle is
 * closed when its last user closes it or dies; netd notices dead clients. */
#ifndef TSUBAME_NETPROTO_H
#define TSUBAME_NETPROTO_H

#include <stdint.h>

#define NETP_MAGIC 0x3250544eu /* "NTP2" */
#define NETP_MAX_DATA 8192

enum netp_op {
	NETP_TCP_LISTEN = 1,   /* port, arg = backlog -> handle */
	NETP_TCP_ACCEPT = 2,   /* handle -> new handle; reply ip/port = the peer */
	NETP_TCP_SEND = 3,     /* handle, data -> bytes accepted (waits for room) */
	NETP_TCP_RECV = 4,     /* handle, arg = max -> data, 0 bytes = end of stream */
	NETP_TCP_CLOSE = 5,    /* handle (TCP or UDP): the caller stops using it */
	NETP_TCP_CONNECT = 6,  /* ip, port -> handle once the handshake is done */
	NETP_UDP_BIND = 7,     /* port (0: any) -> handle; reply port = the bound port */
	NETP_UDP_SENDTO = 8,   /* handle, ip, port, data -> bytes sent */
	NETP_UDP_RECVFROM = 9, /* handle, arg = max -> one datagram; reply ip/port = its source */
	NETP_UDP_CLOSE = 10,   /* handle */
	NETP_DNS_LOOKUP = 11,  /* data = name; ip/port = server (0: the configured one) -> reply ip */
	NETP_PING = 12,        /* ip, arg = payload bytes -> round trip in ms */
	NETP_SHARE = 13,       /* handle, arg = pid: pid may use (and close) it too */
	NETP_INFO = 14,        /* -> data = struct netp_info */
	NETP_OP_MAX
};

struct netp_request {
	uint32_t magic, op;
	uint32_t id;           /* echoed in the reply */
	int32_t handle;
	uint32_t ip;           /* host byte order */
	uint16_t port, pad;
	uint32_t arg;
	int32_t timeout_ms;    /* for calls that wait: TSB_FOREVER (-1), TSB_NO_WAIT (0) or ms */
	uint32_t len;          /* payload bytes after the header */
};

struct netp_reply {
	uint32_t magic, op;
	uint32_t id;
	int32_t status;        /* >= 0 result, or -errno */
	uint32_t ip;           /* peer, source or answer (see the ops) */
	uint16_t port, pad;
	uint32_t len;          /* data bytes after the header */
};

struct netp_info {
	uint32_t ip, netmask, gateway, dns;
	uint32_t source;       /* enum net_addr_source: 0 none, 1 static, 2 DHCP, 3 fallback */
	uint32_t clients;      /* processes holding handles */
	uint32_t rx_frames, tx_frames, rx_dropped;
	uint32_t requests, bad_requests, lost_replies;
};

#endif
