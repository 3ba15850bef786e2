"""The credential of a client or agent: sent as gRPC metadata ``authorization: Bearer <token or API key>``."""
import os
from typing import Optional

import grpc


def default_token() -> Optional[str]:
    """The credential when none is given: $AGENTBUS_TOKEN (a JWT or an ``abk_`` API key), else none."""
    return os.environ.get("AGENTBUS_TOKEN") or None


class _BearerInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                         grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    def __init__(self, token: str):
        self._header = ("authorization", "Bearer " + token)

    def _details(self, details):
        metadata = [m for m in (details.metadata or ()) if m[0] != "authorization"] + [self._header]
        return details._replace(metadata=metadata) if hasattr(details, "_replace") else _Details(details, metadata)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)


class _Details(grpc.ClientCallDetails):
    def __init__(self, d, metadata):
        self.method = d.method
        self.timeout = d.timeout
        self.metadata = metadata
        self.credentials = d.credentials
        self.wait_for_ready = getattr(d, "wait_for_ready", None)
        self.compression = getattr(d, "compression", None)


def with_token(channel: grpc.Channel, token: Optional[str]) -> grpc.Channel:
    """The channel sending ``token`` on every call (the channel itself when there is none)."""
    return grpc.intercept_channel(channel, _BearerInterceptor(token)) if token else channel
