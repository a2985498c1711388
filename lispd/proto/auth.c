/* SPDX-License-Identifier: MIT */
/*
 * Map-Register / Map-Notify / Map-Notify-Ack authentication,
 * RFC 9301 section 5.6, with libcrypto's HMAC; Info-Request and
 * Info-Reply have the same header and are signed the same way.
 *
 * Algorithm ID 1 is HMAC-SHA-1-96 (RFC 2404, 12 bytes) and 2 is
 * HMAC-SHA-256-128 (RFC 4868, 16 bytes); both use the pre-shared key
 * itself ("None" KDF).  RFC 6830/6833 had a 16-bit "Key ID" field that
 * held these same numbers, so an old peer's 0x0001 reads here as key-id 0,
 * algorithm 1: the two layouts agree on the wire.
 *
 * Length decision: the registry names the truncated MACs, but deployed
 * peers written to RFC 6833 (Open Overlay Router among them) put the
 * whole HMAC in the packet, 20 bytes for SHA-1 and 32 for SHA-256, and
 * say so in the Authentication Data Length field.  A truncated MAC is a
 * prefix of the full one, so we accept either length, compare as many
 * bytes as the field says, and refuse any other length.  We send the
 * RFC's truncated length unless the caller asks for the full one.
 *
 * Coverage: section 5.6 says "through the end of the last RLOC-Record",
 * which read literally would leave the xTR-ID and Site-ID unprotected
 * although a Map-Server keys its replay state on them.  We MAC the
 * whole message as given, trailer included, as deployed peers do.
 *
 * Algorithm 3 (HKDF-SHA256 per-message keys) is recognised when parsing
 * but refused by sign and verify: section 5.6 leaves the HKDF salt/info
 * roles and output length open to reading, and a guess that doesn't
 * interoperate is worse than a clear refusal.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "proto.h"

#define AUTH_OFF	16	/* auth data starts after the 16-byte header */

int
lisp_auth_len(uint8_t alg_id, bool full)
{
	switch (alg_id) {
	case LISP_ALG_NONE:
		return 0;
	case LISP_ALG_SHA1_96:
		return full ? 20 : 12;
	case LISP_ALG_SHA256_128:
	case LISP_ALG_SHA256_HKDF:
		return full ? 32 : 16;
	default:
		return -LISP_E_AUTH_ALG;
	}
}

int
lisp_auth_len_ok(uint8_t alg_id, uint16_t len)
{
	int	trunc = lisp_auth_len(alg_id, false);

	if (trunc < 0)
		return trunc;
	if (len == trunc || len == lisp_auth_len(alg_id, true))
		return 0;
	return -LISP_E_AUTH_LEN;
}

static const char *
alg_digest(uint8_t alg_id)
{
	switch (alg_id) {
	case LISP_ALG_SHA1_96:
		return "SHA1";
	case LISP_ALG_SHA256_128:
		return "SHA256";
	default:
		return NULL;
	}
}

/*
 * An HMAC context with the algorithm's digest set, made once: fetching
 * HMAC and the digest by name takes locks and string compares, which
 * cost a busy Map-Server more than the hashing.  Copies of it get the
 * key.  Never freed: it lives as long as the process.
 */
static EVP_MAC_CTX *
hmac_template(uint8_t alg_id, const char *md)
{
	static EVP_MAC_CTX	*tmpl[LISP_ALG_SHA256_128 + 1];
	EVP_MAC			*mac;
	OSSL_PARAM		 params[2];

	if (tmpl[alg_id])
		return tmpl[alg_id];
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((tmpl[alg_id] = EVP_MAC_CTX_new(mac)) != NULL &&
	    !EVP_MAC_CTX_set_params(tmpl[alg_id], params)) {
		EVP_MAC_CTX_free(tmpl[alg_id]);
		tmpl[alg_id] = NULL;
	}
	EVP_MAC_free(mac);
	return tmpl[alg_id];
}

/*
 * Contexts that already hold a key, for the few keys a daemon uses
 * (a Map-Server's site keys, an ETR's Map-Server keys): setting the key
 * hashes it twice, as much work again as a short message, and a fresh
 * context costs allocations.  A kept context is re-initialised with a
 * NULL key, which restarts it on the key it holds.  Replaced
 * round-robin; keys longer than KEYED_MAX are not kept.  Like the rest
 * of the codec's callers, single-threaded.
 */
#define KEYED_SLOTS	8
#define KEYED_MAX	64

static struct keyed {
	EVP_MAC_CTX	*ctx;
	uint8_t		 alg_id;
	size_t		 keylen;
	uint8_t		 key[KEYED_MAX];
} keyed[KEYED_SLOTS];

static EVP_MAC_CTX *
keyed_ctx(uint8_t alg_id, EVP_MAC_CTX *tmpl, const void *key, size_t keylen)
{
	static unsigned int	 next;
	struct keyed		*k;
	int			 i;

	for (i = 0; i < KEYED_SLOTS; i++) {
		k = &keyed[i];
		if (k->ctx && k->alg_id == alg_id && k->keylen == keylen &&
		    CRYPTO_memcmp(k->key, key, keylen) == 0)
			return EVP_MAC_init(k->ctx, NULL, 0, NULL) ?
			    k->ctx : NULL;
	}
	if (keylen > KEYED_MAX)
		return NULL;
	k = &keyed[next++ % KEYED_SLOTS];
	EVP_MAC_CTX_free(k->ctx);
	OPENSSL_cleanse(k->key, sizeof(k->key));
	k->ctx = EVP_MAC_CTX_dup(tmpl);
	if (k->ctx && !EVP_MAC_init(k->ctx, key, keylen, NULL)) {
		EVP_MAC_CTX_free(k->ctx);
		k->ctx = NULL;
	}
	if (!k->ctx)
		return NULL;
	k->alg_id = alg_id;
	k->keylen = keylen;
	memcpy(k->key, key, keylen);
	return k->ctx;
}

/*
 * HMAC over up to three pieces; the auth data is fed as zeroes so the
 * message is never copied or modified to compute it.
 */
static int
hmac3(uint8_t alg_id, const void *key, size_t keylen,
    const uint8_t *a, size_t alen, size_t zeroes,
    const uint8_t *c, size_t clen, uint8_t out[32])
{
	static const uint8_t zero[LISP_AUTH_MAX];
	const char	*md = alg_digest(alg_id);
	EVP_MAC_CTX	*tmpl, *ctx = NULL, *own = NULL;
	size_t		 outlen = 0;
	int		 ok = 0;

	if (md == NULL)
		return -LISP_E_AUTH_ALG;
	if (zeroes > sizeof(zero))
		return -LISP_E_AUTH_LEN;
	if ((tmpl = hmac_template(alg_id, md)) == NULL)
		return -LISP_E_CRYPTO;
	/* A zero-length key still needs a valid pointer. */
	if (key == NULL)
		key = zero;
	/* A kept context, else one of our own for this message. */
	if ((ctx = keyed_ctx(alg_id, tmpl, key, keylen)) == NULL &&
	    (ctx = own = EVP_MAC_CTX_dup(tmpl)) != NULL &&
	    !EVP_MAC_init(ctx, key, keylen, NULL))
		ctx = NULL;
	if (ctx != NULL &&
	    EVP_MAC_update(ctx, a, alen) &&
	    EVP_MAC_update(ctx, zero, zeroes) &&
	    EVP_MAC_update(ctx, c, clen) &&
	    EVP_MAC_final(ctx, out, &outlen, 32))
		ok = 1;
	EVP_MAC_CTX_free(own);
	return ok ? (int)outlen : -LISP_E_CRYPTO;
}

int
lisp_hmac(uint8_t alg_id, const void *key, size_t keylen,
    const void *data, size_t len, uint8_t out[32])
{
	return hmac3(alg_id, key, keylen, data, len, 0, NULL, 0, out);
}

/* Common checks; on success *alen is the auth data length. */
static int
auth_header(const uint8_t *msg, size_t len, size_t *alen)
{
	uint8_t	type, alg;
	int	rc;

	if (msg == NULL || len < AUTH_OFF)
		return -LISP_E_TRUNC;
	type = msg[0] >> 4;
	if (type != LISP_MSG_REGISTER && type != LISP_MSG_NOTIFY &&
	    type != LISP_MSG_NOTIFY_ACK && type != LISP_MSG_INFO)
		return -LISP_E_TYPE;
	alg = msg[13];
	*alen = (size_t)msg[14] << 8 | msg[15];
	if (alg_digest(alg) == NULL)
		return -LISP_E_AUTH_ALG;
	if ((rc = lisp_auth_len_ok(alg, (uint16_t)*alen)) != 0)
		return rc;
	if (*alen > len - AUTH_OFF)
		return -LISP_E_TRUNC;
	return 0;
}

static int
auth_compute(const uint8_t *msg, size_t len, size_t alen, const void *key,
    size_t keylen, uint8_t out[32])
{
	return hmac3(msg[13], key, keylen, msg, AUTH_OFF, alen,
	    msg + AUTH_OFF + alen, len - AUTH_OFF - alen, out);
}

int
lisp_auth_sign(uint8_t *msg, size_t len, const void *key, size_t keylen)
{
	uint8_t	out[32];
	size_t	alen;
	int	rc;

	if ((rc = auth_header(msg, len, &alen)) != 0)
		return rc;
	if ((rc = auth_compute(msg, len, alen, key, keylen, out)) < 0)
		return rc;
	memcpy(msg + AUTH_OFF, out, alen);
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

int
lisp_auth_verify(const uint8_t *msg, size_t len, const void *key,
    size_t keylen)
{
	uint8_t	out[32];
	size_t	alen;
	int	rc;

	if ((rc = auth_header(msg, len, &alen)) != 0)
		return rc;
	if ((rc = auth_compute(msg, len, alen, key, keylen, out)) < 0)
		return rc;
	/* Constant time: don't leak how many leading bytes matched. */
	rc = CRYPTO_memcmp(out, msg + AUTH_OFF, alen) == 0 ? 0 :
	    -LISP_E_AUTH_FAIL;
	OPENSSL_cleanse(out, sizeof(out));
	return rc;
}
