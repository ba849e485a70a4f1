output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (ALB and NAT only), in the order of var.subnets."
  value       = [for s in var.subnets : aws_subnet.public[s.availability_zone].id]
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (tasks and data stores), in the order of var.subnets."
  value       = [for s in var.subnets : aws_subnet.private[s.availability_zone].id]
}

output "flow_log_group_name" {
  description = "Name of the flow log group."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
