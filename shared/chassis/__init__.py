"""Fleet's chassis: the one package every service is built from.

Cross-cutting concerns live here once (configuration, logging, errors, health, metrics, lifecycle,
HTTP between services, the MQTT bus, the database, auth, the outbox, test fixtures), so a service
holds only its domain code, its routers and its settings.
"""
