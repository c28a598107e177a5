"""The /seen/ control plane: the Chalice app, its blueprints and event handlers.

Thin on purpose: everything else lives in ``chalicelib``.
"""

from chalice import Chalice

from chalicelib import api, events
from chalicelib.config import get_aws_settings
from chalicelib.health.routes import bp as health_bp
from chalicelib.openapi.routes import bp as openapi_bp

app = Chalice(app_name="seen")
app.register_middleware(api.http_middleware, "http")
app.register_blueprint(health_bp)
app.register_blueprint(openapi_bp)


@app.on_sqs_message(queue=get_aws_settings().events_queue, batch_size=10)
def worker_events(event):
    """Apply worker events; failed records are reported for partial redelivery."""
    return events.handle_batch(event)
