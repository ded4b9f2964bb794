// KafkaSource: a consumer of one Kafka topic that Tributary's engine loop drives. It assigns
// every partition explicitly (no consumer-group join, no rebalances), starts each one at the
// offset stored with Tributary's state when there is one, and hands messages out in batches
// while tracking the next offset to read per partition.
//
// Contract:
// - Exactly once is the caller's business: it stores NextOffsets() in the same atomic write
//   as the state the messages produced, and passes them back to Start() after a restart.
//   Stored offsets always win over the startup mode; a partition without one starts per
//   KafkaSourceConfig::startup_mode (group offsets fall back to earliest).
// - Messages of one partition come out in offset order, each once: a message below the
//   partition's next offset is dropped, so NextOffsets() only moves forward.
// - Nothing here throws once constructed (the constructor throws ivm::Error for a bad
//   configuration). A broker that is down or a topic that does not exist puts the source
//   in kRetrying with the error and the current backoff in Status(); the source keeps
//   retrying (partition discovery with its own backoff, fetching through librdkafka's
//   reconnects) and returns to kRunning when the broker answers again.
// - Poll() blocks at most about timeout_ms (discovery retries share that budget).
// - Partitions are discovered when the source starts; partitions added later are not read
//   until the next Start().
// - Single-threaded: one thread calls everything, except Status(), which any thread may
//   call (the tributary_sources system table reads it).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/kafka_config.h"

struct rd_kafka_s;
struct rd_kafka_queue_s;

namespace connectors {

struct KafkaMessage {
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = -1;  // -1 when the message has none
  std::string key;
  std::string value;
  bool null_key = false;
  bool null_value = false;  // a tombstone (value is empty)
};

enum class KafkaSourceState { kRunning, kRetrying, kStopped };
const char* KafkaSourceStateName(KafkaSourceState state);  // "running", "retrying", "stopped"

struct KafkaSourceStatus {
  KafkaSourceState state = KafkaSourceState::kStopped;
  std::string last_error;  // the most recent error, kept after recovery; "" if none
  int64_t last_error_unix_ms = 0;
  int retry_backoff_ms = 0;  // while kRetrying: the current delay between attempts
  int64_t errors = 0;        // errors seen since construction
};

class KafkaSource {
 public:
  explicit KafkaSource(KafkaSourceConfig config);
  ~KafkaSource();
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  const KafkaSourceConfig& config() const { return config_; }

  // Discovers the topic's partitions (blocking at most config().start_timeout_ms) and
  // assigns them all. `stored_offsets` maps partition -> next offset to read. When the
  // broker or topic is unavailable it returns with the source in kRetrying and Poll()
  // finishes the job. Calling Start() again re-discovers and re-assigns.
  void Start(const std::map<int32_t, int64_t>& stored_offsets);
  // Unassigns; Poll() returns nothing until the next Start().
  void Stop();

  // Appends up to max_messages messages to *out and returns how many. Waits up to
  // timeout_ms for the first one, then takes whatever else is already fetched. Stops after
  // the message that brings the keys and values appended to max_bytes; what was fetched
  // beyond it comes first in the next Poll (until Start or Stop). Returns 0 at once when
  // the source is not started. While partitions are still to be discovered, a discovery
  // attempt gets at least 10 ms even when timeout_ms is smaller.
  size_t Poll(std::vector<KafkaMessage>* out, size_t max_messages, int timeout_ms,
              size_t max_bytes = SIZE_MAX);

  // Partition -> next offset to read (the offset after the last message handed out, or the
  // start position). Before the first message of a partition that started at a logical
  // position (earliest / latest / group offsets) the partition is absent: its position is
  // not known yet. NextOffsets() is what the caller stores.
  const std::map<int32_t, int64_t>& NextOffsets() const { return next_offsets_; }
  // The assigned partitions (empty until discovery succeeded).
  const std::vector<int32_t>& Partitions() const { return partitions_; }

  // Partition -> high watermark as last reported by fetch responses; non-blocking.
  // Partitions not fetched yet are absent.
  std::map<int32_t, int64_t> HighWatermarks() const;
  // The same, asking the broker (blocks up to timeout_ms per partition); partitions the
  // broker did not answer for are absent.
  std::map<int32_t, int64_t> QueryHighWatermarks(int timeout_ms) const;
  // Partition -> messages not yet handed out (high watermark - next offset, >= 0) for the
  // partitions whose both figures are known; non-blocking.
  std::map<int32_t, int64_t> Lag() const;

  // Commits NextOffsets() to the consumer group asynchronously, so that Kafka's tools show
  // progress. Informational only: Tributary resumes from its own stored offsets. No-op
  // without a group id, and while the source is retrying (a commit queued for an
  // unreachable coordinator would block the destructor until the broker returns). The
  // destructor waits up to 1 s for a commit in flight.
  void CommitToGroup();
  // The same with the caller's offsets (those it stored), partition -> next offset.
  void CommitToGroup(const std::map<int32_t, int64_t>& offsets);

  KafkaSourceStatus Status() const;

 private:
  using Clock = std::chrono::steady_clock;

  bool TryAssign(int timeout_ms);
  void ServeEvents();
  void OnError(const std::string& error);
  void OnHealthy();
  void OnStatistics(const char* json, size_t length);
  void EnterRetrying();
  int64_t StartOffset(int32_t partition) const;

  static void ErrorCallback(rd_kafka_s* rk, int err, const char* reason, void* opaque);
  static int StatisticsCallback(rd_kafka_s* rk, char* json, size_t length, void* opaque);

  KafkaSourceConfig config_;
  rd_kafka_s* consumer_ = nullptr;
  rd_kafka_queue_s* queue_ = nullptr;

  bool started_ = false;   // Start() called and not stopped
  bool assigned_ = false;  // partitions discovered and assigned
  std::map<int32_t, int64_t> stored_offsets_;
  std::vector<int32_t> partitions_;
  std::map<int32_t, int64_t> next_offsets_;
  Clock::time_point next_attempt_{};
  int backoff_ms_ = 0;
  bool retrying_ = false;      // mirrors status_.state == kRetrying for the polling thread
  int commits_in_flight_ = 0;  // CommitToGroup() calls not yet answered
  std::vector<void*> batch_;   // rd_kafka_message_t* scratch for batch consumption
  std::deque<void*> held_;     // rd_kafka_message_t* fetched past a Poll's max_bytes
  void DropHeld();

  mutable std::mutex status_mutex_;
  KafkaSourceStatus status_;
};

}  // namespace connectors
