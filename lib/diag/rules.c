/* rules.c -- the rule table: one row per rule (id, title, function, fix for Mbed TLS 2.x and 3.x,
 * server-side alternative), in the order they run. Later rows (local-failure, unknown,
 * insufficient-evidence, handshake-ok) look at what earlier rows found. Each rule is documented in
 * docs/rules.md; keep the two in step. */
#include "diag_int.h"
#include "rules_int.h"

const struct dx_rule dx_rules[] = {
    {"sni-missing", "No server name (SNI) in the ClientHello", dx_rule_sni_missing,
     "Call mbedtls_ssl_set_hostname(&ssl, \"your.server\") before mbedtls_ssl_handshake(); keep "
     "MBEDTLS_SSL_SERVER_NAME_INDICATION enabled in config.h.",
     "Call mbedtls_ssl_set_hostname(&ssl, \"your.server\") before mbedtls_ssl_handshake(); keep "
     "MBEDTLS_SSL_SERVER_NAME_INDICATION enabled in mbedtls_config.h.",
     "Give the server a default certificate for requests without SNI (Caddy: default_sni; nginx: "
     "a default_server without ssl_reject_handshake)."},
    {"sni-rejected", "The server does not serve the requested name", dx_rule_sni_rejected,
     "Pass the name the server is configured for to mbedtls_ssl_set_hostname().",
     "Pass the name the server is configured for to mbedtls_ssl_set_hostname().",
     "Add the name to the server's configuration (server_name / site address) or a default site."},
    {"no-common-suite", "No cipher suite in common", dx_rule_no_common_suite,
     "Enable the suites the server has: MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED / "
     "MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED with MBEDTLS_GCM_C, and do not restrict them with "
     "mbedtls_ssl_conf_ciphersuites().",
     "Enable the suites the server has: MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED / "
     "MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED with MBEDTLS_GCM_C (and TLS 1.3 via "
     "MBEDTLS_SSL_PROTO_TLS1_3), and do not restrict them with mbedtls_ssl_conf_ciphersuites().",
     "Enable ECDHE suites with AES-GCM on the server, or give it a certificate of the key type the "
     "client's suites need (ECDSA or RSA)."},
    {"version-mismatch", "No TLS version in common", dx_rule_version_mismatch,
     "Mbed TLS 2.x speaks TLS 1.0-1.2: mbedtls_ssl_conf_min_version()/mbedtls_ssl_conf_max_version() "
     "and MBEDTLS_SSL_PROTO_TLS1_2; for a TLS 1.3-only server move to Mbed TLS 3.x.",
     "Set mbedtls_ssl_conf_min_tls_version()/mbedtls_ssl_conf_max_tls_version() and enable "
     "MBEDTLS_SSL_PROTO_TLS1_2 and MBEDTLS_SSL_PROTO_TLS1_3; TLS 1.0/1.1 are gone from 3.x.",
     "Allow TLS 1.2 (and 1.3) on the server (openssl: -tls1_2; nginx: ssl_protocols TLSv1.2 TLSv1.3)."},
    {"no-common-group", "No key exchange group in common", dx_rule_no_common_group,
     "Enable the curves with MBEDTLS_ECP_DP_CURVE25519_ENABLED / MBEDTLS_ECP_DP_SECP256R1_ENABLED and "
     "list them in mbedtls_ssl_conf_curves().",
     "Enable MBEDTLS_ECP_DP_CURVE25519_ENABLED / MBEDTLS_ECP_DP_SECP256R1_ENABLED (or the PSA_WANT_ECC_* "
     "equivalents) and list them in mbedtls_ssl_conf_groups().",
     "Enable x25519 and secp256r1 on the server (openssl: -groups X25519:P-256)."},
    {"no-common-sigalg", "No signature algorithm in common", dx_rule_no_common_sigalg,
     "Enable the hashes and key types the server signs with (MBEDTLS_RSA_C, MBEDTLS_ECDSA_C, "
     "MBEDTLS_SHA256_C) and list them in mbedtls_ssl_conf_sig_hashes().",
     "List the server's signature algorithms in mbedtls_ssl_conf_sig_algs() (rsa_pss_rsae_sha256, "
     "rsa_pkcs1_sha256, ecdsa_secp256r1_sha256) and enable MBEDTLS_PKCS1_V21 / MBEDTLS_ECDSA_C.",
     "Give the server a certificate of the key type the client accepts, or restrict its signature "
     "algorithms to ones the client offers (openssl: -sigalgs)."},
    {"psk-unknown-identity", "The server does not know the client's PSK identity",
     dx_rule_psk_unknown_identity,
     "Configure an identity the server knows: mbedtls_ssl_conf_psk(&conf, key, key_len, identity, "
     "identity_len) (the identity byte for byte, no trailing NUL or newline).",
     "Configure an identity the server knows: mbedtls_ssl_conf_psk(&conf, key, key_len, identity, "
     "identity_len) (the identity byte for byte, no trailing NUL or newline).",
     "Add the client's identity and key to the server (its PSK list or callback)."},
    {"psk-wrong-key", "The pre-shared key differs from the server's", dx_rule_psk_wrong_key,
     "Give the client the key the server has for its identity: mbedtls_ssl_conf_psk() with the raw "
     "key bytes (not the hex text), of the right length.",
     "Give the client the key the server has for its identity: mbedtls_ssl_conf_psk() (or "
     "mbedtls_ssl_conf_psk_opaque()) with the raw key bytes (not the hex text), of the right length.",
     "Check the key the server stores for the client's identity."},
    {"alpn-no-common", "No application protocol (ALPN) in common", dx_rule_alpn_no_common,
     "Offer a protocol the server has with mbedtls_ssl_conf_alpn_protocols() (MBEDTLS_SSL_ALPN in "
     "config.h); AWS IoT Core on port 443 needs \"x-amzn-mqtt-ca\" for MQTT.",
     "Offer a protocol the server has with mbedtls_ssl_conf_alpn_protocols() (MBEDTLS_SSL_ALPN in "
     "mbedtls_config.h); AWS IoT Core on port 443 needs \"x-amzn-mqtt-ca\" for MQTT.",
     "Add the client's protocol to the server's ALPN list, or accept clients whose list does not match."},
    {"ca-untrusted", "Server certificate not issued by a trusted CA", dx_rule_ca_untrusted,
     "Load the issuing root CA: mbedtls_x509_crt_parse() / mbedtls_x509_crt_parse_file() into a chain "
     "and pass it to mbedtls_ssl_conf_ca_chain().",
     "Load the issuing root CA: mbedtls_x509_crt_parse() / mbedtls_x509_crt_parse_file() into a chain "
     "and pass it to mbedtls_ssl_conf_ca_chain().",
     "Send the full chain (leaf and intermediates) from the server, issued by a CA the device trusts."},
    {"cert-expired", "Server certificate expired", dx_rule_cert_expired,
     "Renew the server certificate; if the device clock is wrong, set it (SNTP/RTC) before "
     "mbedtls_ssl_handshake() (MBEDTLS_HAVE_TIME_DATE uses it).",
     "Renew the server certificate; if the device clock is wrong, set it (SNTP/RTC) before "
     "mbedtls_ssl_handshake() (MBEDTLS_HAVE_TIME_DATE uses it).",
     "Install a renewed certificate on the server."},
    {"cert-not-yet-valid", "Server certificate not valid yet (clock behind)", dx_rule_cert_not_yet_valid,
     "Set the device clock before the handshake (SNTP/RTC behind mbedtls_time(), MBEDTLS_HAVE_TIME_DATE).",
     "Set the device clock before the handshake (SNTP/RTC behind mbedtls_time(), "
     "MBEDTLS_PLATFORM_GMTIME_R_ALT if the platform lacks gmtime_r).",
     "Reissue the certificate with a notBefore in the past."},
    {"hostname-mismatch", "Certificate not issued for the requested name", dx_rule_hostname_mismatch,
     "Call mbedtls_ssl_set_hostname() with a name listed in the certificate's subjectAltName.",
     "Call mbedtls_ssl_set_hostname() with a name listed in the certificate's subjectAltName.",
     "Reissue the certificate with the name the device uses in its subjectAltName."},
    {"chain-too-long", "Certificate chain longer than the verifier allows", dx_rule_chain_too_long,
     "Raise MBEDTLS_X509_MAX_INTERMEDIATE_CA in config.h (8 by default) to the chain's number of "
     "intermediates; a verify callback (mbedtls_ssl_conf_verify()) must return 0 and report through the flags.",
     "Raise MBEDTLS_X509_MAX_INTERMEDIATE_CA in mbedtls_config.h (8 by default) to the chain's number of "
     "intermediates; a verify callback (mbedtls_ssl_conf_verify()) must return 0 and report through the flags.",
     "Send a shorter chain: fewer intermediates, or a certificate issued closer to the root."},
    {"cert-key-usage", "The server certificate's keyUsage does not allow its use", dx_rule_cert_key_usage,
     "Accept such a certificate only with mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL) "
     "(or without MBEDTLS_X509_CHECK_KEY_USAGE); better, have the server use a fitting certificate.",
     "Accept such a certificate only with mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL) "
     "(or without MBEDTLS_X509_CHECK_KEY_USAGE); better, have the server use a fitting certificate.",
     "Reissue the server certificate with the keyUsage its suites need: digitalSignature for ECDHE/DHE, "
     "keyEncipherment for RSA key exchange (or no keyUsage extension)."},
    {"cert-ext-key-usage", "The server certificate's extendedKeyUsage does not allow TLS server use",
     dx_rule_cert_ext_key_usage,
     "Accept such a certificate only with mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL) "
     "(or without MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE); better, have the server use a fitting certificate.",
     "Accept such a certificate only with mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL) "
     "(or without MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE); better, have the server use a fitting certificate.",
     "Reissue the server certificate with serverAuth in its extendedKeyUsage (or without the extension)."},
    {"weak-cert-crypto", "The chain uses a hash or key the verification profile refuses", dx_rule_weak_cert_crypto,
     "Use a chain signed with SHA-256 or better and keys of 2048 bits (RSA) / P-256 (EC) or more, or "
     "relax the profile (mbedtls_ssl_conf_cert_profile()) if you must.",
     "Use a chain signed with SHA-256 or better and keys of 2048 bits (RSA) / P-256 (EC) or more, or "
     "relax the profile (mbedtls_ssl_conf_cert_profile()) if you must.",
     "Reissue the certificate with SHA-256 and a 2048-bit RSA or P-256 key."},
    {"dtls-cookie-failed", "The DTLS cookie exchange (HelloVerifyRequest) failed", dx_rule_dtls_cookie_failed,
     "Check the server's log first (the fix is usually there); on the client, keep its address and port the "
     "same between a ClientHello and its retry (one socket, no NAT rebinding), and let "
     "mbedtls_ssl_conf_handshake_timeout() wait long enough for the server.",
     "Check the server's log first (the fix is usually there); on the client, keep its address and port the "
     "same between a ClientHello and its retry (one socket, no NAT rebinding), and let "
     "mbedtls_ssl_conf_handshake_timeout() wait long enough for the server.",
     "Set up DTLS cookies on the server: mbedtls_ssl_cookie_setup(), mbedtls_ssl_conf_dtls_cookies(&conf, "
     "mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &cookie_ctx), and "
     "mbedtls_ssl_set_client_transport_id() with each client's address."},
    {"dhm-prime-too-small", "The server's DH prime is below the client's minimum", dx_rule_dhm_prime_too_small,
     "Prefer ECDHE suites (mbedtls_ssl_conf_ciphersuites()); lowering the minimum with "
     "mbedtls_ssl_conf_dhm_min_bitlen(&conf, bits) (1024 by default) accepts a weak key exchange.",
     "Prefer ECDHE suites (mbedtls_ssl_conf_ciphersuites()); lowering the minimum with "
     "mbedtls_ssl_conf_dhm_min_bitlen(&conf, bits) (1024 by default) accepts a weak key exchange.",
     "Use DH parameters of 2048 bits or more (Mbed TLS: mbedtls_ssl_conf_dh_param_bin(); openssl: -dhparam), "
     "or offer ECDHE suites first."},
    {"record-too-large", "Server record larger than the client's input buffer", dx_rule_record_too_large,
     "Build with MBEDTLS_SSL_IN_CONTENT_LEN 16384 (config.h) or at least the largest server record; "
     "MBEDTLS_SSL_MAX_FRAGMENT_LENGTH with mbedtls_ssl_conf_max_frag_len() only helps if the server honours it.",
     "Build with MBEDTLS_SSL_IN_CONTENT_LEN 16384 (mbedtls_config.h) or at least the largest server "
     "record; MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH lets buffers grow after the handshake.",
     "Shorten the server's chain (fewer intermediates, ECDSA keys) or make it honour "
     "max_fragment_length / record_size_limit."},
    {"mfl-ignored", "Server ignored max_fragment_length", dx_rule_mfl_ignored,
     "Build with MBEDTLS_SSL_IN_CONTENT_LEN 16384; mbedtls_ssl_conf_max_frag_len() is only a request.",
     "Build with MBEDTLS_SSL_IN_CONTENT_LEN 16384; mbedtls_ssl_conf_max_frag_len() is only a request.",
     "Use a server (or a proxy in front of it) that implements max_fragment_length or record_size_limit."},
    {"handshake-fragmentation", "Handshake message split over records", dx_rule_handshake_fragmentation,
     "Mbed TLS 2.x cannot reassemble handshake messages: update to Mbed TLS 3.6.4 or later.",
     "Update to Mbed TLS 3.6.4 or later, which reassembles fragmented handshake messages.",
     "Stop the server from fragmenting: full-size records, no max_fragment_length or record_size_limit."},
    {"client-cert-required", "Server requires a client certificate", dx_rule_client_cert_required,
     "Load a client certificate and key (mbedtls_x509_crt_parse, mbedtls_pk_parse_key) and call "
     "mbedtls_ssl_conf_own_cert() before the handshake.",
     "Load a client certificate and key (mbedtls_x509_crt_parse, mbedtls_pk_parse_key) and call "
     "mbedtls_ssl_conf_own_cert() before the handshake.",
     "Make the client certificate optional (nginx: ssl_verify_client optional; openssl: -verify instead "
     "of -Verify)."},
    {"out-of-memory", "The client ran out of memory", dx_rule_out_of_memory,
     "Give Mbed TLS a bigger heap (mbedtls_memory_buffer_alloc_init) or smaller buffers "
     "(MBEDTLS_SSL_IN_CONTENT_LEN / MBEDTLS_SSL_OUT_CONTENT_LEN).",
     "Give Mbed TLS a bigger heap (mbedtls_memory_buffer_alloc_init) or smaller buffers "
     "(MBEDTLS_SSL_IN_CONTENT_LEN / MBEDTLS_SSL_OUT_CONTENT_LEN, MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH).",
     "Send a shorter certificate chain with smaller (ECDSA) keys."},
    {"connection-refused", "TCP connection refused", dx_rule_connection_refused,
     "Check the address and port given to mbedtls_net_connect() and that the server listens there.",
     "Check the address and port given to mbedtls_net_connect() and that the server listens there.",
     "Start the server or open the port in the firewall."},
    {"connection-reset", "Connection reset by the peer", dx_rule_connection_reset,
     "Check the port speaks TLS and what resets the connection (server or firewall logs).",
     "Check the port speaks TLS and what resets the connection (server or firewall logs).",
     "Look at the server's and firewall's logs for why the connection is reset."},
    {"peer-closed", "The server closed the connection", dx_rule_peer_closed,
     "Check the port speaks TLS and what closes the connection (server, proxy, firewall).",
     "Check the port speaks TLS and what closes the connection (server, proxy, firewall).",
     "Look at the server's log for why it closes the connection."},
    {"timeout", "No answer from the server", dx_rule_timeout,
     "Check the server answers on that port; mbedtls_ssl_conf_read_timeout() sets the wait.",
     "Check the server answers on that port; mbedtls_ssl_conf_read_timeout() sets the wait.",
     "Check the server process and any proxy or firewall in between."},
    {"write-too-large", "A DTLS write larger than one record", dx_rule_write_too_large,
     "Write in pieces of at most mbedtls_ssl_get_max_out_record_payload() bytes (DTLS does not split "
     "a write); MBEDTLS_SSL_MAX_FRAGMENT_LENGTH / mbedtls_ssl_set_mtu() set that size.",
     "Write in pieces of at most mbedtls_ssl_get_max_out_record_payload() bytes (DTLS does not split "
     "a write); MBEDTLS_SSL_MAX_FRAGMENT_LENGTH / mbedtls_ssl_set_mtu() set that size.",
     NULL},
    {"renegotiation-refused", "Renegotiation refused, or the handshake broken off over secure renegotiation",
     dx_rule_renegotiation_refused,
     "Do not renegotiate with a peer that refuses it (open a new connection instead); leave "
     "mbedtls_ssl_conf_legacy_renegotiation() at MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION (the default) so "
     "a peer without secure renegotiation (RFC 5746) can still connect.",
     "Do not renegotiate with a peer that refuses it (open a new connection instead); leave "
     "mbedtls_ssl_conf_legacy_renegotiation() at MBEDTLS_SSL_LEGACY_NO_RENEGOTIATION (the default) so "
     "a peer without secure renegotiation (RFC 5746) can still connect.",
     "Enable renegotiation on the server if the client needs it (and secure renegotiation, RFC 5746)."},
    {"bad-config", "Client configuration error", dx_rule_bad_config,
     "Check the mbedtls_ssl_conf_*() calls (RNG, own cert with its key, versions) and config.h features.",
     "Check the mbedtls_ssl_conf_*() calls (RNG, own cert with its key, versions) and mbedtls_config.h "
     "features; 3.x with PSA also needs psa_crypto_init().",
     NULL},
    {"client-cert-untrusted", "The server refused the client certificate", dx_rule_client_cert_untrusted,
     "Load a client certificate issued by a CA the server trusts (mbedtls_x509_crt_parse, "
     "mbedtls_pk_parse_key, mbedtls_ssl_conf_own_cert()), with its intermediates in the chain you pass.",
     "Load a client certificate issued by a CA the server trusts (mbedtls_x509_crt_parse, "
     "mbedtls_pk_parse_key, mbedtls_ssl_conf_own_cert()), with its intermediates in the chain you pass.",
     "Add the issuer of the device's certificate to the server's client CA list (nginx: "
     "ssl_client_certificate; mosquitto: cafile; openssl s_server: -CAfile; Caddy: trusted_ca_cert_file)."},
    {"peer-reported", "The other side's log names the failure", dx_rule_peer_reported,
     "Read the other side's line with the device's error: raise the debug level "
     "(mbedtls_debug_set_threshold(4)) to see the handshake the other side objected to.",
     "Read the other side's line with the device's error: raise the debug level "
     "(mbedtls_debug_set_threshold(4)) to see the handshake the other side objected to.",
     "The other side's line says what it objected to; fix that side's configuration if it is wrong."},
    {"local-failure", "The client aborted the handshake", dx_rule_local_failure,
     "Read the first failing call in the log; raise the debug level to 4 for the details.",
     "Read the first failing call in the log; raise the debug level to 4 for the details.",
     NULL},
    {"unknown", "Failure not recognised", dx_rule_unknown,
     "Capture a debug log: MBEDTLS_DEBUG_C, mbedtls_debug_set_threshold(4), mbedtls_ssl_conf_dbg().",
     "Capture a debug log: MBEDTLS_DEBUG_C, mbedtls_debug_set_threshold(4), mbedtls_ssl_conf_dbg().",
     "Check the server's log for the reason it gives."},
    {"insufficient-evidence", "Not enough in the log", dx_rule_insufficient_evidence,
     "Capture a debug log: MBEDTLS_DEBUG_C, mbedtls_debug_set_threshold(4), mbedtls_ssl_conf_dbg().",
     "Capture a debug log: MBEDTLS_DEBUG_C, mbedtls_debug_set_threshold(4), mbedtls_ssl_conf_dbg().",
     NULL},
    /* the same id again, after the fallbacks: the log's writer declined its peer's renegotiation and
     * the peer then closed; the close found above becomes a warning (rule_renego.c) */
    {"renegotiation-refused", "The peer's renegotiation declined", dx_rule_renegotiation_declined,
     "Nothing to fix if the server needs no renegotiation; else enable it: "
     "mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_ENABLED).",
     "Nothing to fix if the server needs no renegotiation; else enable it: "
     "mbedtls_ssl_conf_renegotiation(MBEDTLS_SSL_RENEGOTIATION_ENABLED).",
     "Do not ask clients to renegotiate (or do not enforce it: mbedtls_ssl_conf_renegotiation_enforced())."},
    {"clock-unset", "The device clock is not set", dx_rule_clock_unset,
     "Set the time before the handshake (SNTP/RTC) so mbedtls_time() returns the real time.",
     "Set the time before the handshake (SNTP/RTC) so mbedtls_time() returns the real time.",
     NULL},
    {"handshake-ok", "Handshake succeeded", dx_rule_handshake_ok, "Nothing to fix.", "Nothing to fix.", NULL},
    {"stray-datagram", "A late datagram of the connection before, not a client", dx_rule_stray_datagram,
     "Nothing to fix: the connection before this one completed.",
     "Nothing to fix: the connection before this one completed.", NULL},
    {"noted", "Seen on the way, not a cause", dx_rule_noted, "Nothing to fix: Mbed TLS carries on after these.",
     "Nothing to fix: Mbed TLS carries on after these.", NULL},
};
const size_t dx_n_rules = sizeof dx_rules / sizeof dx_rules[0];
