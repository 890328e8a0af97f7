"""Deployment files (nginx in front of N replicas, compose) and the helper that renders them."""
