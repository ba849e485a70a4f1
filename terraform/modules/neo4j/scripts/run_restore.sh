#!/bin/sh
# Started by terraform_data.restore (local-exec): runs the restore task once, waits for it and checks its
# exit code. Only a forced restore (FORCE=true) may replace live data, so only then is Neo4j stopped first;
# its task count is given back afterwards, also when the restore failed.
# Inputs (environment): AWS_REGION CLUSTER SERVICE TASK_DEFINITION SUBNETS SECURITY_GROUPS BACKUP_VERSION
# FORCE (true|false) WAIT (true|false) ENDPOINT_URL (optional, e.g. an emulator).
set -eu
force="${FORCE:-false}"
case "$force" in true | false) ;; *) echo "FORCE must be true or false, not '$force'" >&2; exit 2 ;; esac
aws_() {
  if [ -n "${ENDPOINT_URL:-}" ]; then aws --endpoint-url "$ENDPOINT_URL" --region "$AWS_REGION" "$@"
  else aws --region "$AWS_REGION" "$@"; fi
}

running=$(aws_ ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
  --query 'services[?status==`ACTIVE`].desiredCount | [0]' --output text 2>/dev/null || echo None)
stopped=""
give_back() {
  if [ -n "$stopped" ]; then
    aws_ ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count "$stopped" >/dev/null
  fi
}
trap give_back EXIT
if [ "$force" = "true" ] && [ "$running" != "None" ] && [ "$running" != "0" ]; then
  echo "stopping $SERVICE before the forced restore"
  aws_ ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count 0 >/dev/null
  stopped="$running"
  [ "$WAIT" = "true" ] && aws_ ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"
fi

network="awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUPS],assignPublicIp=DISABLED}"
environment="[{\"name\":\"BACKUP_VERSION\",\"value\":\"${BACKUP_VERSION:-current}\"},{\"name\":\"RESTORE_FORCE\",\"value\":\"$force\"}]"
overrides="{\"containerOverrides\":[{\"name\":\"restore\",\"environment\":$environment}]}"
task=$(aws_ ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" --launch-type FARGATE \
  --network-configuration "$network" --overrides "$overrides" --query 'tasks[0].taskArn' --output text)
echo "restore task: $task"

if [ "$WAIT" = "true" ]; then
  aws_ ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"
  code=$(aws_ ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" \
    --query 'tasks[0].containers[?name==`restore`].exitCode | [0]' --output text)
  case "$code" in
    0) ;;
    3) echo "restore refused: the Neo4j volume already holds data (see the task's log); set restore.force = true with a pinned version_id to replace it, or turn the restore off" >&2; exit 1 ;;
    *) echo "restore task failed with exit code $code (see the task's log)" >&2; exit 1 ;;
  esac
fi
echo "restore done"
