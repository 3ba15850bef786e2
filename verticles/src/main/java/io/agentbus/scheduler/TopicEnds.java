package io.agentbus.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** The end offset of every partition of a topic. Blocking: run it off the event loop. */
final class TopicEnds {

  private static final long TIMEOUT_S = 20;

  private TopicEnds() {
  }

  static Map<Integer, Long> of(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "agentbus-recovery-marks");
    try (Admin admin = Admin.create(p)) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
          .get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      d.partitions().forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
      Map<Integer, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    }
  }
}
