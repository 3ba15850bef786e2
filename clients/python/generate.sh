#!/usr/bin/env sh
# Generates the agentbus.v1 Python modules (messages and gRPC stubs) from the .proto files the node serves
# (verticles/src/main/proto: one source of truth) into agentbus/v1/. Run it once after a checkout and after the
# protos change; the generated files are not committed.
# Needs Debian's protobuf-compiler (protoc 3.21) and protobuf-compiler-grpc (grpc_python_plugin), matching
# python3-protobuf 3.21 and python3-grpcio 1.51.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
protos="$(cd "${AGENTBUS_PROTO_DIR:-$here/../../verticles/src/main/proto}" && pwd)"
plugin="${GRPC_PYTHON_PLUGIN:-$(command -v grpc_python_plugin || true)}"
if ! command -v protoc >/dev/null 2>&1 || [ -z "$plugin" ]; then
  echo "generate.sh: needs protoc and grpc_python_plugin (apt-get install protobuf-compiler protobuf-compiler-grpc)" >&2
  exit 2
fi
out="$here/agentbus/v1"
rm -f "$out"/*_pb2.py "$out"/*_pb2_grpc.py
protoc -I "$protos" --python_out="$here" --grpc_python_out="$here" --plugin=protoc-gen-grpc_python="$plugin" \
  "$protos"/agentbus/v1/*.proto
echo "generated $(ls "$out" | grep -c '_pb2') modules in $out from $protos/agentbus/v1"
