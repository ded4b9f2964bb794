#include "bench/kafka_producer.h"

#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <cstdlib>

namespace bench {

void Die(const std::string& program, const std::string& what) {
  std::fprintf(stderr, "%s: %s\n", program.c_str(), what.c_str());
  std::exit(1);
}

KafkaProducer::KafkaProducer(const std::string& bootstrap_servers, int linger_ms) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap_servers.c_str(), error, sizeof(error));
  rd_kafka_conf_set(conf, "compression.codec", "lz4", error, sizeof(error));
  rd_kafka_conf_set(conf, "linger.ms", std::to_string(linger_ms).c_str(), error, sizeof(error));
  rd_kafka_conf_set(conf, "batch.num.messages", "10000", error, sizeof(error));
  rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (!rk_) Die("kafka producer", error);
}

KafkaProducer::~KafkaProducer() { rd_kafka_destroy(rk_); }

void KafkaProducer::Produce(const std::string& topic, int32_t partition, const std::string& value) {
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) Die("kafka producer", rd_kafka_err2str(err));
    rd_kafka_poll(rk_, 10);
  }
}

void KafkaProducer::Flush() {
  if (rd_kafka_flush(rk_, 120000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Die("kafka producer", "flush timed out");
  }
}

int64_t KafkaProducer::HeldFromStart(const std::string& topic, int32_t partition) {
  int64_t low = 0, high = 0;
  rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(rk_, topic.c_str(), partition, &low, &high, 10000);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) Die("kafka producer", rd_kafka_err2str(err));
  if (low != 0) {
    Die("kafka producer", "the broker dropped the first " + std::to_string(low) + " messages of " +
                              topic + "/" + std::to_string(partition) +
                              ": spread the topic over more partitions");
  }
  return high;
}

}  // namespace bench
