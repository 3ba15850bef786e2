package io.agentbus.launcher;

import io.cloudevents.CloudEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Tails the tasks topic and prints each task event CloudEvent. */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the task events recorded in Kafka, one line per CloudEvent.",
        "Each line: time, type, subject (the task id), sequence, id and data; structured and binary mode both read.",
        "A task's events come in order (they share a partition); events of different tasks may interleave out of order.",
        "Commits nothing and joins no consumer group. Stops after --max events or when nothing new came for --timeout."})
final class EventsCommand implements Callable<Integer> {

  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration MIN_METADATA_WAIT = Duration.ofSeconds(5);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      defaultValue = "${env:AGENTBUS_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (default: $AGENTBUS_KAFKA_BOOTSTRAP, else 127.0.0.1:9092; the node prints"
          + " its own when it starts)")
  String bootstrap;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "agentbus.tasks", description = "Topic (default ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--from-beginning", description = "Start at the oldest retained event instead of the newest")
  boolean fromBeginning;

  @Option(names = "--task", paramLabel = "ID", description = "Only the events of this task")
  String taskId;

  @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after N events (0: no limit)")
  long max;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Stop when no event came for this long (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--json", description = "Print each event in the CloudEvents JSON format")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (max < 0 || timeout.isZero()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max must be >= 0 and --timeout more than 0");
    }
    Duration metadataWait = timeout.compareTo(MIN_METADATA_WAIT) > 0 ? timeout : MIN_METADATA_WAIT;
    long printed = 0;
    try (TaskTopicTail tail = TaskTopicTail.open(bootstrap, topic, fromBeginning, metadataWait)) {
      long lastPrinted = System.nanoTime();
      String stop = null;
      while (stop == null) {
        for (ConsumerRecord<String, CloudEvent> record : tail.poll(POLL, err::println)) {
          CloudEvent event = record.value();
          if (event == null || (taskId != null && !taskId.equals(event.getSubject()))) {
            continue;
          }
          out.println(json ? CloudEventPrinter.json(event) : CloudEventPrinter.line(event));
          lastPrinted = System.nanoTime();
          if (++printed == max) {
            break;
          }
        }
        out.flush();
        if (max > 0 && printed >= max) {
          stop = "--max reached";
        } else if (System.nanoTime() - lastPrinted >= timeout.toNanos()) {
          stop = "nothing new for " + timeout.toMillis() + " ms";
        }
      }
      err.println("agentbus: " + printed + " event(s) from " + topic + " at " + bootstrap + "; stopped: " + stop);
      err.flush();
      return ExitCodes.OK;
    } catch (IllegalArgumentException | KafkaException e) {
      err.println("agentbus: cannot read " + topic + " at " + bootstrap + ": " + e.getMessage());
      err.flush();
      return ExitCodes.REQUEST_ERROR;
    }
  }
}
