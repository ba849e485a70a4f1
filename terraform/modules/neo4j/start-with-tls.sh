# Runs as the Neo4j container's command (bash -c): write the key and certificate from the TLS secret for
# Bolt and HTTPS, drop them from the environment, then hand over to the image's entrypoint.
set -eu
umask 077
for policy in bolt https; do
  mkdir -p "/ssl/$policy/trusted" "/ssl/$policy/revoked"
  printf '%s\n' "$BOLT_TLS_KEY" > "/ssl/$policy/private.key"
  printf '%s\n' "$BOLT_TLS_CERTIFICATE" > "/ssl/$policy/public.crt"
done
unset BOLT_TLS_KEY BOLT_TLS_CERTIFICATE
# Clients are not asked for certificates (set here, not in the task's environment, where its name would
# read like a credential).
export NEO4J_dbms_ssl_policy_bolt_client__auth=NONE NEO4J_dbms_ssl_policy_https_client__auth=NONE
chown -R neo4j:neo4j /ssl
exec /startup/docker-entrypoint.sh neo4j
