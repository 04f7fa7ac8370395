/* See fuzz_world.h. */
#include "fuzz_world.h"

#include <stdio.h>
#include <stdlib.h>

#include "net_int.h"

#define IP_A NET_IP4(10, 0, 2, 15)
#define IP_B NET_IP4(10, 0, 2, 16)

static void need(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz world: %s failed\n", what);
		abort();
	}
}

void fuzz_world_init(struct fuzz_world *w)
{
	char buf[512];

	memset(w, 0, sizeof(*w));
	sim_init(&w->sim, 777);
	w->a = sim_add_stack(&w->sim, IP_A);
	w->b = sim_add_stack(&w->sim, IP_B);
	w->c = sim_add_stack(&w->sim, 0);
	w->A = sim_stack(&w->sim, w->a);
	w->B = sim_stack(&w->sim, w->b);
	w->C = sim_stack(&w->sim, w->c);
	w->a_listen = net_tcp_listen(w->A, 80, 4);
	w->b_listen = net_tcp_listen(w->B, 81, 4);
	w->a_udp = net_udp_open(w->A, 5353);
	w->b_passive = net_tcp_connect(w->B, IP_A, 80);
	w->a_active = net_tcp_connect(w->A, IP_B, 81);
	sim_run_for(&w->sim, 50);
	w->a_passive = net_tcp_accept(w->A, w->a_listen, NULL, NULL);
	w->b_active = net_tcp_accept(w->B, w->b_listen, NULL, NULL);
	need(w->a_passive > 0 && w->b_active > 0, "connections");
	need(net_tcp_send(w->B, w->b_passive, "hello A", 7) == 7, "send");
	need(net_tcp_send(w->A, w->a_active, "hello B", 7) == 7, "send");
	sim_run_for(&w->sim, 50);
	need(net_tcp_recv(w->A, w->a_passive, buf, sizeof(buf)) == 7, "recv");
	need(net_tcp_recv(w->B, w->b_active, buf, sizeof(buf)) == 7, "recv");
	need(net_dhcp_start(w->C) == 0, "dhcp");
	/* Nobody answers these two: they stay pending in the snapshot. */
	w->a_dns = net_dns_query(w->A, "fuzz.example.org");
	w->sim.node[w->b].down = true;
	w->a_ping = net_ping(w->A, IP_B, 32, 60000);
	sim_run_for(&w->sim, 10);
	w->sim.node[w->b].down = false;
	need(w->a_dns > 0 && w->a_ping > 0, "dns/ping");
}
