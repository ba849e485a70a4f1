# The stack moved into modules/stack (one call per env). Same file in every env; remove it once both envs
# have applied this move.
moved {
  from = module.kms
  to   = module.stack.module.kms
}

moved {
  from = module.kms_replica
  to   = module.stack.module.kms_replica
}

moved {
  from = module.vpc
  to   = module.stack.module.vpc
}

moved {
  from = module.cluster
  to   = module.stack.module.cluster
}

moved {
  from = module.ecr
  to   = module.stack.module.ecr
}

moved {
  from = module.api
  to   = module.stack.module.api
}

moved {
  from = module.opensearch
  to   = module.stack.module.opensearch
}

moved {
  from = module.neo4j
  to   = module.stack.module.neo4j
}

moved {
  from = module.backup_bucket
  to   = module.stack.module.backup_bucket
}

moved {
  from = module.replica_bucket
  to   = module.stack.module.replica_bucket
}

moved {
  from = module.backup
  to   = module.stack.module.backup
}

moved {
  from = module.config
  to   = module.stack.module.config
}

moved {
  from = module.secrets
  to   = module.stack.module.secrets
}

moved {
  from = module.rotation
  to   = module.stack.module.rotation
}

moved {
  from = module.cloudtrail
  to   = module.stack.module.cloudtrail
}

moved {
  from = module.alarms
  to   = module.stack.module.alarms
}

moved {
  from = module.github
  to   = module.stack.module.github
}

moved {
  from = module.alarms_replica
  to   = module.stack.module.alarms_replica
}

moved {
  from = module.dashboard
  to   = module.stack.module.dashboard
}

moved {
  from = module.neo4j_backup
  to   = module.stack.module.neo4j_backup
}
