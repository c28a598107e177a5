"""The embedded local runtime: everything `make dev` needs, without Docker.

Imported as ``embedded`` (``PYTHONPATH=localstack``) so that it never shadows
the LocalStack CLI's own ``localstack`` package.
"""
