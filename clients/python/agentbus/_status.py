"""Reads the ``google.rpc.Status`` a node puts in ``grpc-status-details-bin``: the ErrorInfo reason (the agentbus
error code) and BadRequest field violations.

Debian ships no Python googleapis-common-protos, so the few messages needed are described here in a private
descriptor pool (wire-compatible with google/rpc/status.proto and error_details.proto, clashing with nothing)."""

from __future__ import annotations

from typing import List, Tuple

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
_BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


def _message(file, name, *fields):
    m = file.message_type.add(name=name)
    for number, (field_name, kind, label, type_name) in enumerate(fields, start=1):
        f = m.field.add(name=field_name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name


def _classes():
    file = descriptor_pb2.FileDescriptorProto(name="agentbus/_rpc_status.proto", package="agentbus_sdk.rpc",
                                              syntax="proto3")
    opt, rep = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
    # google.protobuf.Any has this shape on the wire: type_url = 1, value = 2
    _message(file, "Detail", ("type_url", _F.TYPE_STRING, opt, None), ("value", _F.TYPE_BYTES, opt, None))
    _message(file, "Status", ("code", _F.TYPE_INT32, opt, None), ("message", _F.TYPE_STRING, opt, None),
             ("details", _F.TYPE_MESSAGE, rep, ".agentbus_sdk.rpc.Detail"))
    _message(file, "ErrorInfo", ("reason", _F.TYPE_STRING, opt, None), ("domain", _F.TYPE_STRING, opt, None))
    _message(file, "FieldViolation", ("field", _F.TYPE_STRING, opt, None),
             ("description", _F.TYPE_STRING, opt, None))
    _message(file, "BadRequest", ("field_violations", _F.TYPE_MESSAGE, rep, ".agentbus_sdk.rpc.FieldViolation"))
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    get = getattr(message_factory, "GetMessageClass", None)
    if get is None:  # protobuf 3.x
        factory = message_factory.MessageFactory(pool)
        get = factory.GetPrototype
    return tuple(get(pool.FindMessageTypeByName("agentbus_sdk.rpc." + n))
                 for n in ("Status", "ErrorInfo", "BadRequest"))


_Status, _ErrorInfo, _BadRequest = _classes()


def decode(details: bytes) -> Tuple[str, List[Tuple[str, str]]]:
    """The (agentbus error code, field violations) in a serialized google.rpc.Status; ("", []) if none."""
    status = _Status.FromString(details)
    code, violations = "", []
    for d in status.details:
        if d.type_url == _ERROR_INFO and not code:
            code = _ErrorInfo.FromString(d.value).reason
        elif d.type_url == _BAD_REQUEST:
            violations += [(v.field, v.description) for v in _BadRequest.FromString(d.value).field_violations]
    return code, violations


def call_error(rpc_error):
    """A grpc.RpcError as a CallError with the agentbus code and field violations of its status details."""
    from .errors import CallError
    code, violations = "", []
    try:
        for key, value in rpc_error.trailing_metadata() or ():
            if key == "grpc-status-details-bin":
                code, violations = decode(value)
    except Exception:  # a non-agentbus server or a truncated trailer: keep the plain status
        pass
    return CallError(rpc_error.code(), code, rpc_error.details() or "", violations)
