package io.agentbus.node;

import com.fasterxml.jackson.databind.JavaType;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.agentbus.api.Codecs;
import io.agentbus.api.Json;
import io.agentbus.api.SubmitTask;
import io.agentbus.api.TaskEvent;
import io.agentbus.api.TaskEventType;
import io.agentbus.api.TaskState;
import io.agentbus.api.TaskView;
import io.agentbus.events.TaskCloudEvents;
import io.agentbus.grpc.v1.Ack;
import io.agentbus.grpc.v1.AgentMessage;
import io.agentbus.grpc.v1.AgentSessionGrpcService;
import io.agentbus.grpc.v1.AgentSessionProto;
import io.agentbus.grpc.v1.FabricMessage;
import io.agentbus.grpc.v1.Register;
import io.agentbus.grpc.v1.SubmitRequest;
import io.agentbus.grpc.v1.TaskServiceGrpcService;
import io.agentbus.grpc.v1.TasksProto;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.vertx.grpc.health.v1.HealthProto;
import io.vertx.grpc.reflection.v1.ServerReflectionProto;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the JSON, CloudEvent and Protobuf machinery before the verticles start, on the starting thread: Jackson
 * builds a record's (de)serializer on first use, and Protobuf builds its descriptors when a generated class is first
 * touched; on a cold JVM either takes hundreds of milliseconds, which would otherwise block an event loop (the gRPC
 * gateway's start, the first task, the first agent session).
 */
final class Warmup {

  private Warmup() {
  }

  static void run() {
    for (Class<?> type : Codecs.records()) {
      JavaType javaType = Json.MAPPER.constructType(type);
      Json.MAPPER.canSerialize(type);
      Json.MAPPER.canDeserialize(javaType);
    }
    SubmitTask submit = new SubmitTask("warmup", Json.object().put("k", "v"), 1L, Map.of("k", "v"), null, null, 0);
    Json.fromBytes(Json.toBytes(submit), SubmitTask.class);
    Json.tree(Map.of("k", "v"));
    TaskView view = new TaskView("tsk_warmup", "warmup", TaskState.SUCCEEDED, Json.object(), Json.object(), null,
        Map.of(), 1, Instant.now(), Instant.now(), 1, "agent", 1, "node");
    Json.fromString(Json.toString(view), TaskView.class);
    TaskEvent event = new TaskEvent("tsk_warmup", 1, TaskEventType.SUBMITTED, Instant.now(), Json.object());
    CloudEvent ce = TaskCloudEvents.toCloudEvent(event, "warmup", null);
    for (Encoding encoding : Encoding.values()) {
      try (CloudEventSerializer serializer = new CloudEventSerializer()) {
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding.name(),
            CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
        serializer.serialize("warmup", new RecordHeaders(), ce);
      }
    }
    protobuf();
  }

  private static void protobuf() {
    TasksProto.getDescriptor();
    AgentSessionProto.getDescriptor();
    HealthProto.getDescriptor();
    ServerReflectionProto.getDescriptor();
    TaskServiceGrpcService.Run.methodName();
    AgentSessionGrpcService.Connect.methodName();
    try {
      AgentMessage.parseFrom(AgentMessage.newBuilder()
          .setRegister(Register.newBuilder().setAgentId("warmup")).build().toByteArray());
      FabricMessage.parseFrom(FabricMessage.newBuilder()
          .setAck(Ack.newBuilder().setOk(true)).build().toByteArray());
      SubmitRequest.parseFrom(SubmitRequest.newBuilder()
          .setAgentType("warmup").build().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    com.google.rpc.Status.newBuilder()
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("warmup").build()))
        .addDetails(Any.pack(BadRequest.getDefaultInstance())).build()
        .toByteArray();
  }
}
