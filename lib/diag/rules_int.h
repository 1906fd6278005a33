/* rules_int.h -- the rule functions, one per row of the table in rules.c. Internal to lib/diag. */
#ifndef TD_RULES_INT_H
#define TD_RULES_INT_H

#include "diag_int.h"

/* rule_hello.c */
void dx_rule_sni_missing(struct dx *dx, const struct dx_rule *r);
void dx_rule_sni_rejected(struct dx *dx, const struct dx_rule *r);
void dx_rule_no_common_suite(struct dx *dx, const struct dx_rule *r);
void dx_rule_version_mismatch(struct dx *dx, const struct dx_rule *r);
void dx_rule_no_common_group(struct dx *dx, const struct dx_rule *r);
void dx_rule_no_common_sigalg(struct dx *dx, const struct dx_rule *r);
/* rule_psk.c */
void dx_rule_psk_unknown_identity(struct dx *dx, const struct dx_rule *r);
void dx_rule_psk_wrong_key(struct dx *dx, const struct dx_rule *r);
int dx_server_psk(struct dx *dx);   /* the same, in a server's log; returns the findings made */
/* rule_alpn.c */
void dx_rule_alpn_no_common(struct dx *dx, const struct dx_rule *r);
int dx_server_alpn(struct dx *dx);  /* the same, in a server's log; returns the findings made */
/* rule_renego.c */
void dx_rule_renegotiation_refused(struct dx *dx, const struct dx_rule *r);
void dx_rule_renegotiation_declined(struct dx *dx, const struct dx_rule *r);
int dx_server_renego(struct dx *dx);  /* the same, in a server's log; returns the findings made */
/* rule_fallback.c: a server's refusal of TLS_FALLBACK_SCSV (version-mismatch); returns the findings */
int dx_server_fallback(struct dx *dx);
/* rule_cert.c */
void dx_rule_ca_untrusted(struct dx *dx, const struct dx_rule *r);
void dx_rule_cert_expired(struct dx *dx, const struct dx_rule *r);
void dx_rule_cert_not_yet_valid(struct dx *dx, const struct dx_rule *r);
void dx_rule_hostname_mismatch(struct dx *dx, const struct dx_rule *r);
void dx_rule_clock_unset(struct dx *dx, const struct dx_rule *r);
int dx_clock_unset(const struct dx_facts *fx);
/* rule_x509.c */
void dx_rule_dhm_prime_too_small(struct dx *dx, const struct dx_rule *r);
void dx_rule_chain_too_long(struct dx *dx, const struct dx_rule *r);
void dx_rule_cert_key_usage(struct dx *dx, const struct dx_rule *r);
void dx_rule_cert_ext_key_usage(struct dx *dx, const struct dx_rule *r);
void dx_rule_weak_cert_crypto(struct dx *dx, const struct dx_rule *r);
void dx_rule_dtls_cookie_failed(struct dx *dx, const struct dx_rule *r);
/* rule_size.c */
void dx_rule_record_too_large(struct dx *dx, const struct dx_rule *r);
void dx_rule_mfl_ignored(struct dx *dx, const struct dx_rule *r);
void dx_rule_handshake_fragmentation(struct dx *dx, const struct dx_rule *r);
void dx_rule_write_too_large(struct dx *dx, const struct dx_rule *r);
/* rule_net.c */
void dx_rule_connection_refused(struct dx *dx, const struct dx_rule *r);
void dx_rule_connection_reset(struct dx *dx, const struct dx_rule *r);
void dx_rule_peer_closed(struct dx *dx, const struct dx_rule *r);
void dx_rule_timeout(struct dx *dx, const struct dx_rule *r);
/* rule_peer.c */
void dx_rule_client_cert_untrusted(struct dx *dx, const struct dx_rule *r);
void dx_rule_peer_reported(struct dx *dx, const struct dx_rule *r);
/* rule_misc.c */
void dx_rule_client_cert_required(struct dx *dx, const struct dx_rule *r);
void dx_rule_out_of_memory(struct dx *dx, const struct dx_rule *r);
void dx_rule_bad_config(struct dx *dx, const struct dx_rule *r);
void dx_rule_local_failure(struct dx *dx, const struct dx_rule *r);
void dx_rule_unknown(struct dx *dx, const struct dx_rule *r);
void dx_rule_insufficient_evidence(struct dx *dx, const struct dx_rule *r);
void dx_rule_handshake_ok(struct dx *dx, const struct dx_rule *r);
void dx_rule_noted(struct dx *dx, const struct dx_rule *r);
void dx_rule_stray_datagram(struct dx *dx, const struct dx_rule *r);

#endif
