/* The IPC fuzzer (issue 15): random messages and calls, of every size
 * from 0 to one byte over the limit, with random bytes or with a valid
 * protocol header carrying hostile fields, from an unprivileged process to
 * every service (init, fat32d, netd, httpd, telnetd, gui, shell), the
 * kernel and a pid that does not exist. Each answer is checked against
 * what the receiver promises: a server answers every call (a malformed
 * one with its protocol's error), everyone else refuses with
 * -ECONNREFUSED. Every 256 messages, every target must still be alive.
 *
 * Message i is made from (seed, i) alone, so `ipcfuzz fuzz SEED COUNT
 * TARGET FIRST` replays a failure; it prints the seed, the index and the
 * bytes of the message that broke. */
#include <stdio.h>
#include <string.h>

#include "ipcfuzz.h"
#include "tsubame/fsproto.h"
#include "tsubame/guiproto.h"
#include "tsubame/netproto.h"

enum proto { P_NONE, P_NETD, P_FSD, P_GUI, P_KERNEL, P_GONE };

struct target {
	int pid;
	const char *name;
	enum proto proto;
};

#define MAX_TARGETS 40
#define REPLY_WAIT_MS 15000 /* a server answers a call that cannot wait within this, even on a busy machine */
#define PARK_WAIT_MS 30     /* a call that may legitimately wait (parked in netd) */
#define CHECK_EVERY 256

static struct target targets[MAX_TARGETS];
static int ntargets, servers[MAX_TARGETS], nservers;
static char msg[TSB_IPC_MAX_MSG + 1];
static char rep[TSB_IPC_MAX_MSG];

static const struct {
	const char *name;
	enum proto proto;
} services[] = {
	{ "init.elf", P_NONE }, { "fat32d.elf", P_FSD }, { "netd.elf", P_NETD }, { "httpd.elf", P_NONE },
	{ "telnetd.elf", P_NONE }, { "gui.elf", P_GUI }, { "shell.elf", P_NONE }, { "term.elf", P_NONE },
};

static void add(int pid, const char *name, enum proto proto)
{
	if (ntargets == MAX_TARGETS)
		return;
	if (proto == P_NETD || proto == P_FSD || proto == P_GUI)
		servers[nservers++] = ntargets;
	targets[ntargets++] = (struct target){ pid, name, proto };
}

static void find_targets(const char *only)
{
	int pids[64];
	for (unsigned s = 0; s < sizeof services / sizeof services[0]; s++) {
		if (only && strcmp(only, services[s].name) != 0)
			continue;
		int k = live_pids(pids, 64, services[s].name);
		for (int i = 0; i < k; i++)
			add(pids[i], services[s].name, services[s].proto);
	}
	if (!only || strcmp(only, "kernel") == 0)
		add(0, "kernel", P_KERNEL);
	if (!only || strcmp(only, "nobody") == 0)
		add(1000000, "nobody", P_GONE);
}

/* ---- Making a message ---- */

static const uint32_t ips[] = { 0, 0x0a000263 /* 10.0.2.99: nobody */, 0x0a00020f /* ourselves */,
				0xffffffffu, 0xe0000001u };

static int32_t hostile_i32(struct rng *g)
{
	static const int32_t v[] = { 0, 1, -1, -2, -5, 2, 7, 40, 64, 65535, 0x7fffffff, (int32_t)0x80000000 };
	return rng_below(g, 4) ? v[rng_below(g, sizeof v / sizeof v[0])] : (int32_t)rng_next(g);
}

/* The payload length field: right most of the time, hostile otherwise. */
static uint32_t len_field(struct rng *g, size_t len, size_t hdr)
{
	uint32_t right = len >= hdr ? (uint32_t)(len - hdr) : 0;
	return rng_below(g, 4) ? right : (uint32_t)hostile_i32(g);
}

/* A timeout that keeps netd's parked calls short, with some hostile ones. */
static int32_t netd_timeout(struct rng *g)
{
	switch (rng_below(g, 10)) {
	case 0: return hostile_i32(g);
	case 1: return TSB_FOREVER;
	case 2: case 3: case 4: return (int32_t)rng_below(g, 20);
	default: return TSB_NO_WAIT;
	}
}

static void netd_header(struct rng *g, size_t len)
{
	struct netp_request rq = {
		.magic = rng_below(g, 10) ? NETP_MAGIC : (uint32_t)rng_next(g),
		.op = rng_below(g, 8) ? (uint32_t)rng_below(g, NETP_OP_MAX + 2) : (uint32_t)rng_next(g),
		.id = (uint32_t)rng_next(g),
		.handle = hostile_i32(g),
		.ip = ips[rng_below(g, sizeof ips / sizeof ips[0])],
		.port = (uint16_t)rng_next(g),
		.arg = (uint32_t)hostile_i32(g),
		.timeout_ms = netd_timeout(g),
		.len = len_field(g, len, sizeof rq),
	};
	/* Ops that reach the network go to nobody (10.0.2.99: never the
	 * host's resolver or its ports) with short timeouts, so that they end
	 * (answered with -ETIMEDOUT at their deadline). */
	if (rq.op == NETP_TCP_CONNECT || rq.op == NETP_PING || rq.op == NETP_DNS_LOOKUP) {
		rq.ip = ips[1];
		if (rq.timeout_ms < 0 || rq.timeout_ms > 100)
			rq.timeout_ms = (int32_t)rng_below(g, 20);
	}
	memcpy(msg, &rq, len < sizeof rq ? len : sizeof rq);
}

static void fsd_header(struct rng *g, size_t len)
{
	struct fsp_request rq = {
		.magic = rng_below(g, 10) ? FSP_MAGIC : (uint32_t)rng_next(g),
		.op = (uint32_t)rng_below(g, FSP_OP_MAX + 2),
		.len = len_field(g, len, sizeof rq),
		.dev = (uint32_t)rng_below(g, 3),
		.id = rng_next(g),
		.handle = rng_below(g, 2) ? rng_below(g, 300) : rng_next(g),
		.offset = rng_next(g),
		.count = rng_below(g, 2) ? rng_below(g, 1u << 23) : rng_next(g),
		.window = rng_below(g, 2) ? FSP_WINDOW_BASE + rng_below(g, 1u << 24) : rng_next(g),
	};
	memcpy(msg, &rq, len < sizeof rq ? len : sizeof rq);
}

static void gui_header(struct rng *g, size_t len)
{
	struct guip_request rq = {
		.magic = rng_below(g, 10) ? GUIP_MAGIC : (uint32_t)rng_next(g),
		.op = (uint16_t)rng_below(g, GUIP_PRESENT + 3),
		.win = rng_below(g, 2) ? (int32_t)rng_below(g, 20) : hostile_i32(g),
		.x = hostile_i32(g), .y = hostile_i32(g),
		.w = rng_below(g, 2) ? (int32_t)rng_below(g, 300) : hostile_i32(g),
		.h = rng_below(g, 2) ? (int32_t)rng_below(g, 300) : hostile_i32(g),
		.color = (uint32_t)rng_next(g), .bg = (uint32_t)rng_next(g),
		.len = len_field(g, len, sizeof rq),
	};
	memcpy(msg, &rq, len < sizeof rq ? len : sizeof rq);
}

static size_t pick_len(struct rng *g, size_t hdr)
{
	switch (rng_below(g, 12)) {
	case 0: return 0;
	case 1: return 1 + rng_below(g, 3);
	case 2: case 3: return hdr;
	case 4: case 5: case 6: return hdr + rng_below(g, 64);
	case 7: return rng_below(g, 4096);
	case 8: return rng_below(g, TSB_IPC_MAX_MSG + 2);
	case 9: return TSB_IPC_MAX_MSG;
	case 10: return TSB_IPC_MAX_MSG + 1;
	default: return hdr + rng_below(g, 600);
	}
}

static const size_t hdr_size[] = { [P_NETD] = sizeof(struct netp_request), [P_FSD] = sizeof(struct fsp_request),
				   [P_GUI] = sizeof(struct guip_request) };

/* Message i for target t: its length; *header_proto says which header it
 * carries (P_NONE: random bytes only). */
static size_t make(struct rng *g, const struct target *t, enum proto *header_proto)
{
	enum proto p = t->proto >= P_NETD && t->proto <= P_GUI ? t->proto : P_NONE;
	if (rng_below(g, 10) == 0 || p == P_NONE) /* someone else's protocol, or none */
		p = (enum proto)rng_below(g, 4);
	size_t len = pick_len(g, p == P_NONE ? 16 : hdr_size[p]);
	/* Random bytes; the rest of a large message is a pattern of i (cheap,
	 * and the same when the message is replayed). */
	rng_fill(g, msg, len < 4096 ? len : 4096);
	if (len > 4096)
		memset(msg + 4096, (int)rng_next(g), len - 4096);
	if (p == P_NETD)
		netd_header(g, len);
	else if (p == P_FSD)
		fsd_header(g, len);
	else if (p == P_GUI)
		gui_header(g, len);
	*header_proto = p;
	return len;
}

/* ---- What each target must answer ---- */

struct stats {
	long calls, messages, replies, answered, refused, parked, failures;
};

static bool netd_malformed(size_t len, bool *may_park)
{
	struct netp_request rq;
	*may_park = false;
	if (len < sizeof rq)
		return true;
	memcpy(&rq, msg, sizeof rq);
	if (rq.magic != NETP_MAGIC || rq.len != len - sizeof rq || rq.len > NETP_MAX_DATA || rq.op == 0 ||
	    rq.op >= NETP_OP_MAX || rq.timeout_ms < TSB_FOREVER)
		return true;
	*may_park = rq.timeout_ms != TSB_NO_WAIT;
	return false;
}

/* A reply to check: the status of a netd or fat32d reply, or the value of
 * a gui answer, or a reason it is not a valid reply at all. */
static const char *check_reply(const struct target *t, size_t len, long n)
{
	switch (t->proto) {
	case P_NETD: {
		bool may_park;
		bool bad = netd_malformed(len, &may_park);
		const struct netp_reply *r = (const void *)rep;
		if (n < (long)sizeof *r || r->magic != NETP_MAGIC || r->len != (size_t)n - sizeof *r)
			return "not a netd reply";
		if (bad && r->status >= 0)
			return "a malformed request was not refused";
		return NULL;
	}
	case P_FSD: {
		const struct fsp_reply *r = (const void *)rep;
		if (n < (long)sizeof *r || r->magic != FSP_MAGIC)
			return "not a fat32d reply";
		if (r->status != -EPERM && r->status != -EPROTO)
			return "fat32d did not refuse a request from a plain process";
		return NULL;
	}
	case P_GUI: {
		const struct guip_event *e = (const void *)rep;
		if (n != sizeof *e || e->magic != GUIP_MAGIC ||
		    (e->kind != GUIP_EV_CREATED && e->kind != GUIP_EV_STATUS))
			return "not a gui answer";
		return NULL;
	}
	default:
		return "an answer from a process that takes no calls";
	}
}

static void report(long seed, long i, const struct target *t, const char *kind, size_t len, long got,
		   const char *why, struct stats *s)
{
	s->failures++;
	printf("ipcfuzz: FAILED: seed %ld message %ld: %s of %zu bytes to %s (pid %d): %s (got %ld%s%s)\n",
	       seed, i, kind, len, t->name, t->pid, why, got, got < 0 ? ": " : "", got < 0 ? strerror((int)got) : "");
	printf("ipcfuzz: first bytes:");
	for (size_t k = 0; k < len && k < 48; k++)
		printf(" %02x", (unsigned char)msg[k]);
	printf("\nipcfuzz: replay with: ipcfuzz fuzz %ld 1 all %ld\n", seed, i);
}

/* A refusal a target that takes nothing must give. */
static const char *expect_refused(const struct target *t, size_t len, long r)
{
	if (len > TSB_IPC_MAX_MSG)
		return r == -EMSGSIZE ? NULL : "an oversize message was not -EMSGSIZE";
	if (t->proto == P_GONE)
		return r == -ESRCH ? NULL : "a message to nobody was not -ESRCH";
	return r == -ECONNREFUSED ? NULL : "not refused";
}

static void send_call(long seed, long i, const struct target *t, size_t len, struct stats *s)
{
	bool may_park = false;
	if (t->proto == P_NETD)
		netd_malformed(len, &may_park);
	long wait = may_park ? PARK_WAIT_MS : REPLY_WAIT_MS;
	long r = ipc_call(t->pid, msg, len, rep, sizeof rep, wait);
	const char *why = NULL;

	s->calls++;
	bool serves = t->proto == P_NETD || t->proto == P_FSD || t->proto == P_GUI;
	if (len > TSB_IPC_MAX_MSG || !serves)
		why = expect_refused(t, len, r);
	else if (r == -ETIMEDOUT && may_park)
		s->parked++; /* a well-formed call that waits for the network: cancelled */
	else if (r < 0)
		why = "a server did not answer a call";
	else
		why = check_reply(t, len, r);
	if (r >= 0)
		s->answered++;
	if (r == -ECONNREFUSED || r == -ESRCH || r == -EMSGSIZE)
		s->refused++;
	if (why)
		report(seed, i, t, "call", len, r, why, s);
	/* A handle we were given is closed again at once: the fuzzer does not
	 * keep netd's sockets. */
	const struct netp_reply *nr = (const void *)rep;
	if (t->proto == P_NETD && r >= (long)sizeof *nr && nr->status > 0 && len >= sizeof(struct netp_request)) {
		uint32_t op = ((const struct netp_request *)msg)->op;
		if (op == NETP_TCP_LISTEN || op == NETP_TCP_ACCEPT || op == NETP_TCP_CONNECT || op == NETP_UDP_BIND)
			tcp_close(nr->status);
	}
}

static void send_message(long seed, long i, const struct target *t, size_t len, struct stats *s)
{
	/* The gui takes messages from anyone, charged to us: wait for room. */
	long r = ipc_send(t->pid, msg, len, t->proto == P_GUI ? 2000 : TSB_NO_WAIT);
	const char *why = NULL;

	s->messages++;
	if (t->proto == P_KERNEL)
		why = len > TSB_IPC_MAX_MSG ? (r == -EMSGSIZE ? NULL : "oversize to the kernel")
					    : r == -EPERM ? NULL : "a forged fat32d reply was not -EPERM";
	else if (t->proto == P_GUI && len <= TSB_IPC_MAX_MSG)
		why = r == 0 ? NULL : "the gui did not take a message";
	else
		why = expect_refused(t, len, r);
	if (r < 0)
		s->refused++;
	if (why)
		report(seed, i, t, "message", len, r, why, s);
}

static void send_reply(long seed, long i, const struct target *t, struct rng *g, size_t len, struct stats *s)
{
	/* A token we were never given: for a call of the target's, or random. */
	uint64_t token = rng_below(g, 2) ? (uint64_t)(uint32_t)t->pid << 32 | rng_below(g, 1u << 16) : rng_next(g);
	long r = ipc_reply(token, msg, len);
	s->replies++;
	if (r != -ESRCH && r != -ENOENT && r != -EFAULT)
		report(seed, i, t, "forged reply", len, r, "a reply without a call was not refused", s);
}

/* Every target must still be the same live process. */
static bool all_alive(long seed, long i, struct stats *s)
{
	static struct tsb_procinfo procs[64];
	int n = proc_list(procs, 64);
	bool ok = true;
	for (int t = 0; t < ntargets; t++) {
		if (targets[t].pid <= 0 || targets[t].proto == P_GONE)
			continue;
		bool alive = false;
		for (int k = 0; k < n; k++)
			alive |= procs[k].pid == targets[t].pid && strcmp(procs[k].state, "zombie") != 0;
		if (!alive && strcmp(targets[t].name, "term.elf") != 0) { /* a terminal may be closed */
			s->failures++;
			ok = false;
			printf("ipcfuzz: FAILED: seed %ld: %s (pid %d) is gone after message %ld\n", seed,
			       targets[t].name, targets[t].pid, i);
		}
	}
	return ok;
}

int fuzz_main(long seed, long count, const char *only, long first)
{
	struct stats s = { 0 };

	find_targets(only);
	if (!ntargets) {
		printf("ipcfuzz: no targets\n");
		return 1;
	}
	printf("ipcfuzz: seed %ld, %ld messages from %ld to", seed, count, first);
	for (int t = 0; t < ntargets; t++)
		printf(" %s:%d", targets[t].name, targets[t].pid);
	printf("\n");
	uint64_t t0 = clock_ns();
	for (long i = first; i < first + count; i++) {
		struct rng g = { (uint64_t)seed * 0x9e3779b97f4a7c15ull ^ (uint64_t)i };
		/* The servers more often: they are where the parsing is. */
		const struct target *t = &targets[rng_below(&g, (uint64_t)ntargets)];
		if (nservers && rng_below(&g, 2))
			t = &targets[servers[rng_below(&g, (uint64_t)nservers)]];
		enum proto hp;
		size_t len = make(&g, t, &hp);
		uint64_t how = rng_below(&g, 20);
		if (how < 11)
			send_call(seed, i, t, len, &s);
		else if (how < 19)
			send_message(seed, i, t, len, &s);
		else
			send_reply(seed, i, t, &g, len, &s);
		if ((i + 1) % CHECK_EVERY == 0 && !all_alive(seed, i, &s))
			break;
		if ((i + 1 - first) % 500000 == 0)
			printf("ipcfuzz: at message %ld, %llu s, %ld failures\n", i + 1,
			       (unsigned long long)((clock_ns() - t0) / 1000000000ull), s.failures);
		if (s.failures >= 10)
			break;
	}
	all_alive(seed, first + count, &s);
	uint64_t ms = (clock_ns() - t0) / 1000000;
	printf("ipcfuzz: seed %ld: %ld messages (%ld calls, %ld messages, %ld forged replies) to %d targets in %llu ms:"
	       " %ld answered, %ld refused, %ld parked; %ld failures\n",
	       seed, s.calls + s.messages + s.replies, s.calls, s.messages, s.replies, ntargets,
	       (unsigned long long)ms, s.answered, s.refused, s.parked, s.failures);
	return s.failures ? 1 : 0;
}
