// SourceRunner: feeds one Kafka-fed table (or routine load job). Its thread polls a
// connectors::KafkaSource, decodes each message with the table's FormatDecoder, checks the
// rows against the table's constraints, fills METADATA columns, and hands the result to the
// engine as SourceBatches. Decoding runs here, off the writer thread.
//
// Contract:
// - Exactly once is shared with the engine: a batch carries the offsets after its messages;
//   the engine stores them in the same write as the rows. The runner starts from the offsets
//   it is given (those stored) and, when a batch fails to commit, rewinds to the offsets of
//   the last committed one.
// - A message that cannot be decoded is skipped and sent as a SourceErrorRecord; with
//   on.error = 'stop' the runner instead stops before it (status "paused") until
//   ResumeSkippingError().
// - At most kMaxBatchesInFlight batches wait for the engine at a time, and once their
//   messages hold kMaxBytesInFlight, no further one until some are acknowledged
//   (back-pressure).
// - Start/Stop/ResumeSkippingError are called from the engine's writer thread; `submit`'s
//   completion may run on any thread. Stop() does not wait for the engine, so it may be
//   called from the thread that runs completions.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "connectors/formats/format_decoder.h"
#include "connectors/kafka_source.h"
#include "server/source_batch.h"
#include "sql/catalog.h"

namespace server {

class SourceRunner {
 public:
  // Hands a batch to the engine; `done(true, batch)` once it is committed, `done(false,
  // batch)` if not.
  using SubmitFn = std::function<void(SourceBatch, SourceBatchDone)>;

  // Batches being written by the engine's committer, being applied, and queued: with
  // eight, the runner decodes ahead while it waits for the oldest to be acknowledged.
  static constexpr int kMaxBatchesInFlight = 8;
  static constexpr size_t kMaxBytesInFlight = 64 << 20;  // message bytes (keys and values)
  static constexpr size_t kMaxMessagesPerBatch = 8192;
  static constexpr size_t kMaxBatchBytes = 16 << 20;   // about: the last message may pass it
  static constexpr size_t kMaxMessageBytes = 1 << 20;  // larger messages are skipped (54000)
  static constexpr size_t kPayloadPrefixBytes = 256;
  static constexpr std::chrono::seconds kClientResetAfter{15};
  static constexpr std::chrono::seconds kGroupCommitInterval{1};

  // Throws ivm::Error (22023, 0A000, 42P16) when the source's options cannot work.
  // `max_bytes_in_flight` is kMaxBytesInFlight but in tests.
  SourceRunner(const sql::RelationInfo& table, std::map<int32_t, int64_t> stored_offsets,
               SubmitFn submit, size_t max_bytes_in_flight = kMaxBytesInFlight);
  ~SourceRunner();
  SourceRunner(const SourceRunner&) = delete;
  SourceRunner& operator=(const SourceRunner&) = delete;

  void Start();
  // Ends the thread (joins it). Batches already submitted may still complete.
  void Stop();
  // When the runner stopped at a bad message (on.error = 'stop'), skips that message and goes
  // on; returns false when it was not stopped.
  bool ResumeSkippingError();

  const std::string& name() const { return name_; }
  // The catalog entry the runner was built from (the engine restarts it when that changes).
  const sql::RelationInfo& table() const { return table_; }

 private:
  void Run();
  // Decodes `messages` into *batch; returns false when it stopped at a bad message.
  bool Decode(const std::vector<connectors::KafkaMessage>& messages, SourceBatch* batch);
  void DecodeOne(const connectors::KafkaMessage& message, SourceBatch* batch);
  void FillMetadata(const connectors::KafkaMessage& message,
                    const connectors::MessageMetadata& meta, ivm::Row* row) const;
  void CheckRow(const ivm::Row& row) const;
  // `bytes`: the batch's messages' keys and values, counted against kMaxBytesInFlight.
  void Submit(SourceBatch batch, size_t bytes = 0);
  void ReportStatus(const std::string& status, const std::optional<std::string>& error);
  // Commits the stored offsets to the consumer group now and then (when there is a group).
  void CommitToGroup();
  // Messages between what this runner decoded and the high watermarks.
  int64_t Lag() const;

  const sql::RelationInfo table_;
  const std::string name_;
  SubmitFn submit_;
  const size_t max_bytes_in_flight_;
  std::unique_ptr<connectors::KafkaSource> source_;
  std::unique_ptr<connectors::FormatDecoder> decoder_;
  std::vector<int> metadata_columns_;  // per column: index into table_.source.metadata, or -1

  // Runner thread only.
  std::map<int32_t, int64_t> offsets_;  // next offset per partition, as far as decoded
  std::vector<connectors::RowChange> scratch_changes_;
  std::vector<connectors::MessageMetadata> scratch_meta_;
  std::string reported_status_;
  std::optional<std::string> reported_error_;
  int64_t reported_lag_ = -1;
  std::chrono::steady_clock::time_point last_report_{};
  std::chrono::steady_clock::time_point discovery_failing_since_{};
  int64_t skipped_messages_ = 0;  // skipped by RESUME, to count with the next batch
  bool warned_missing_before_ = false;
  std::chrono::steady_clock::time_point last_group_commit_{};
  std::map<int32_t, int64_t> group_committed_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                 // GUARDED_BY(mu_)
  int in_flight_ = 0;                     // GUARDED_BY(mu_)
  size_t in_flight_bytes_ = 0;            // GUARDED_BY(mu_)
  bool rewind_ = false;                   // GUARDED_BY(mu_): a batch failed to commit
  std::map<int32_t, int64_t> committed_;  // GUARDED_BY(mu_)
  std::optional<std::pair<int32_t, int64_t>> stopped_at_;  // GUARDED_BY(mu_): bad message
  bool skip_requested_ = false;                            // GUARDED_BY(mu_)
  std::vector<SourceBatch> spent_;  // GUARDED_BY(mu_): handed back, to free on this thread
  std::thread thread_;
};

// The connector configuration and decoder options of a Kafka-fed table, checked. Throws
// ivm::Error as SourceRunner's constructor does (CREATE TABLE calls it to fail early).
connectors::KafkaSourceConfig KafkaConfigFor(const sql::RelationInfo& table);
std::unique_ptr<connectors::FormatDecoder> DecoderFor(const sql::RelationInfo& table);
// The source's name in tributary_sources: the routine load job, or the table.
std::string SourceName(const sql::RelationInfo& table);
const char* SourceFormatName(const sql::SourceSpec& spec);  // "debezium-json", ...

}  // namespace server
