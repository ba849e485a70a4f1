"""Developer tools run by the Makefile: Terraform checks and offline plans."""
