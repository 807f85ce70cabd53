"""Operations: how the platform behaves as a running service — error pages for failed writes
(503, retryable), health reporting (/healthz), request ids and structured logs, the client address
behind a proxy. Depends only on Django and, for health checks, on the apps it reports on."""
