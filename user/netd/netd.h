/* netd's internal interfaces: the stack it runs, the clients that hold
 * handles, and the requests it serves. */
#ifndef NETD_H
#define NETD_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"
#include "tsubame/netproto.h"

extern struct net_stack stack;
extern struct netp_info counters; /* the request counters NETP_INFO reports */

uint64_t now_ms(void);

/* clients.c: who may use which handle. */
enum handle_kind { KIND_TCP, KIND_UDP };
int owner_add(int handle, enum handle_kind kind, int pid);     /* 0 or -EMFILE */
bool owner_uses(int handle, int pid);                          /* pid may use handle */
int owner_kind(int handle);                                    /* enum handle_kind or -EBADF */
int owner_share(int handle, int from, int to);
int owner_release(int handle, int pid);                        /* and close it if last */
unsigned owner_clients(void);
void client_died(int pid);
void sweep_dead_clients(void);   /* asks the kernel which clients still live */
bool client_alive(int pid);      /* in the last sweep's process list */

/* requests.c */
void serve_request(int client, uint64_t token, const char *buf, long n);
void retry_parked(void);
void drop_parked_of(int pid);
void sweep_parked(void);         /* drops requests of clients no longer alive */
uint64_t parked_next_deadline(void);   /* UINT64_MAX: none */
bool have_parked(void);
void reply(int client, uint64_t token, const struct netp_request *rq, long status, const void *data,
	   uint32_t len, uint32_t ip, uint16_t port);

#endif
