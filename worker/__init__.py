"""The /seen/ home-server worker: downloads, scanning, uploads.

It holds AWS credentials for one command queue, one event queue, its DynamoDB
items and one bucket, and never database credentials: nothing under
``worker/`` may import psycopg or ``chalicelib.db`` (a test checks).
"""
