#!/bin/sh
# Started by terraform_data.restore (local-exec): stops Neo4j if it runs, runs the restore task once,
# waits for it and checks its exit code, then gives the service its task back.
# Inputs (environment): AWS_REGION CLUSTER SERVICE TASK_DEFINITION SUBNETS SECURITY_GROUPS BACKUP_VERSION
# WAIT (true|false) ENDPOINT_URL (optional, e.g. an emulator).
set -eu
aws_() {
  if [ -n "${ENDPOINT_URL:-}" ]; then aws --endpoint-url "$ENDPOINT_URL" --region "$AWS_REGION" "$@"
  else aws --region "$AWS_REGION" "$@"; fi
}

running=$(aws_ ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
  --query 'services[?status==`ACTIVE`].desiredCount | [0]' --output text 2>/dev/null || echo None)
if [ "$running" != "None" ] && [ "$running" != "0" ]; then
  echo "stopping $SERVICE before the restore"
  aws_ ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count 0 >/dev/null
  [ "$WAIT" = "true" ] && aws_ ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"
fi

network="awsvpcConfiguration={subnets=[$SUBNETS],securityGroups=[$SECURITY_GROUPS],assignPublicIp=DISABLED}"
overrides="{\"containerOverrides\":[{\"name\":\"restore\",\"environment\":[{\"name\":\"BACKUP_VERSION\",\"value\":\"${BACKUP_VERSION:-current}\"}]}]}"
task=$(aws_ ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" --launch-type FARGATE \
  --network-configuration "$network" --overrides "$overrides" --query 'tasks[0].taskArn' --output text)
echo "restore task: $task"

if [ "$WAIT" = "true" ]; then
  aws_ ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"
  code=$(aws_ ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" \
    --query 'tasks[0].containers[?name==`restore`].exitCode | [0]' --output text)
  if [ "$code" != "0" ]; then echo "restore task failed with exit code $code" >&2; exit 1; fi
fi

if [ "$running" != "None" ] && [ "$running" != "0" ]; then
  aws_ ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count "$running" >/dev/null
fi
echo "restore done"
