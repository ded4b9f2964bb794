#include "server/source_runner.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "ivm/cast.h"
#include "ivm/error.h"
#include "server/system_tables.h"

namespace server {
namespace {

using connectors::KafkaMessage;
using connectors::MessageMetadata;
using connectors::RowChange;
namespace sqlstate = ivm::sqlstate;

// How long one poll waits for the first message; short, so Stop() and pauses act quickly.
constexpr int kPollTimeoutMs = 20;
// Idle sources refresh their lag in tributary_sources at most this often.
constexpr auto kStatusInterval = std::chrono::milliseconds(500);

// A prefix of `bytes` that is valid, printable UTF-8: other bytes become \xNN.
std::string PrintablePrefix(std::string_view bytes, size_t limit) {
  std::string out;
  size_t i = 0;
  while (i < bytes.size() && out.size() < limit) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = len > 0 && i + len <= bytes.size();
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(bytes[i + k]) >> 6) == 2;
    }
    if (valid && (len > 1 || c >= 0x20 || c == '\t') && c != 0x7f) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    }
  }
  return out;
}

connectors::Format FormatOf(const sql::SourceSpec& spec) {
  if (spec.format == "debezium") return connectors::Format::kDebeziumJson;
  if (spec.format == "canal") return connectors::Format::kCanalJson;
  if (spec.format == "maxwell") return connectors::Format::kMaxwellJson;
  if (spec.format == "upsert") return connectors::Format::kUpsertJson;
  return connectors::Format::kPlainJson;
}

bool IsMetadataColumn(const sql::SourceSpec& spec, int column) {
  for (const auto& [c, key] : spec.metadata) {
    if (c == column) return true;
  }
  return false;
}

std::optional<std::string> Joined(const std::optional<std::vector<std::string>>& names) {
  if (!names) return std::nullopt;
  std::string out = "[";
  for (size_t i = 0; i < names->size(); ++i) out += (i ? "," : "") + ('"' + (*names)[i] + '"');
  return out + "]";
}

}  // namespace

std::string SourceName(const sql::RelationInfo& table) {
  return table.source.is_routine_load() ? table.source.job : table.name;
}

const char* SourceFormatName(const sql::SourceSpec& spec) {
  return connectors::FormatName(FormatOf(spec));
}

connectors::KafkaSourceConfig KafkaConfigFor(const sql::RelationInfo& table) {
  const sql::SourceSpec& spec = table.source;
  connectors::KafkaSourceConfig config;
  config.bootstrap_servers = spec.bootstrap_servers;
  config.topic = spec.topic;
  config.group_id = spec.group_id;
  config.startup_mode = connectors::ParseStartupMode(spec.startup_mode);
  for (const auto& [key, value] : spec.properties) {
    config.properties[connectors::LibrdkafkaPropertyName(key)] = value;
  }
  config.start_timeout_ms = 1000;
  return config;
}

std::unique_ptr<connectors::FormatDecoder> DecoderFor(const sql::RelationInfo& table) {
  const sql::SourceSpec& spec = table.source;
  connectors::FormatOptions options;
  options.format = FormatOf(spec);
  options.schema_include = spec.schema_include;
  options.database_include = spec.database_include;
  options.table_include = spec.table_include;
  options.ignore_parse_errors = spec.ignore_parse_errors;
  connectors::TargetSchema target;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    // METADATA columns are not read from the message body: give them names no JSON field
    // can match, and fill them from the message's metadata afterwards.
    const bool metadata = IsMetadataColumn(spec, static_cast<int>(i));
    target.names.push_back(metadata ? "\x01metadata:" + table.columns[i].name
                                    : table.columns[i].name);
    target.types.push_back(table.columns[i].type);
  }
  target.key = table.primary_key;
  options.jsonpaths = spec.jsonpaths;
  options.strip_outer_array = spec.strip_outer_array;
  options.json_root = spec.json_root;
  if (!spec.jsonpaths.empty()) {
    for (int c : spec.load_columns) {
      options.jsonpath_columns.push_back(c < 0 ? "__op" : table.columns[c].name);
    }
  }
  return connectors::MakeDecoder(options, target);
}

SourceRunner::SourceRunner(const sql::RelationInfo& table,
                           std::map<int32_t, int64_t> stored_offsets, SubmitFn submit,
                           size_t max_bytes_in_flight)
    : table_(table),
      name_(SourceName(table)),
      submit_(std::move(submit)),
      max_bytes_in_flight_(max_bytes_in_flight),
      source_(std::make_unique<connectors::KafkaSource>(KafkaConfigFor(table))),
      decoder_(DecoderFor(table)),
      metadata_columns_(table.columns.size(), -1),
      offsets_(std::move(stored_offsets)),
      committed_(offsets_) {
  for (size_t m = 0; m < table.source.metadata.size(); ++m) {
    metadata_columns_[table.source.metadata[m].first] = static_cast<int>(m);
  }
}

SourceRunner::~SourceRunner() { Stop(); }

void SourceRunner::Start() {
  thread_ = std::thread([this] {
    // "src:" + the source's name, cut to the 15 bytes Linux keeps.
    pthread_setname_np(pthread_self(), ("src:" + name_).substr(0, 15).c_str());
    Run();
  });
}

void SourceRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SourceRunner::ResumeSkippingError() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!stopped_at_) return false;
  skip_requested_ = true;
  cv_.notify_all();
  return true;
}

void SourceRunner::Run() {
  source_->Start(offsets_);
  std::vector<KafkaMessage> messages;
  std::set<int32_t> polled;
  for (;;) {
    std::vector<SourceBatch> spent;  // batches handed back, freed outside the lock
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] {
        return stopping_ || skip_requested_ ||
               (!stopped_at_ && in_flight_ < kMaxBatchesInFlight &&
                (in_flight_ == 0 || in_flight_bytes_ < max_bytes_in_flight_) &&
                !(rewind_ && in_flight_ > 0));
      });
      spent.swap(spent_);
      if (stopping_) break;
      if (skip_requested_ || rewind_) {
        // Resume after the bad message, or go back to what is committed; wait until nothing
        // is in flight so that `committed_` is final.
        cv_.wait(lock, [&] { return stopping_ || in_flight_ == 0; });
        if (stopping_) break;
        if (rewind_) offsets_ = committed_;
        if (skip_requested_ && stopped_at_) {
          offsets_[stopped_at_->first] = stopped_at_->second + 1;
          skipped_messages_ += 1;  // consumed, as an error, by the next batch
        }
        rewind_ = skip_requested_ = false;
        stopped_at_.reset();
        lock.unlock();
        source_->Start(offsets_);
        continue;
      }
    }
    spent.clear();  // before the next batch is made, which reuses the memory
    CommitToGroup();
    messages.clear();
    source_->Poll(&messages, kMaxMessagesPerBatch, kPollTimeoutMs, kMaxBatchBytes);
    // A partition that has handed out nothing yet sits at its start position (resolved to
    // a number, even for earliest/latest): adopt it, so that it is stored with the next
    // batch and a restart resumes there rather than at whatever "latest" is by then.
    polled.clear();
    for (const KafkaMessage& m : messages) polled.insert(m.partition);
    for (const auto& [partition, offset] : source_->NextOffsets()) {
      if (!polled.count(partition)) offsets_.try_emplace(partition, offset);
    }
    connectors::KafkaSourceStatus status = source_->Status();
    if (status.state == connectors::KafkaSourceState::kRetrying && source_->Partitions().empty()) {
      // Partition discovery keeps failing. librdkafka normally recovers by itself; a client
      // that has failed for this long is replaced, in case its state is what is stuck.
      auto now = std::chrono::steady_clock::now();
      if (discovery_failing_since_ == std::chrono::steady_clock::time_point{}) {
        discovery_failing_since_ = now;
      } else if (now - discovery_failing_since_ > kClientResetAfter) {
        spdlog::warn("source {}: partition discovery keeps failing ({}); recreating its client",
                     name_, status.last_error);
        source_ = std::make_unique<connectors::KafkaSource>(KafkaConfigFor(table_));
        source_->Start(offsets_);
        discovery_failing_since_ = {};
        continue;
      }
    } else {
      discovery_failing_since_ = {};
    }
    const std::string state =
        status.state == connectors::KafkaSourceState::kRetrying ? "retrying" : "running";
    if (messages.empty()) {
      std::optional<std::string> error;
      if (!status.last_error.empty()) error = status.last_error;
      ReportStatus(state, error);
      continue;
    }
    SourceBatch batch;
    batch.status = state;
    if (!Decode(messages, &batch)) batch.status = "paused";
    if (!batch.errors.empty()) batch.last_error = batch.errors.back().message;
    size_t bytes = 0;
    for (const KafkaMessage& m : messages) bytes += m.key.size() + m.value.size();
    Submit(std::move(batch), bytes);
  }
  source_->Stop();
}

void SourceRunner::CommitToGroup() {
  // With a group id, Kafka's own tools (kafka-consumer-groups, lag monitors) see progress.
  // Informational only: a restart resumes from the offsets stored with the rows.
  if (table_.source.group_id.empty()) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_group_commit_ < kGroupCommitInterval) return;
  std::map<int32_t, int64_t> committed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    committed = committed_;
  }
  if (committed == group_committed_) return;
  source_->CommitToGroup(committed);
  group_committed_ = std::move(committed);
  last_group_commit_ = now;
}

int64_t SourceRunner::Lag() const {
  // Behind the high watermarks as far as this runner has decoded: the source's own figure
  // counts messages fetched but not decoded (after a stop at a bad message) as read.
  int64_t lag = 0;
  for (const auto& [partition, high] : source_->HighWatermarks()) {
    auto it = offsets_.find(partition);
    if (it != offsets_.end()) lag += std::max<int64_t>(0, high - it->second);
  }
  return lag;
}

void SourceRunner::ReportStatus(const std::string& status,
                                const std::optional<std::string>& error) {
  const int64_t lag = Lag();
  auto now = std::chrono::steady_clock::now();
  const bool changed = status != reported_status_ || error != reported_error_;
  if (!changed && (lag == reported_lag_ || now - last_report_ < kStatusInterval)) return;
  SourceBatch batch;
  batch.status = status;
  if (error != reported_error_) batch.last_error = error;
  reported_error_ = error;
  Submit(std::move(batch));
}

void SourceRunner::Submit(SourceBatch batch, size_t bytes) {
  if (batch.status != reported_status_ &&
      !(reported_status_.empty() && batch.status == "running")) {
    if (batch.status == "running") {
      spdlog::info("source {} is running", name_);
    } else {
      spdlog::warn("source {} is {}: {}", name_, batch.status, batch.last_error.value_or(""));
    }
  }
  batch.table_id = table_.id;
  batch.source = name_;
  batch.offsets = offsets_;
  batch.partitions = static_cast<int32_t>(source_->Partitions().size());
  batch.lag = Lag();
  batch.messages += skipped_messages_;
  skipped_messages_ = 0;
  reported_status_ = batch.status;
  if (batch.last_error) reported_error_ = batch.last_error;
  reported_lag_ = batch.lag;
  last_report_ = std::chrono::steady_clock::now();
  std::map<int32_t, int64_t> offsets = offsets_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++in_flight_;
    in_flight_bytes_ += bytes;
  }
  submit_(std::move(batch),
          [this, offsets = std::move(offsets), bytes](bool committed, SourceBatch spent) {
            std::lock_guard<std::mutex> lock(mu_);
            --in_flight_;
            in_flight_bytes_ -= bytes;
            if (committed) {
              committed_ = offsets;
            } else {
              rewind_ = true;
            }
            spent_.push_back(std::move(spent));
            cv_.notify_all();
          });
}

bool SourceRunner::Decode(const std::vector<KafkaMessage>& messages, SourceBatch* batch) {
  for (const KafkaMessage& message : messages) {
    const size_t before_errors = batch->errors.size();
    DecodeOne(message, batch);
    if (batch->errors.size() > before_errors && table_.source.stop_on_error) {
      // Stop before the bad message: it is not consumed, and nothing after it is.
      std::lock_guard<std::mutex> lock(mu_);
      stopped_at_ = {message.partition, message.offset};
      return false;
    }
    ++batch->messages;
    offsets_[message.partition] = message.offset + 1;
  }
  return true;
}

void SourceRunner::DecodeOne(const KafkaMessage& message, SourceBatch* batch) {
  auto record = [&](const std::string& state, const std::string& text) {
    batch->errors.push_back({message.partition, message.offset, state, text,
                             PrintablePrefix(message.value, kPayloadPrefixBytes)});
  };
  if (message.value.size() > kMaxMessageBytes) {
    record(sqlstate::kProgramLimitExceeded, "message of " + std::to_string(message.value.size()) +
                                                " bytes exceeds the limit of " +
                                                std::to_string(kMaxMessageBytes) + " bytes");
    return;
  }
  scratch_changes_.clear();
  scratch_meta_.clear();
  const bool wants_metadata = !table_.source.metadata.empty();
  try {
    decoder_->Decode(message.key, message.value, &scratch_changes_,
                     wants_metadata ? &scratch_meta_ : nullptr);
    for (size_t i = 0; i < scratch_changes_.size(); ++i) {
      RowChange& change = scratch_changes_[i];
      if (wants_metadata) {
        if (change.after) FillMetadata(message, scratch_meta_[i], &*change.after);
        if (change.before) FillMetadata(message, scratch_meta_[i], &*change.before);
      }
      if (change.after) CheckRow(*change.after);
    }
  } catch (const ivm::Error& e) {
    std::string text = e.message();
    if (!e.hint().empty()) text += " (" + e.hint() + ")";
    record(e.sqlstate(), text);
    return;
  }
  if (scratch_changes_.empty()) return;
  if (!warned_missing_before_ && table_.source.format == "debezium") {
    for (const RowChange& change : scratch_changes_) {
      if (change.kind == RowChange::Kind::kUpdate && !change.before) {
        // Applied by key, which is right for a keyed table; but deletes of such a source
        // carry no key either and will be skipped as errors.
        spdlog::warn(
            "source {}: Debezium updates arrive without a before-image (partition {} "
            "offset {}); they are applied by key. Set REPLICA IDENTITY FULL on the "
            "PostgreSQL table so that deletes carry their key too.",
            name_, message.partition, message.offset);
        warned_missing_before_ = true;
        break;
      }
    }
  }
  batch->spans.push_back(
      {message.partition, message.offset, batch->changes.size(), scratch_changes_.size()});
  for (RowChange& change : scratch_changes_) batch->changes.push_back(std::move(change));
}

void SourceRunner::CheckRow(const ivm::Row& row) const {
  for (size_t i = 0; i < table_.columns.size(); ++i) {
    if (table_.columns[i].not_null && row[i].is_null()) {
      throw ivm::Error(sqlstate::kNotNullViolation,
                       "null value in column \"" + table_.columns[i].name + "\" of relation \"" +
                           table_.name + "\" violates not-null constraint");
    }
  }
}

void SourceRunner::FillMetadata(const KafkaMessage& message, const MessageMetadata& meta,
                                ivm::Row* row) const {
  using ivm::Value;
  for (size_t c = 0; c < metadata_columns_.size(); ++c) {
    if (metadata_columns_[c] < 0) continue;
    const std::string& key = table_.source.metadata[metadata_columns_[c]].second;
    auto text = [](const std::optional<std::string>& s) {
      return s ? Value::Text(*s) : Value::Null(ivm::TypeId::kText);
    };
    auto timestamp = [](const std::optional<int64_t>& ms) {
      return ms ? TimestampTzFromUnixMs(*ms) : Value::Null(ivm::TypeId::kTimestampTz);
    };
    Value v = Value::Null(ivm::TypeId::kText);
    if (key == "topic") {
      v = Value::Text(table_.source.topic);
    } else if (key == "partition") {
      v = Value::Int32(message.partition);
    } else if (key == "offset") {
      v = Value::Int64(message.offset);
    } else if (key == "timestamp") {
      v = timestamp(message.timestamp_ms >= 0 ? std::optional<int64_t>(message.timestamp_ms)
                                              : std::nullopt);
    } else if (key == "timestamp-type") {
      v = Value::Text(message.timestamp_ms >= 0 ? "CreateTime" : "NoTimestampType");
    } else if (key == "key") {
      v = message.null_key ? Value::Null(ivm::TypeId::kText) : Value::Text(message.key);
    } else if (key == "value.source.database" || key == "value.database") {
      v = text(meta.database);
    } else if (key == "value.source.schema") {
      v = text(meta.schema);
    } else if (key == "value.source.table" || key == "value.table") {
      v = text(meta.table);
    } else if (key == "value.source.timestamp" || key == "value.event-timestamp") {
      v = timestamp(meta.event_ts_ms);
    } else if (key == "value.ingestion-timestamp") {
      v = timestamp(meta.ingestion_ts_ms);
    } else if (key == "value.primary-key-columns") {
      v = text(Joined(meta.primary_keys));
    } else if (key == "value.schema") {
      v = text(meta.schema_json);
    }
    (*row)[c] = ivm::CastValue(v, table_.columns[c].type, ivm::CastKind::kAssignment);
  }
}

}  // namespace server
