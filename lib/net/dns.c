/* DNS stub resolver (RFC 1035) for A records. A query goes to the
 * configured server from a random port with a random id; an answer must
 * come from that server and port, carry the id and repeat the question.
 * CNAME chains inside the answer are followed. Responses are hostile:
 * every name is decoded with bounds checks, compression pointers must
 * point strictly backwards (so they cannot loop) and a name is limited to
 * 255 bytes; anything malformed drops the whole response. */
#include "net_int.h"

#define DNS_HDR      12
#define DNS_TYPE_A   1
#define DNS_TYPE_CNAME 5
#define DNS_CLASS_IN 1
#define DNS_WIRE_MAX 255
#define DNS_MAX_HOPS 32      /* pointers followed in one name */
#define DNS_MAX_CNAMES 8

/* Decodes the (possibly compressed) name at off into dotted text (out may
 * be NULL). Bytes that cannot appear in a name we query become 0x7f so that
 * they never compare equal. Returns the offset after the name where it is
 * stored, or -1 if malformed. */
static long dns_name(const uint8_t *m, size_t len, size_t off, char out[NET_DNS_NAME_MAX + 1])
{
	size_t pos = off, limit = off, end = 0, wire = 1, o = 0;
	int hops = 0;

	for (;;) {
		if (pos >= len)
			return -1;
		uint8_t l = m[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len)
				return -1;
			size_t ptr = ((size_t)(l & 0x3f) << 8) | m[pos + 1];
			/* Each jump lands before the previous one: no loops. */
			if (ptr < DNS_HDR || ptr >= limit || ++hops > DNS_MAX_HOPS)
				return -1;
			if (!end)
				end = pos + 2;
			pos = limit = ptr;
			continue;
		}
		if (l & 0xc0)
			return -1;   /* the reserved 0x40 / 0x80 label types */
		if (l == 0)
			break;
		wire += 1u + l;
		if (pos + 1 + l > len || wire > DNS_WIRE_MAX)
			return -1;
		if (out) {
			if (o)
				out[o++] = '.';
			for (size_t i = 0; i < l; i++) {
				uint8_t c = m[pos + 1 + i];
				out[o++] = (char)(c > 0x20 && c < 0x7f && c != '.' ? c : 0x7f);
			}
		}
		pos += 1u + l;
	}
	if (out)
		out[o] = 0;
	return (long)(end ? end : pos + 1);
}

static bool name_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

/* Checks a name we are asked to resolve; writes its wire form to out (if
 * not NULL) and returns the wire length. */
static int dns_encode(const char *name, uint8_t *out)
{
	size_t n = strlen(name), w = 0;

	if (n && name[n - 1] == '.')
		n--;   /* an absolute name */
	if (n == 0)
		return -EINVAL;
	if (n > NET_DNS_NAME_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < n;) {
		size_t l = 0;
		while (i + l < n && name[i + l] != '.') {
			uint8_t c = (uint8_t)name[i + l];
			if (c <= 0x20 || c >= 0x7f)
				return -EINVAL;
			l++;
		}
		if (l == 0 || l > 63)
			return -EINVAL;
		if (out) {
			out[w] = (uint8_t)l;
			memcpy(out + w + 1, name + i, l);
		}
		w += 1 + l;
		i += l + 1;
	}
	if (out)
		out[w] = 0;
	return (int)w + 1;
}

static void dns_send(struct net_stack *s, struct net_dns_q *q)
{
	uint8_t *p = udp_payload(s);
	int n;

	put16(p, q->id);
	put16(p + 2, 0x0100);   /* recursion desired */
	put16(p + 4, 1);
	memset(p + 6, 0, 6);
	n = dns_encode(q->name, p + DNS_HDR);
	put16(p + DNS_HDR + n, DNS_TYPE_A);
	put16(p + DNS_HDR + n + 2, DNS_CLASS_IN);
	(void)udp_output(s, q->port, q->server, q->server_port, DNS_HDR + (size_t)n + 4);
}

struct net_dns_q *dns_get(struct net_stack *s, int h)
{
	int i = net_handle_slot(h, NET_K_DNS, NET_DNS_SLOTS);

	if (i < 0 || !s->dns[i].used || s->dns[i].gen != net_handle_gen(h))
		return NULL;
	return &s->dns[i];
}

bool dns_port_in_use(const struct net_stack *s, uint16_t port)
{
	for (int i = 0; i < NET_DNS_SLOTS; i++)
		if (s->dns[i].used && !s->dns[i].done && s->dns[i].port == port)
			return true;
	return false;
}

int net_dns_query(struct net_stack *s, const char *name)
{
	return net_dns_query_at(s, name, s->ifc.dns, DNS_PORT);
}

int net_dns_query_at(struct net_stack *s, const char *name, uint32_t server, uint16_t port)
{
	int i, rc;

	if (!name || !port)
		return -EINVAL;
	rc = dns_encode(name, NULL);
	if (rc < 0)
		return rc;
	if (!s->ifc.ip || !server)
		return -ENETDOWN;
	for (i = 0; i < NET_DNS_SLOTS && s->dns[i].used; i++)
		;
	if (i == NET_DNS_SLOTS)
		return -EMFILE;
	struct net_dns_q *q = &s->dns[i];
	uint16_t gen = (uint16_t)(q->gen + 1);
	memset(q, 0, sizeof(*q));
	q->gen = gen;
	q->id = (uint16_t)net_rand32(s);
	q->port = udp_ephemeral_port(s);
	q->server = server;
	q->server_port = port;
	q->tries = 1;
	q->deadline = s->now + NET_DNS_TIMEOUT_MS;
	size_t n = strlen(name);
	n -= name[n - 1] == '.';   /* stored without the root dot, to compare */
	memcpy(q->name, name, n);  /* fits: checked by dns_encode */
	q->used = true;
	dns_send(s, q);
	return net_handle(NET_K_DNS, gen, (unsigned)i);
}

int net_dns_result(struct net_stack *s, int h, uint32_t *ip)
{
	struct net_dns_q *q = dns_get(s, h);

	if (!q)
		return -EBADF;
	if (!q->done)
		return -EAGAIN;
	if (ip && q->result == 0)
		*ip = q->ip;
	q->used = false;
	return q->result;
}

int net_dns_cancel(struct net_stack *s, int h)
{
	struct net_dns_q *q = dns_get(s, h);

	if (!q)
		return -EBADF;
	q->used = false;
	return 0;
}

/* Finds the A record for the question's name in the answer section,
 * following CNAMEs. Returns 0 (found), -ENODATA, or -EBADMSG if malformed. */
static int dns_answer(const uint8_t *m, size_t len, size_t off, unsigned ancount, const char *qname,
                      uint32_t *ip)
{
	char target[NET_DNS_NAME_MAX + 1], owner[NET_DNS_NAME_MAX + 1], alias[NET_DNS_NAME_MAX + 1];

	memcpy(target, qname, strlen(qname) + 1);
	for (int pass = 0; pass <= DNS_MAX_CNAMES; pass++) {
		size_t pos = off;
		bool aliased = false;
		for (unsigned i = 0; i < ancount; i++) {
			long next = dns_name(m, len, pos, owner);
			if (next < 0 || (size_t)next + 10 > len)
				return -EBADMSG;
			pos = (size_t)next;
			uint16_t type = get16(m + pos), cls = get16(m + pos + 2), rdlen = get16(m + pos + 8);
			pos += 10;
			if (pos + rdlen > len)
				return -EBADMSG;
			if (cls == DNS_CLASS_IN && name_eq(owner, target)) {
				if (type == DNS_TYPE_A && rdlen == 4) {
					*ip = get32(m + pos);
					return 0;
				}
				if (type == DNS_TYPE_CNAME && !aliased) {
					long e = dns_name(m, len, pos, alias);
					if (e < 0 || (size_t)e > pos + rdlen)
						return -EBADMSG;
					aliased = true;
				}
			}
			pos += rdlen;
		}
		if (!aliased)
			break;
		memcpy(target, alias, sizeof(target));
	}
	return -ENODATA;
}

bool dns_input(struct net_stack *s, const struct ip_rx *ip, uint16_t sport, uint16_t dport,
               const uint8_t *p, size_t len)
{
	struct net_dns_q *q = NULL;
	char qname[NET_DNS_NAME_MAX + 1];

	for (int i = 0; i < NET_DNS_SLOTS && !q; i++)
		if (s->dns[i].used && !s->dns[i].done && s->dns[i].port == dport)
			q = &s->dns[i];
	if (!q)
		return false;
	if (ip->src != q->server || sport != q->server_port || len < DNS_HDR || get16(p) != q->id) {
		s->stats.dns_unmatched++;
		return true;
	}
	uint16_t flags = get16(p + 2);
	if (!(flags & 0x8000) || (flags & 0x7800) || get16(p + 4) != 1) {
		s->stats.dns_bad++;   /* not a standard-query response with one question */
		return true;
	}
	long pos = dns_name(p, len, DNS_HDR, qname);
	if (pos < 0 || (size_t)pos + 4 > len) {
		s->stats.dns_bad_name++;
		return true;
	}
	if (!name_eq(qname, q->name) || get16(p + pos) != DNS_TYPE_A ||
	    get16(p + pos + 2) != DNS_CLASS_IN) {
		s->stats.dns_unmatched++;
		return true;
	}
	int rc;
	switch (flags & 0xf) {
	case 0:
		rc = dns_answer(p, len, (size_t)pos + 4, get16(p + 6), qname, &q->ip);
		if (rc == -EBADMSG) {
			s->stats.dns_bad_name++;
			return true;
		}
		break;
	case 1: rc = -EPROTO; break;
	case 3: rc = -ENOENT; break;
	default: rc = -EIO; break;
	}
	q->result = rc;
	q->done = q->ev = true;
	return true;
}

void dns_tick(struct net_stack *s)
{
	for (int i = 0; i < NET_DNS_SLOTS; i++) {
		struct net_dns_q *q = &s->dns[i];
		if (!q->used || q->done || s->now < q->deadline)
			continue;
		if (q->tries >= NET_DNS_TRIES || !s->ifc.dns) {
			q->result = -ETIMEDOUT;
			q->done = q->ev = true;
			continue;
		}
		q->deadline = s->now + ((uint64_t)NET_DNS_TIMEOUT_MS << q->tries);
		q->tries++;
		dns_send(s, q);
	}
}

uint64_t dns_deadline(const struct net_stack *s)
{
	uint64_t d = 0;

	for (int i = 0; i < NET_DNS_SLOTS; i++)
		if (s->dns[i].used && !s->dns[i].done)
			d = earliest(d, s->dns[i].deadline);
	return d;
}

unsigned dns_poll(const struct net_dns_q *q)
{
	return q->done ? NET_EV_IN | (q->result ? NET_EV_ERR : 0u) : 0u;
}
