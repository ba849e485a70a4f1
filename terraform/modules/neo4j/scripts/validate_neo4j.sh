# Runs in the validation task's restored-neo4j container (the Neo4j image, `/bin/bash -c`): waits until the validate
# container has unpacked the archive onto the scratch volume (/scratch/ready; /scratch/failed: nothing to
# start), then hands over to the service's own start script (start-with-tls.sh, appended by Terraform) on that copy.
# Never the live volume.
for _ in $(seq 1 1800); do
  [ -f /scratch/failed ] && { echo "the archive did not unpack: Neo4j not started"; exit 0; }
  [ -f /scratch/ready ] && break
  sleep 1
done
[ -f /scratch/ready ] || { echo "no restored copy after 30 minutes" >&2; exit 1; }
chown -R neo4j:neo4j /scratch/data
# start-with-tls.sh follows: it writes the TLS key and certificate and starts Neo4j.
