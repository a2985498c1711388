/* SPDX-License-Identifier: MIT */
/*
 * An inner IPv4 or IPv6 packet around a UDP datagram: the part of an
 * Encapsulated Control Message (RFC 9301 section 5.8) after its first
 * word, and the inner packet of a control message an RTR and an xTR
 * behind a NAT exchange inside LISP data packets (Data-Map-Register,
 * Data-Map-Notify).  We build and check both checksums ourselves since
 * these headers never pass through a kernel stack.
 */
#include <string.h>

#include "codec.h"

#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define UDP_HLEN	8
#define IPPROTO_UDP_	17

/* RFC 1071 one's complement sum, without the final fold. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Sum of the UDP pseudo-header for the given addresses and length. */
static uint32_t
pseudo_sum(uint8_t ipver, const uint8_t *src, const uint8_t *dst,
    uint32_t ulen)
{
	size_t		alen = ipver == 4 ? 4 : 16;
	uint32_t	sum = 0;

	sum = csum_add(sum, src, alen);
	sum = csum_add(sum, dst, alen);
	sum += IPPROTO_UDP_;
	sum += ulen >> 16;
	sum += ulen & 0xffff;
	return sum;
}

int
lisp_udp_decode(const uint8_t *ip, size_t iplen, struct lisp_ecm *e)
{
	const uint8_t	*udp;
	uint32_t	w;
	size_t		hlen, ulen;

	memset(e, 0, sizeof(*e));
	if (iplen == 0)
		return -LISP_E_TRUNC;
	e->ipver = ip[0] >> 4;

	if (e->ipver == 4) {
		if (iplen < IPV4_HLEN)
			return -LISP_E_TRUNC;
		hlen = (size_t)(ip[0] & 0x0f) * 4;
		if (hlen < IPV4_HLEN)
			return -LISP_E_IP_HLEN;
		if (hlen > iplen)
			return -LISP_E_TRUNC;
		w = (uint32_t)ip[2] << 8 | ip[3];
		if (w < hlen)
			return -LISP_E_IP_LEN;
		if (w > iplen)
			return -LISP_E_TRUNC;
		if (w < iplen)
			return -LISP_E_TRAILING;
		/* MF set or a fragment offset: we don't reassemble. */
		if ((ip[6] << 8 | ip[7]) & 0x3fff)
			return -LISP_E_IP_FRAG;
		if (ip[9] != IPPROTO_UDP_)
			return -LISP_E_IP_PROTO;
		if (csum_fold(csum_add(0, ip, hlen)) != 0xffff)
			return -LISP_E_IP_CSUM;
		e->ttl = ip[8];
		memcpy(e->src, ip + 12, 4);
		memcpy(e->dst, ip + 16, 4);
	} else if (e->ipver == 6) {
		if (iplen < IPV6_HLEN)
			return -LISP_E_TRUNC;
		hlen = IPV6_HLEN;
		w = (uint32_t)ip[4] << 8 | ip[5];
		if (w > iplen - hlen)
			return -LISP_E_TRUNC;
		if (w < iplen - hlen)
			return -LISP_E_TRAILING;
		/* No extension headers: nothing legitimate puts them here. */
		if (ip[6] != IPPROTO_UDP_)
			return -LISP_E_IP_PROTO;
		e->ttl = ip[7];
		memcpy(e->src, ip + 8, 16);
		memcpy(e->dst, ip + 24, 16);
	} else
		return -LISP_E_IP_VERSION;

	udp = ip + hlen;
	ulen = iplen - hlen;
	if (ulen < UDP_HLEN)
		return -LISP_E_TRUNC;
	if ((size_t)(udp[4] << 8 | udp[5]) != ulen)
		return -LISP_E_UDP_LEN;
	/* RFC 9301 5.8: the inner checksum MUST be non-zero. */
	if ((udp[6] << 8 | udp[7]) == 0)
		return -LISP_E_UDP_CSUM_ZERO;
	if (csum_fold(csum_add(pseudo_sum(e->ipver, e->src, e->dst,
	    (uint32_t)ulen), udp, ulen)) != 0xffff)
		return -LISP_E_UDP_CSUM;
	e->sport = (uint16_t)(udp[0] << 8 | udp[1]);
	e->dport = (uint16_t)(udp[2] << 8 | udp[3]);
	e->msg = udp + UDP_HLEN;
	e->msg_len = ulen - UDP_HLEN;
	return 0;
}

int
lisp_udp_encode(uint8_t *p, size_t cap, const struct lisp_ecm *e)
{
	struct wbuf	w;
	size_t		ipoff, udpoff, ulen;
	uint16_t	sum;

	wbuf_init(&w, p, cap);
	if (e->ipver != 4 && e->ipver != 6)
		return -LISP_E_IP_VERSION;
	if (e->msg == NULL && e->msg_len != 0)
		return -LISP_E_INVAL;
	ulen = UDP_HLEN + e->msg_len;
	if (ulen + (e->ipver == 4 ? IPV4_HLEN : 0) > 0xffff)
		return -LISP_E_INVAL;

	ipoff = w.off;
	if (e->ipver == 4) {
		wbuf_u8(&w, 0x45);
		wbuf_u8(&w, 0);			/* TOS */
		wbuf_u16(&w, (uint16_t)(IPV4_HLEN + ulen));
		wbuf_u32(&w, 0);		/* ID, flags, offset */
		wbuf_u8(&w, e->ttl);
		wbuf_u8(&w, IPPROTO_UDP_);
		wbuf_u16(&w, 0);		/* checksum, below */
		wbuf_copy(&w, e->src, 4);
		wbuf_copy(&w, e->dst, 4);
		if (!w.err)
			wbuf_put16(&w, ipoff + 10,
			    (uint16_t)~csum_fold(csum_add(0, p + ipoff,
			    IPV4_HLEN)));
	} else {
		wbuf_u32(&w, 0x60000000);	/* version, class, flow */
		wbuf_u16(&w, (uint16_t)ulen);
		wbuf_u8(&w, IPPROTO_UDP_);
		wbuf_u8(&w, e->ttl);
		wbuf_copy(&w, e->src, 16);
		wbuf_copy(&w, e->dst, 16);
	}
	udpoff = w.off;
	wbuf_u16(&w, e->sport);
	wbuf_u16(&w, e->dport);
	wbuf_u16(&w, (uint16_t)ulen);
	wbuf_u16(&w, 0);
	wbuf_copy(&w, e->msg, e->msg_len);
	if (w.err)
		return wbuf_result(&w);
	sum = (uint16_t)~csum_fold(csum_add(pseudo_sum(e->ipver, e->src,
	    e->dst, (uint32_t)ulen), p + udpoff, ulen));
	/* A computed 0 goes out as all-ones: 0 means "no checksum". */
	wbuf_put16(&w, udpoff + 6, sum ? sum : 0xffff);
	return wbuf_result(&w);
}
