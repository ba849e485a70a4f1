variable "name" {
  type = string
}
# Named like secrets: pointers only (ARNs, a parameter path), never the values.
variable "secret_arns" {
  type    = map(string)
  default = {}
}
variable "api_token_parameter" {
  type    = string
  default = null
}
variable "database_credentials" {
  type    = object({ username = optional(string), secret_arn = optional(string) })
  default = null
}
variable "create_secret" {
  type    = bool
  default = false
}

output "secrets" {
  value = [for key, arn in var.secret_arns : { name = key, valueFrom = arn }]
}
output "token_parameter" {
  value = var.api_token_parameter
}
