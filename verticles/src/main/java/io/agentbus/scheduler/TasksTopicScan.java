package io.agentbus.scheduler;

import io.agentbus.api.TaskEvent;
import io.agentbus.events.TaskCloudEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tasks topic from given offsets to its current end, grouping the task events by task. Blocking: run it
 * off the event loop. Records that are not agentbus task events are skipped and counted in the log.
 */
final class TasksTopicScan {

  private static final Logger LOG = LoggerFactory.getLogger(TasksTopicScan.class);

  /** One event as the log holds it, with the node that wrote it. */
  record Recorded(TaskEvent event, String node, String traceparent) {
  }

  private TasksTopicScan() {
  }

  /** Every task event from {@code from} (partition to offset) to the end, by task id, each task's events in order. */
  static Map<String, List<Recorded>> read(String bootstrap, String topic, Map<Integer, Long> from, Duration bound)
      throws TimeoutException {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentbus-recovery");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
    Map<String, List<Recorded>> byTask = new LinkedHashMap<>();
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      from.keySet().forEach(partition -> partitions.add(new TopicPartition(topic, partition)));
      consumer.assign(partitions);
      partitions.forEach(tp -> consumer.seek(tp, from.get(tp.partition())));
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, bound));
      long deadline = System.nanoTime() + bound.toNanos();
      int skipped = 0;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("the tasks topic could not be read to its end within " + bound);
        }
        for (ConsumerRecord<String, CloudEvent> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue;
          }
          try {
            CloudEvent ce = r.value();
            TaskEvent event = TaskCloudEvents.fromCloudEvent(ce);
            Object node = ce.getExtension(TaskCloudEvents.EXT_NODE);
            Object trace = ce.getExtension(TaskCloudEvents.EXT_TRACEPARENT);
            byTask.computeIfAbsent(event.taskId(), id -> new ArrayList<>())
                .add(new Recorded(event, node == null ? null : node.toString(), trace == null ? null : trace.toString()));
          } catch (RuntimeException e) {
            skipped++;
          }
        }
      }
      if (skipped > 0) {
        LOG.warn("recovery scan skipped {} record(s) that are not agentbus task events", skipped);
      }
    }
    byTask.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(r -> r.event().seq())));
    return byTask;
  }
}
