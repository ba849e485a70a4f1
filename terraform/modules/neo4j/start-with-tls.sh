# Runs as the Neo4j container's command (bash -c): write Bolt's key and certificate from the TLS secret,
# drop them from the environment, then hand over to the image's entrypoint.
set -eu
umask 077
mkdir -p /ssl/bolt/trusted /ssl/bolt/revoked
printf '%s\n' "$BOLT_TLS_KEY" > /ssl/bolt/private.key
printf '%s\n' "$BOLT_TLS_CERTIFICATE" > /ssl/bolt/public.crt
unset BOLT_TLS_KEY BOLT_TLS_CERTIFICATE
# Clients are not asked for certificates (set here, not in the task's environment, where its name would
# read like a credential).
export NEO4J_dbms_ssl_policy_bolt_client__auth=NONE
chown -R neo4j:neo4j /ssl
exec /startup/docker-entrypoint.sh neo4j
