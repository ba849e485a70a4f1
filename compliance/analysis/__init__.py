"""What rules share, one idea per module: values, references (the one reference index), results (the one
result algebra), placement and ingress (networks), policy documents, kms/tls/buckets/storage (encryption),
residency, secret values, workloads. Rule-specific knowledge lives in its rule."""
