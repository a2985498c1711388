/* SPDX-License-Identifier: MIT */
/*
 * LISP control plane wire codec (RFC 9301 section 5, RFC 8060 LCAF).
 *
 * No I/O and no allocation: decoders fill caller-provided structs and
 * never read past the given length; encoders write into a caller buffer.
 * Every function returns a negative LISP_E_* on failure; decoders return
 * 0 on success, encoders the number of bytes written.  lisp_strerror()
 * names the reason for every rejection.
 *
 * Multi-byte integers in these structs are in host byte order.
 */
#ifndef LISPD_PROTO_H
#define LISPD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Message types (RFC 9301 section 5.1). */
#define LISP_MSG_REQUEST	1
#define LISP_MSG_REPLY		2
#define LISP_MSG_REGISTER	3
#define LISP_MSG_NOTIFY		4
#define LISP_MSG_NOTIFY_ACK	5
#define LISP_MSG_REFERRAL	6	/* RFC 8111 section 6 */
#define LISP_MSG_INFO		7	/* draft-ermagan-lisp-nat-traversal */
#define LISP_MSG_ECM		8

/* Address family identifiers. */
#define LISP_AFI_NONE		0
#define LISP_AFI_IPV4		1
#define LISP_AFI_IPV6		2
#define LISP_AFI_LCAF		16387

/*
 * LCAF types (RFC 8060 section 3).  Instance-ID and AFI-List are kept;
 * the others are read (their lengths checked) and skipped.
 */
#define LISP_LCAF_NULL		0
#define LISP_LCAF_AFI_LIST	1
#define LISP_LCAF_IID		2
#define LISP_LCAF_AS		3
#define LISP_LCAF_APP_DATA	4
#define LISP_LCAF_GEO		5
#define LISP_LCAF_OPAQUE	6
#define LISP_LCAF_NAT		7
#define LISP_LCAF_NONCE		8
#define LISP_LCAF_MCAST		9
#define LISP_LCAF_ELP		10
#define LISP_LCAF_SECURITY_KEY	11
#define LISP_LCAF_SRC_DST	12
#define LISP_LCAF_RLE		13
#define LISP_LCAF_JSON		14
#define LISP_LCAF_KV		15
#define LISP_LCAF_ENCAP		16
#define LISP_LCAF_MAX		16

/* Limits.  Anything larger on the wire is rejected with a reason. */
#define LISP_MAX_RECORDS	32	/* EID records per message */
#define LISP_MAX_LOCATORS	32	/* locator records per EID record */
#define LISP_MAX_ITR		32	/* ITR-RLOCs: 5-bit IRC + 1 */
#define LISP_MAX_AFI_LIST	4	/* addresses in one AFI-list LCAF */
#define LISP_AUTH_MAX		64	/* authentication data bytes kept */
#define LISP_MAX_RTR		8	/* RTR RLOCs in one NAT-Traversal LCAF */
#define LISP_NAME_MAX		255	/* a Distinguished Name's characters */

/*
 * Why a message was refused: E(id, name, phrase) for each LISP_E_<id>.
 * The name is the reason's counter (rx-malformed-<name> in lispd), ""
 * for the reasons a peer's bytes cannot cause (encoding, crypto, a
 * verdict on valid bytes); the phrase is lisp_strerror()'s.
 */
#define LISP_ERRORS(E) \
	E(TRUNC, "truncated", "message truncated") \
	E(NOSPACE, "", "output buffer too small") \
	E(INVAL, "", "message cannot be encoded as given") \
	E(TYPE, "type", "unexpected message type") \
	E(TRAILING, "trailing-bytes", "trailing bytes after message") \
	E(AFI, "bad-afi", "unknown address family (AFI)") \
	E(AFI_NONE, "afi-zero", "AFI 0 where an address is required") \
	E(LCAF_LEN, "lcaf-length", "LCAF length disagrees with its contents") \
	E(LCAF_TYPE, "lcaf-type", "unsupported LCAF type") \
	E(LCAF_NEST, "lcaf-nested", "LCAFs nested too deep") \
	E(AFI_LIST_EMPTY, "afi-list-empty", "empty AFI-list LCAF") \
	E(AFI_LIST_MANY, "afi-list-too-long", "too many addresses in AFI-list LCAF") \
	E(MASKLEN, "mask-len", "EID mask-len exceeds address length") \
	E(IID_MASKLEN, "iid-mask-len", "instance-id mask-len exceeds 32") \
	E(NO_RECORDS, "no-records", "Map-Request without records") \
	E(NO_ITR, "no-itr-rloc", "Map-Request without a usable ITR-RLOC") \
	E(ITR_KEY, "itr-rloc-key-only", "only ITR-RLOC a Security Key LCAF without an IP address") \
	E(RECORDS, "too-many-records", "too many records") \
	E(LOCATORS, "too-many-locators", "too many locators in a record") \
	E(PROBE_NOT_AUTH, "probe-not-authoritative", "probe Map-Reply record without A bit") \
	E(XTR_ID, "xtr-id-missing", "I bit set but no xTR-ID and Site-ID") \
	E(AUTH_ALG, "auth-algorithm", "unsupported authentication algorithm") \
	E(AUTH_LEN, "auth-length", "authentication data length wrong for algorithm") \
	E(AUTH_FAIL, "", "authentication data does not verify") \
	E(CRYPTO, "", "cryptographic library failure") \
	E(ECM_SEC, "ecm-security", "ECM security data (S bit) not supported") \
	E(IP_VERSION, "inner-ip-version", "inner header is neither IPv4 nor IPv6") \
	E(IP_HLEN, "inner-ip-header-length", "bad inner IPv4 header length") \
	E(IP_LEN, "inner-ip-length", "inner IP length disagrees with packet") \
	E(IP_PROTO, "inner-not-udp", "inner packet is not UDP") \
	E(IP_FRAG, "inner-fragment", "inner packet is a fragment") \
	E(IP_CSUM, "inner-ip-checksum", "bad inner IPv4 header checksum") \
	E(UDP_LEN, "inner-udp-length", "inner UDP length disagrees with IP length") \
	E(UDP_CSUM_ZERO, "inner-udp-checksum-zero", "inner UDP checksum is zero") \
	E(UDP_CSUM, "inner-udp-checksum", "bad inner UDP checksum") \
	E(MREQ_XTR_ID, "map-request-xtr-id", "Map-Request I bit without a 16- or 24-byte xTR-ID trailer") \
	E(INFO_TAIL, "info-request-tail", "Info-Request not ended by AFI 0 or a name") \
	E(NAME, "bad-name", "Distinguished Name not terminated or too long") \
	E(NAT_LCAF, "info-reply-no-nat-lcaf", "Info-Reply without a NAT-Traversal LCAF") \
	E(NAT_RTRS, "too-many-rtrs", "too many RTR RLOCs in a NAT-Traversal LCAF")

/* Reasons.  Negative return values are -LISP_E_*. */
#define LISP_E_ENUM(id, name, phrase)	LISP_E_##id,
enum lisp_err {
	LISP_OK = 0,
	LISP_ERRORS(LISP_E_ENUM)
	LISP_E__MAX
};
#undef LISP_E_ENUM

const char	*lisp_strerror(int err);

/* An IPv4/IPv6 address, or AFI 0 (no address). */
struct lisp_ip {
	uint16_t	afi;
	uint8_t		addr[16];	/* 4 bytes used for IPv4 */
};

/*
 * A LISP address: plain AFI 0/1/2 (in .ip), or an LCAF.
 *   LISP_LCAF_IID:      .iid, .iid_mlen and the inner address in .ip
 *   LISP_LCAF_AFI_LIST: .list[0 .. nlist-1]
 * Either around another LCAF: .ip.afi is LISP_AFI_LCAF and .inner_lcaf
 * that LCAF's type (the first one's in a list); read, not kept.
 * Other LCAF types (and AFI-Lists holding LCAFs) are read, not kept:
 * .lcaf names the type.  A locator or ITR-RLOC of them is skipped and
 * counted; an EID of them is decoded for its caller to refuse.
 */
struct lisp_addr {
	uint16_t	afi;
	uint8_t		lcaf;		/* LCAF type when afi is LCAF */
	uint8_t		inner_lcaf;	/* see above */
	uint8_t		iid_mlen;
	uint32_t	iid;
	struct lisp_ip	ip;
	uint8_t		nlist;
	struct lisp_ip	list[LISP_MAX_AFI_LIST];
};

/* Locator record flags, as on the wire. */
#define LISP_LOC_L		0x0004	/* local locator */
#define LISP_LOC_P		0x0002	/* the probed locator */
#define LISP_LOC_R		0x0001	/* sender has a route to it */

struct lisp_loc {
	uint8_t		priority;
	uint8_t		weight;
	uint8_t		mpriority;
	uint8_t		mweight;
	uint16_t	flags;		/* LISP_LOC_*; unused bits kept */
	struct lisp_addr addr;
};

/* Negative Map-Reply actions (ACT, RFC 9301 section 5.4). */
#define LISP_ACT_NONE		0
#define LISP_ACT_NATIVE_FWD	1
#define LISP_ACT_SEND_MAPREQ	2
#define LISP_ACT_DROP		3
#define LISP_ACT_DROP_POLICY	4
#define LISP_ACT_DROP_AUTH	5

/* EID record: Map-Reply, Map-Register, Map-Notify(-Ack). */
struct lisp_rec {
	uint32_t	ttl;		/* minutes */
	uint8_t		mlen;		/* EID mask-len */
	uint8_t		act;		/* LISP_ACT_*, 3 bits */
	bool		auth;		/* A bit */
	uint16_t	version;	/* Map-Version, 12 bits */
	struct lisp_addr eid;
	uint8_t		nloc;
	uint8_t		nloc_skipped;	/* unknown-LCAF locators skipped */
	struct lisp_loc	loc[LISP_MAX_LOCATORS];
};

/* EID prefix of a Map-Request record. */
struct lisp_eid_prefix {
	bool		notify;		/* N bit: subscribe (RFC 9437) */
	uint8_t		mlen;
	struct lisp_addr eid;
};

/* Map-Request flags, at their bit positions in the first word. */
#define LISP_MREQ_A		(1u << 27)	/* authoritative */
#define LISP_MREQ_M		(1u << 26)	/* map-data present */
#define LISP_MREQ_P		(1u << 25)	/* probe */
#define LISP_MREQ_S		(1u << 24)	/* SMR */
#define LISP_MREQ_PITR		(1u << 23)	/* p: sent by a PITR */
#define LISP_MREQ_SMR_INVOKED	(1u << 22)	/* s */
#define LISP_MREQ_I		(1u << 20)	/* xTR-ID follows (RFC 9437) */
#define LISP_MREQ_L		(1u << 14)	/* local xTR */
#define LISP_MREQ_D		(1u << 13)	/* don't map-reply */
#define LISP_MREQ_FLAGS		0x0fd06000u
#define LISP_MREC_N		0x80	/* record's first byte: notify me */

struct lisp_mapreq {
	uint32_t	flags;
	uint64_t	nonce;
	struct lisp_addr seid;		/* source EID, may be AFI 0 */
	uint8_t		nitr;		/* 1..LISP_MAX_ITR */
	uint8_t		nitr_skipped;	/* unknown-LCAF ITR-RLOCs skipped */
	struct lisp_addr itr[LISP_MAX_ITR];
	uint8_t		nrec;
	struct lisp_eid_prefix rec[LISP_MAX_RECORDS];
	struct lisp_rec	reply;		/* present when flags has M */
	/*
	 * Flags has I: the subscriber's xTR-ID and Site-ID after the
	 * records (RFC 9437 5).  lispers.net sends the xTR-ID alone:
	 * no_site_id, and such a request is encoded the same way back.
	 */
	uint8_t		xtr_id[16];
	uint64_t	site_id;
	bool		no_site_id;
};

/* Map-Reply flags. */
#define LISP_MREP_P		(1u << 27)	/* probe reply */
#define LISP_MREP_E		(1u << 26)	/* echo-nonce capable */
#define LISP_MREP_S		(1u << 25)	/* security data appended */
#define LISP_MREP_FLAGS		0x0e000000u

struct lisp_mapreply {
	uint32_t	flags;
	uint64_t	nonce;
	uint8_t		nrec;
	struct lisp_rec	rec[LISP_MAX_RECORDS];
	/* S bit: RFC 9303 data after the records, not interpreted. */
	const uint8_t	*sec;
	size_t		sec_len;
};

/* Map-Register flags. */
#define LISP_MREG_P		(1u << 27)	/* proxy Map-Reply */
#define LISP_MREG_S		(1u << 26)	/* security capable */
#define LISP_MREG_I		(1u << 25)	/* xTR-ID and Site-ID present */
#define LISP_MREG_E		(1u << 12)	/* EID-notify */
#define LISP_MREG_T		(1u << 11)	/* use record TTL */
#define LISP_MREG_MERGE		(1u << 10)	/* a: merge request */
#define LISP_MREG_M		(1u << 8)	/* want Map-Notify */
#define LISP_MREG_FLAGS		0x0e001d00u

/*
 * Map-Notify(-Ack) flags.  RFC 9301 5.7 leaves the word reserved; the
 * peers (Open Overlay Router, tcpdump, Wireshark) read the I bit here,
 * just after the type, not where the Map-Register has it.
 */
#define LISP_MNOT_I		(1u << 27)	/* xTR-ID and Site-ID present */
#define LISP_MNOT_FLAGS		0x08000000u

/* Algorithm IDs (RFC 9301 section 12.5). */
#define LISP_ALG_NONE		0
#define LISP_ALG_SHA1_96	1
#define LISP_ALG_SHA256_128	2
#define LISP_ALG_SHA256_HKDF	3	/* recognised, not implemented */

/* Map-Register, Map-Notify and Map-Notify-Ack share this layout. */
struct lisp_mapreg {
	uint8_t		type;		/* LISP_MSG_REGISTER/NOTIFY/NOTIFY_ACK */
	uint32_t	flags;
	uint64_t	nonce;
	uint8_t		key_id;
	uint8_t		alg_id;
	uint16_t	auth_len;
	uint8_t		auth[LISP_AUTH_MAX];
	uint8_t		nrec;
	struct lisp_rec	rec[LISP_MAX_RECORDS];
	uint8_t		xtr_id[16];	/* when flags has LISP_MREG_I/MNOT_I */
	uint64_t	site_id;
};

/* Map-Referral actions (RFC 8111 section 6.1), in the record's ACT. */
#define LISP_REF_NODE		0	/* NODE-REFERRAL */
#define LISP_REF_MS		1	/* MS-REFERRAL */
#define LISP_REF_MS_ACK		2	/* MS-ACK */
#define LISP_REF_MS_NOT_REG	3	/* MS-NOT-REGISTERED */
#define LISP_REF_HOLE		4	/* DELEGATION-HOLE */
#define LISP_REF_NOT_AUTH	5	/* NOT-AUTHORITATIVE */

/*
 * A Map-Referral record: an EID record whose locators are the Referral
 * Set and whose act is LISP_REF_*, with the I bit and SigCnt signature
 * sections (RFC 8111 6.4.1), kept as bytes, not verified.
 */
struct lisp_referral_rec {
	bool		incomplete;	/* I bit */
	uint8_t		nsig;		/* SigCnt */
	const uint8_t	*sig;		/* the nsig sections, sig_len bytes */
	size_t		sig_len;
	struct lisp_rec	rec;
};

struct lisp_mapreferral {
	uint64_t	nonce;
	uint8_t		nrec;
	struct lisp_referral_rec rec[LISP_MAX_RECORDS];
};

/*
 * ECM flags.  R and N are draft-ietf-lisp-nat-traversal's (section
 * "Encapsulated Control Message Format": |S|D|E|M|-|R|N|): R, the
 * message is for the RTR that receives it (a Data-Map-Register); N,
 * an RTR relays it to the xTR behind a NAT (a Data-Map-Notify).
 */
#define LISP_ECM_S		(1u << 27)	/* RFC 9303 auth data follows */
#define LISP_ECM_D		(1u << 26)	/* DDT: want Map-Referral */
#define LISP_ECM_R		(1u << 22)	/* to an RTR */
#define LISP_ECM_N		(1u << 21)	/* from an RTR to a NAT'd xTR */
#define LISP_ECM_FLAGS		0x0c600000u


/* Encapsulated Control Message: the ECM word + inner IP + UDP. */
struct lisp_ecm {
	uint32_t	flags;
	uint8_t		ipver;		/* 4 or 6 */
	uint8_t		ttl;		/* TTL / hop limit */
	uint8_t		src[16];
	uint8_t		dst[16];
	uint16_t	sport;
	uint16_t	dport;
	const uint8_t	*msg;		/* inner LISP message */
	size_t		msg_len;
};

/*
 * NAT-Traversal LCAF (RFC 8060 4.4, type 7): what a Map-Server saw of an
 * xTR behind a NAT.  Each address is AFI 0 (none), IPv4 or IPv6.
 */
struct lisp_nat {
	uint16_t	ms_port;	/* the Map-Server's UDP port */
	uint16_t	etr_port;	/* the xTR's translated source port */
	struct lisp_ip	global_etr;	/* the xTR's translated address */
	struct lisp_ip	ms;		/* the Map-Server's RLOC */
	struct lisp_ip	private_etr;	/* the xTR's own address */
	uint8_t		nrtr;
	struct lisp_ip	rtr[LISP_MAX_RTR];
};

/* Info-Request / Info-Reply flag: the R bit. */
#define LISP_INFO_R		(1u << 27)

/*
 * Info-Request and Info-Reply (draft-ermagan-lisp-nat-traversal,
 * section 5): Map-Register's authentication header, a TTL (minutes)
 * and one EID-prefix; a request ends with AFI 0, a reply with the
 * NAT-Traversal LCAF.  lispers.net sends no EID (AFI 0), no auth data
 * and, in a request, its host name (AFI 17) where AFI 0 goes: kept in
 * .name, "" when absent.
 */
struct lisp_info {
	bool		reply;		/* R bit */
	uint64_t	nonce;
	uint8_t		key_id;
	uint8_t		alg_id;
	uint16_t	auth_len;
	uint8_t		auth[LISP_AUTH_MAX];
	uint32_t	ttl;
	uint8_t		mlen;
	struct lisp_addr eid;
	char		name[LISP_NAME_MAX + 1];
	struct lisp_nat	nat;		/* reply only */
};

/* First byte's type nibble, or -LISP_E_TRUNC for an empty buffer. */
int	lisp_msg_type(const uint8_t *, size_t);

/* Addresses. */
int	lisp_addr_decode(const uint8_t *, size_t, struct lisp_addr *,
	    size_t *used);
int	lisp_addr_encode(uint8_t *, size_t, const struct lisp_addr *);
int	lisp_addr_maxbits(const struct lisp_addr *);
void	lisp_addr_ipv4(struct lisp_addr *, const void *in_addr4);
void	lisp_addr_ipv6(struct lisp_addr *, const void *in6_addr16);
void	lisp_addr_iid(struct lisp_addr *, uint32_t iid, uint8_t iid_mlen,
	    const struct lisp_ip *inner);

/* Copy an EID record, only as many locators as it has. */
void	lisp_rec_copy(struct lisp_rec *dst, const struct lisp_rec *src);

/* Messages. */
int	lisp_mapreq_decode(const uint8_t *, size_t, struct lisp_mapreq *);
int	lisp_mapreq_encode(uint8_t *, size_t, const struct lisp_mapreq *);
int	lisp_mapreply_decode(const uint8_t *, size_t, struct lisp_mapreply *);
int	lisp_mapreply_encode(uint8_t *, size_t, const struct lisp_mapreply *);
/* Map-Register only (type 3). */
int	lisp_mapreg_decode(const uint8_t *, size_t, struct lisp_mapreg *);
/* m->auth is not copied: the auth data is written zeroed, see sign. */
int	lisp_mapreg_encode(uint8_t *, size_t, const struct lisp_mapreg *);
/* Map-Notify or Map-Notify-Ack; m->type says which. */
int	lisp_mapnotify_decode(const uint8_t *, size_t, struct lisp_mapreg *);
int	lisp_mapnotify_encode(uint8_t *, size_t, const struct lisp_mapreg *);
int	lisp_mapnotify_ack_encode(uint8_t *, size_t,
	    const struct lisp_mapreg *);
int	lisp_mapreferral_decode(const uint8_t *, size_t,
	    struct lisp_mapreferral *);
int	lisp_mapreferral_encode(uint8_t *, size_t,
	    const struct lisp_mapreferral *);
/* "ms-ack" for LISP_REF_MS_ACK; "unknown" past NOT-AUTHORITATIVE. */
const char *lisp_referral_action_name(uint8_t act);
/* Info-Request or Info-Reply (.reply); auth data encoded zeroed. */
int	lisp_info_decode(const uint8_t *, size_t, struct lisp_info *);
int	lisp_info_encode(uint8_t *, size_t, const struct lisp_info *);
int	lisp_ecm_decode(const uint8_t *, size_t, struct lisp_ecm *);
int	lisp_ecm_encode(uint8_t *, size_t, const struct lisp_ecm *);
/*
 * An IPv4 or IPv6 packet holding a UDP datagram, in an ECM's fields but
 * without its word (flags unused): the inner packet of a control
 * message carried in a LISP data packet (NAT traversal).  No options,
 * extension headers or fragments; both checksums checked and computed.
 */
int	lisp_udp_decode(const uint8_t *, size_t, struct lisp_ecm *);
int	lisp_udp_encode(uint8_t *, size_t, const struct lisp_ecm *);

/* Authentication (RFC 9301 section 5.6). */
/* RFC length (full=false) or untruncated HMAC length of an algorithm. */
int	lisp_auth_len(uint8_t alg_id, bool full);
/* 0, -LISP_E_AUTH_LEN (wrong for alg), -LISP_E_AUTH_ALG (unknown alg). */
int	lisp_auth_len_ok(uint8_t alg_id, uint16_t len);
/* Full HMAC of data; returns its length (20 or 32). */
int	lisp_hmac(uint8_t alg_id, const void *key, size_t keylen,
	    const void *data, size_t len, uint8_t out[32]);
/*
 * msg is a whole encoded Map-Register/Notify/Notify-Ack or
 * Info-Request/Reply whose header
 * names the algorithm and auth length; sign fills the auth data, verify
 * checks it (0 or -LISP_E_AUTH_*).
 */
int	lisp_auth_sign(uint8_t *msg, size_t len, const void *key,
	    size_t keylen);
int	lisp_auth_verify(const uint8_t *msg, size_t len, const void *key,
	    size_t keylen);

#endif /* LISPD_PROTO_H */
