#include "connectors/kafka_source.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>
#include <utility>

#include "ivm/error.h"

namespace connectors {
namespace {

// Without a group id librdkafka refuses rd_kafka_assign(); this one never joins a group and
// never commits (CommitToGroup() needs the user's own group id).
constexpr const char* kDefaultGroupId = "tributary";
// Partition discovery inside Poll() gets at least this much time.
constexpr int kMinDiscoveryBudgetMs = 10;
// How long the destructor waits for a group commit in flight.
constexpr int kCommitDrainMs = 1000;

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int RemainingMs(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - std::chrono::steady_clock::now())
                  .count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Whether librdkafka's statistics show the cluster reachable: at least one broker UP and
// no known broker (nodeid >= 0) disconnected. Brokers never needed stay INIT and count as
// neither. Returns false when the JSON does not look as expected.
bool StatisticsShowBrokersUp(std::string_view json) {
  bool any_up = false;
  size_t pos = 0;
  while ((pos = json.find("\"nodeid\":", pos)) != std::string_view::npos) {
    pos += std::strlen("\"nodeid\":");
    long nodeid = std::strtol(std::string(json.substr(pos, 12)).c_str(), nullptr, 10);
    size_t state_pos = json.find("\"state\":\"", pos);
    if (state_pos == std::string_view::npos) break;
    state_pos += std::strlen("\"state\":\"");
    size_t end = json.find('"', state_pos);
    if (end == std::string_view::npos) break;
    std::string_view state = json.substr(state_pos, end - state_pos);
    if (state == "UP" || state == "UPDATE") {
      any_up = true;
    } else if (nodeid >= 0 && state != "INIT") {
      return false;
    }
    pos = end;
  }
  return any_up;
}

}  // namespace

const char* KafkaSourceStateName(KafkaSourceState state) {
  switch (state) {
    case KafkaSourceState::kRunning:
      return "running";
    case KafkaSourceState::kRetrying:
      return "retrying";
    case KafkaSourceState::kStopped:
      return "stopped";
  }
  return "?";
}

KafkaSource::KafkaSource(KafkaSourceConfig config) : config_(std::move(config)) {
  if (config_.topic.empty()) {
    throw ivm::Error(ivm::sqlstate::kInvalidParameterValue, "a Kafka source needs a topic");
  }
  if (config_.startup_mode == StartupMode::kGroupOffsets && config_.group_id.empty()) {
    throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                     "startup mode group-offsets needs a group id", "", "Set properties.group.id.");
  }
  rd_kafka_conf_t* conf = MakeConsumerConf(config_);
  char error[512];
  if (config_.group_id.empty() && rd_kafka_conf_set(conf, "group.id", kDefaultGroupId, error,
                                                    sizeof(error)) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    throw ivm::Error(ivm::sqlstate::kInternalError, error);
  }
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_error_cb(conf, &KafkaSource::ErrorCallback);
  rd_kafka_conf_set_stats_cb(conf, &KafkaSource::StatisticsCallback);
  rd_kafka_conf_set_offset_commit_cb(
      conf, [](rd_kafka_t*, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t*, void* opaque) {
        --static_cast<KafkaSource*>(opaque)->commits_in_flight_;
      });
  consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (consumer_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw ivm::Error(ivm::sqlstate::kInvalidParameterValue,
                     std::string("cannot create a Kafka consumer: ") + error);
  }
  // Errors and statistics are served by the consumer queue, i.e. inside Poll().
  rd_kafka_poll_set_consumer(consumer_);
  queue_ = rd_kafka_queue_get_consumer(consumer_);
}

KafkaSource::~KafkaSource() {
  DropHeld();
  // Give a group commit still in flight a moment to land (bounded: it is informational).
  if (assigned_) rd_kafka_assign(consumer_, nullptr);
  auto deadline = Clock::now() + std::chrono::milliseconds(kCommitDrainMs);
  while (commits_in_flight_ > 0 && Clock::now() < deadline) {
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 10)) rd_kafka_message_destroy(m);
  }
  rd_kafka_queue_destroy(queue_);
  // No consumer_close(): the source never joins a group, and closing waits without bound
  // for outstanding group commits while the broker is down.
  rd_kafka_destroy_flags(consumer_, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

void KafkaSource::Start(const std::map<int32_t, int64_t>& given) {
  const std::map<int32_t, int64_t> stored_offsets = given;  // may be NextOffsets() itself
  DropHeld();
  if (assigned_) rd_kafka_assign(consumer_, nullptr);
  started_ = true;
  assigned_ = false;
  partitions_.clear();
  next_offsets_.clear();
  stored_offsets_.clear();
  for (const auto& [partition, offset] : stored_offsets) {
    if (offset >= 0) stored_offsets_[partition] = offset;
  }
  backoff_ms_ = 0;
  next_attempt_ = Clock::now();
  TryAssign(config_.start_timeout_ms);
}

void KafkaSource::Stop() {
  DropHeld();
  if (assigned_) rd_kafka_assign(consumer_, nullptr);
  started_ = false;
  assigned_ = false;
  retrying_ = false;
  backoff_ms_ = 0;
  std::lock_guard lock(status_mutex_);
  status_.state = KafkaSourceState::kStopped;
  status_.retry_backoff_ms = 0;
}

int64_t KafkaSource::StartOffset(int32_t partition) const {
  if (auto it = stored_offsets_.find(partition); it != stored_offsets_.end()) return it->second;
  if (config_.startup_mode == StartupMode::kExplicitOffsets) {
    if (auto it = config_.explicit_offsets.find(partition); it != config_.explicit_offsets.end()) {
      return it->second;
    }
  }
  return RD_KAFKA_OFFSET_INVALID;  // resolved from the broker
}

// Discovery: metadata -> partitions, then a concrete start offset for every partition, then
// one rd_kafka_assign(). Progress (partitions, resolved offsets) is kept across attempts.
// Start offsets are resolved to concrete numbers (not OFFSET_END etc.) so that NextOffsets()
// is complete from the start: storing it before the first message cannot lose messages.
bool KafkaSource::TryAssign(int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  const char* topic = config_.topic.c_str();
  if (partitions_.empty()) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(consumer_, topic, nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_, 0, rkt, &metadata, timeout_ms);
    rd_kafka_topic_destroy(rkt);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      OnError(std::string("cannot read metadata of topic '") + topic +
              "': " + rd_kafka_err2str(err));
      EnterRetrying();
      return false;
    }
    std::vector<int32_t> partitions;
    rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
      const rd_kafka_metadata_topic_t& t = metadata->topics[i];
      if (config_.topic != t.topic) continue;
      topic_err = t.err;
      for (int p = 0; p < t.partition_cnt; ++p) partitions.push_back(t.partitions[p].id);
    }
    rd_kafka_metadata_destroy(metadata);
    if (topic_err != RD_KAFKA_RESP_ERR_NO_ERROR || partitions.empty()) {
      OnError(std::string("topic '") + topic +
              "' is not available: " + rd_kafka_err2str(topic_err));
      EnterRetrying();
      return false;
    }
    std::sort(partitions.begin(), partitions.end());
    partitions_ = std::move(partitions);
    for (int32_t p : partitions_) {
      int64_t offset = StartOffset(p);
      if (offset >= 0) next_offsets_[p] = offset;
    }
  }

  if (config_.startup_mode == StartupMode::kGroupOffsets) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    for (int32_t p : partitions_) {
      if (!next_offsets_.count(p)) rd_kafka_topic_partition_list_add(list, topic, p);
    }
    if (list->cnt > 0) {
      rd_kafka_resp_err_t err = rd_kafka_committed(consumer_, list, RemainingMs(deadline));
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_topic_partition_list_destroy(list);
        OnError(std::string("cannot read the committed offsets of group '") + config_.group_id +
                "': " + rd_kafka_err2str(err));
        EnterRetrying();
        return false;
      }
      // A partition the group never committed falls back to earliest below.
      for (int i = 0; i < list->cnt; ++i) {
        if (list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR && list->elems[i].offset >= 0) {
          next_offsets_[list->elems[i].partition] = list->elems[i].offset;
        }
      }
    }
    rd_kafka_topic_partition_list_destroy(list);
  }

  for (int32_t p : partitions_) {
    if (next_offsets_.count(p)) continue;
    int64_t low = 0, high = 0;
    rd_kafka_resp_err_t err =
        rd_kafka_query_watermark_offsets(consumer_, topic, p, &low, &high, RemainingMs(deadline));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      OnError(std::string("cannot read the offsets of topic '") + topic + "' partition " +
              std::to_string(p) + ": " + rd_kafka_err2str(err));
      EnterRetrying();
      return false;
    }
    next_offsets_[p] = config_.startup_mode == StartupMode::kLatest ? high : low;
  }

  // Errors queued while discovery was failing (connection refused...) are stale now:
  // serve them before assigning (nothing can be fetched yet) so that they do not mark the
  // source retrying again.
  ServeEvents();
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions_.size()));
  for (int32_t p : partitions_) {
    rd_kafka_topic_partition_list_add(list, topic, p)->offset = next_offsets_[p];
  }
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer_, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    OnError(std::string("cannot assign the partitions of topic '") + topic +
            "': " + rd_kafka_err2str(err));
    EnterRetrying();
    return false;
  }
  assigned_ = true;
  OnHealthy();
  return true;
}

void KafkaSource::ServeEvents() {
  // Only called while nothing is assigned, so no message can come out.
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 0)) {
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      OnError(rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
}

size_t KafkaSource::Poll(std::vector<KafkaMessage>* out, size_t max_messages, int timeout_ms,
                         size_t max_bytes) {
  if (!started_ || max_messages == 0) return 0;
  timeout_ms = std::max(timeout_ms, 0);
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  if (!assigned_) {
    ServeEvents();  // error callbacks and statistics
    if (Clock::now() < next_attempt_) {
      std::this_thread::sleep_until(std::min(deadline, next_attempt_));
      if (Clock::now() < next_attempt_) return 0;
    }
    if (!TryAssign(std::max(RemainingMs(deadline), kMinDiscoveryBudgetMs))) return 0;
  }

  // What an earlier Poll fetched beyond its max_bytes comes first; then what is fetched.
  rd_kafka_message_t** messages = nullptr;
  size_t count = 0;
  if (!held_.empty()) {
    count = std::min(max_messages, held_.size());
    if (batch_.size() < count) batch_.resize(count);
    messages = reinterpret_cast<rd_kafka_message_t**>(batch_.data());
    for (size_t i = 0; i < count; ++i) {
      messages[i] = static_cast<rd_kafka_message_t*>(held_.front());
      held_.pop_front();
    }
  } else {
    if (batch_.size() < max_messages) batch_.resize(max_messages);
    messages = reinterpret_cast<rd_kafka_message_t**>(batch_.data());
    ssize_t n = rd_kafka_consume_batch_queue(queue_, 0, messages, max_messages);
    if (n > 0) {
      count = static_cast<size_t>(n);
    } else {
      // Nothing fetched yet: wait for one message, then take whatever else has arrived.
      if (rd_kafka_message_t* first = rd_kafka_consumer_poll(consumer_, RemainingMs(deadline))) {
        messages[0] = first;
        count = 1;
        if (max_messages > 1) {
          n = rd_kafka_consume_batch_queue(queue_, 0, messages + 1, max_messages - 1);
          if (n > 0) count += static_cast<size_t>(n);
        }
      }
    }
  }

  size_t delivered = 0, bytes = 0;
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_message_t* m = messages[i];
    if (bytes >= max_bytes) {
      // Kept, in order, ahead of anything fetched later.
      for (size_t j = count; j-- > i;) held_.push_front(messages[j]);
      break;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) OnError(rd_kafka_message_errstr(m));
      rd_kafka_message_destroy(m);
      continue;
    }
    auto next = next_offsets_.find(m->partition);
    if (next == next_offsets_.end() || m->offset < next->second) {
      rd_kafka_message_destroy(m);  // not ours, or already handed out
      continue;
    }
    next->second = m->offset + 1;
    KafkaMessage& message = out->emplace_back();
    message.partition = m->partition;
    message.offset = m->offset;
    rd_kafka_timestamp_type_t type;
    message.timestamp_ms = rd_kafka_message_timestamp(m, &type);
    if (m->key != nullptr) {
      message.key.assign(static_cast<const char*>(m->key), m->key_len);
    } else {
      message.null_key = true;
    }
    if (m->payload != nullptr) {
      message.value.assign(static_cast<const char*>(m->payload), m->len);
    } else {
      message.null_value = true;
    }
    bytes += message.key.size() + message.value.size();
    rd_kafka_message_destroy(m);
    ++delivered;
  }
  if (delivered > 0 && retrying_) OnHealthy();
  return delivered;
}

void KafkaSource::DropHeld() {
  for (void* m : held_) rd_kafka_message_destroy(static_cast<rd_kafka_message_t*>(m));
  held_.clear();
}

std::map<int32_t, int64_t> KafkaSource::HighWatermarks() const {
  std::map<int32_t, int64_t> result;
  for (int32_t p : partitions_) {
    int64_t low = 0, high = 0;
    if (rd_kafka_get_watermark_offsets(consumer_, config_.topic.c_str(), p, &low, &high) ==
            RD_KAFKA_RESP_ERR_NO_ERROR &&
        high >= 0) {
      result[p] = high;
    }
  }
  return result;
}

std::map<int32_t, int64_t> KafkaSource::QueryHighWatermarks(int timeout_ms) const {
  std::map<int32_t, int64_t> result;
  for (int32_t p : partitions_) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(consumer_, config_.topic.c_str(), p, &low, &high,
                                         timeout_ms) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      result[p] = high;
    }
  }
  return result;
}

std::map<int32_t, int64_t> KafkaSource::Lag() const {
  std::map<int32_t, int64_t> lag;
  for (const auto& [partition, high] : HighWatermarks()) {
    if (auto it = next_offsets_.find(partition); it != next_offsets_.end()) {
      lag[partition] = std::max<int64_t>(0, high - it->second);
    }
  }
  return lag;
}

void KafkaSource::CommitToGroup() { CommitToGroup(next_offsets_); }

void KafkaSource::CommitToGroup(const std::map<int32_t, int64_t>& offsets) {
  // Not while retrying: a commit queued while the group coordinator is unreachable makes
  // rd_kafka_destroy() wait until the broker returns (seen with librdkafka 2.0.2).
  if (config_.group_id.empty() || offsets.empty() || !assigned_ || retrying_) return;
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size()));
  for (const auto& [partition, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list, config_.topic.c_str(), partition)->offset = offset;
  }
  if (rd_kafka_commit(consumer_, list, /*async=*/1) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++commits_in_flight_;
  }
  rd_kafka_topic_partition_list_destroy(list);
}

KafkaSourceStatus KafkaSource::Status() const {
  std::lock_guard lock(status_mutex_);
  return status_;
}

void KafkaSource::OnError(const std::string& error) {
  backoff_ms_ = backoff_ms_ == 0 ? config_.retry_backoff_min_ms
                                 : std::min(2 * backoff_ms_, config_.retry_backoff_max_ms);
  std::lock_guard lock(status_mutex_);
  status_.last_error = error;
  status_.last_error_unix_ms = NowUnixMs();
  ++status_.errors;
  if (started_) {
    retrying_ = true;
    status_.state = KafkaSourceState::kRetrying;
    status_.retry_backoff_ms = backoff_ms_;
  }
}

void KafkaSource::EnterRetrying() {
  next_attempt_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
}

void KafkaSource::OnHealthy() {
  backoff_ms_ = 0;
  retrying_ = false;
  std::lock_guard lock(status_mutex_);
  if (!started_) return;
  status_.state = KafkaSourceState::kRunning;
  status_.retry_backoff_ms = 0;
}

void KafkaSource::OnStatistics(const char* json, size_t length) {
  if (!assigned_ || !retrying_) return;  // only a retrying, assigned source cares
  if (StatisticsShowBrokersUp(std::string_view(json, length))) OnHealthy();
}

void KafkaSource::ErrorCallback(rd_kafka_s*, int err, const char* reason, void* opaque) {
  auto* self = static_cast<KafkaSource*>(opaque);
  self->OnError(std::string(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))) + ": " +
                reason);
}

int KafkaSource::StatisticsCallback(rd_kafka_s*, char* json, size_t length, void* opaque) {
  static_cast<KafkaSource*>(opaque)->OnStatistics(json, length);
  return 0;  // librdkafka frees json
}

}  // namespace connectors
